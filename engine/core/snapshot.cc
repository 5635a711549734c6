// Lookups of the served configuration.
#include "core/snapshot.h"

#include <cctype>

namespace rgs::core {

std::string NormalizeAddress(const std::string& uri) {
  std::string s = uri;
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("tel:", 0) == 0) {
    std::string out = "tel:";
    for (size_t i = 4; i < lower.size() && lower[i] != ';'; ++i)
      if (std::isdigit(static_cast<unsigned char>(lower[i])) || (lower[i] == '+' && out.size() == 4)) out += lower[i];
    return out;
  }
  if (lower.rfind("sips:", 0) == 0) lower = "sip:" + lower.substr(5);
  if (lower.rfind("sip:", 0) != 0) return lower;
  size_t end = lower.find_first_of(";?", 4);
  std::string core = lower.substr(0, end);
  // Drop a port: an address of record has none.
  size_t at = core.find('@');
  size_t colon = core.find(':', at == std::string::npos ? 4 : at);
  if (colon != std::string::npos && core.find(']') == std::string::npos) core = core.substr(0, colon);
  return core;
}

std::string UserOf(const std::string& normalized) {
  if (normalized.rfind("sip:", 0) != 0) return {};
  size_t at = normalized.find('@');
  return at == std::string::npos ? std::string() : normalized.substr(4, at - 4);
}

bool HostIsAddress(const std::string& uri) {
  size_t at = uri.find('@');
  size_t start = at == std::string::npos ? uri.find(':') + 1 : at + 1;
  if (start >= uri.size()) return false;
  if (uri[start] == '[') return true;
  size_t end = uri.find_first_of(":;>?", start);
  std::string host = uri.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
}

void Snapshot::IndexAddresses() {
  by_address.clear();
  by_user.clear();
  groups_of_agent.clear();
  queues_of_group.clear();
  std::unordered_map<std::string, int> user_count;
  for (const auto& [guid, w] : workflows) {
    for (const std::string* a : {&w.primary_uri, &w.line_uri}) {
      if (a->empty()) continue;
      std::string n = NormalizeAddress(*a);
      by_address[n] = guid;
      std::string user = UserOf(n);
      if (!user.empty() && ++user_count[user] == 1) by_user[user] = guid;
    }
  }
  for (const auto& [user, n] : user_count)
    if (n > 1) by_user.erase(user);  // ambiguous without the host
  for (const auto& [guid, g] : groups)
    for (size_t i = 0; i < g.agents.size(); ++i) groups_of_agent[NormalizeAddress(g.agents[i])].push_back({guid, i});
  for (const auto& [guid, q] : queues)
    for (const auto& g : q.agent_groups) queues_of_group[g].push_back(guid);
}

const Workflow* Snapshot::FindWorkflow(const std::string& request_uri, bool local_host) const {
  auto find = [](const auto& m, const std::string& k) -> const std::string* {
    auto it = m.find(k);
    return it == m.end() ? nullptr : &it->second;
  };
  std::string n = NormalizeAddress(request_uri);
  std::string user = UserOf(n);
  const std::string* guid = find(by_address, n);
  // A number dialled as sip:+14255550100@host;user=phone matches LineUri tel:+14255550100.
  if (!guid && !user.empty() && (user[0] == '+' || std::isdigit(static_cast<unsigned char>(user[0]))))
    guid = find(by_address, NormalizeAddress("tel:" + user));
  // Addressed to rgsd's own host (sip:helpdesk@127.0.0.1:5071): the user part alone, if unique.
  if (!guid && !user.empty() && local_host) guid = find(by_user, user);
  return guid ? Get(workflows, *guid) : nullptr;
}

}  // namespace rgs::core
