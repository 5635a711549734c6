// Loading the served configuration from the store.
#include "daemon/snapshot.h"

#include "store/catalog.h"
#include "store/store.h"
#include "tz/zone.h"

namespace rgs::daemon {

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

namespace {

std::string UserOf(const std::string& normalized) {
  if (normalized.rfind("sip:", 0) != 0) return {};
  size_t at = normalized.find('@');
  return at == std::string::npos ? std::string() : normalized.substr(4, at - 4);
}

}  // namespace

const core::Workflow* Snapshot::FindWorkflow(const std::string& request_uri, bool local_host) const {
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

namespace {

// The lookups derived from the objects, and the problems found on the way.
void Index(Snapshot& snap) {
  snap.zones.clear();
  snap.by_address.clear();
  snap.by_user.clear();
  snap.groups_of_agent.clear();
  snap.queues_of_group.clear();
  snap.problems.clear();
  std::unordered_map<std::string, int> user_count;
  for (const auto& [guid, w] : snap.workflows) {
    auto zone = tz::Canonical(w.time_zone);
    snap.zones[guid] = zone.ok() ? *zone : "UTC";
    if (!zone.ok())
      snap.problems.push_back("workflow '" + w.name + "': time zone '" + w.time_zone + "' is unknown here; its hours and holidays are taken in UTC");
    for (const std::string* a : {&w.primary_uri, &w.line_uri}) {
      if (a->empty()) continue;
      std::string n = NormalizeAddress(*a);
      snap.by_address[n] = guid;
      std::string user = UserOf(n);
      if (!user.empty() && ++user_count[user] == 1) snap.by_user[user] = guid;
    }
  }
  for (const auto& [user, n] : user_count)
    if (n > 1) snap.by_user.erase(user);   // ambiguous without the host
  for (const auto& [guid, g] : snap.groups)
    for (size_t i = 0; i < g.agents.size(); ++i) snap.groups_of_agent[NormalizeAddress(g.agents[i])].push_back({guid, i});
  for (const auto& [guid, q] : snap.queues)
    for (const auto& g : q.agent_groups) snap.queues_of_group[g].push_back(guid);
}

// Sets or erases the object (kind, guid) of the snapshot as the store has it now.
template <typename T>
Status Refresh(store::Catalog& c, store::Store& st, const std::string& kind, const std::string& guid,
               std::map<std::string, T>& map) {
  auto obj = st.Get(kind, guid);
  if (!obj.ok()) return obj.status();
  if (!obj->has_value()) {
    map.erase(guid);
    return Status::Ok();
  }
  auto decoded = c.Decode<T>(**obj);
  if (!decoded.ok()) return decoded.status();
  map.insert_or_assign(guid, std::move(*decoded));
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> LoadSnapshot(store::Store& st) {
  auto snap = std::make_shared<Snapshot>();
  store::Catalog c(st);
  snap->pool = st.pool();
  auto settings = c.Settings();
  if (!settings.ok()) return settings.status();
  snap->settings = *settings;
  auto load = [&](auto& map, auto tag) -> Status {
    using T = decltype(tag);
    auto list = c.List<T>();
    if (!list.ok()) return list.status();
    for (auto& o : *list) map.emplace(o.guid, std::move(o));
    return Status::Ok();
  };
  RGS_RETURN_IF_ERROR(load(snap->workflows, core::Workflow{}));
  RGS_RETURN_IF_ERROR(load(snap->queues, core::Queue{}));
  RGS_RETURN_IF_ERROR(load(snap->groups, core::AgentGroup{}));
  RGS_RETURN_IF_ERROR(load(snap->hours, core::HoursOfBusiness{}));
  RGS_RETURN_IF_ERROR(load(snap->holiday_sets, core::HolidaySet{}));
  Index(*snap);
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

Result<std::shared_ptr<const Snapshot>> UpdateSnapshot(store::Store& st, const Snapshot& base, int64_t revision) {
  auto touched = st.Touched(base.revision, revision);
  if (!touched.ok()) return touched.status();
  auto snap = std::make_shared<Snapshot>(base);
  store::Catalog c(st);
  auto settings = c.Settings();
  if (!settings.ok()) return settings.status();
  snap->settings = *settings;
  for (const auto& [kind, guid] : *touched) {
    Status s;
    if (kind == store::kWorkflow) s = Refresh(c, st, kind, guid, snap->workflows);
    else if (kind == store::kQueue) s = Refresh(c, st, kind, guid, snap->queues);
    else if (kind == store::kAgentGroup) s = Refresh(c, st, kind, guid, snap->groups);
    else if (kind == store::kHoursOfBusiness) s = Refresh(c, st, kind, guid, snap->hours);
    else if (kind == store::kHolidaySet) s = Refresh(c, st, kind, guid, snap->holiday_sets);
    if (!s.ok()) return s;
  }
  Index(*snap);
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace rgs::daemon
