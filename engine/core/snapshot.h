// The configuration the call flow serves, as of one store revision: immutable once built, shared
// by the calls that started under it (a waiting call keeps its workflow and queue; the agents it
// is offered to are always those of the current revision). Built by store/served.h.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/digest.h"
#include "core/model.h"

namespace rgs::core {

struct Snapshot {
  int64_t revision = 0;
  double load_ms = 0;  // how long reading it from the store took
  std::string pool;
  core::ServiceSettings settings;
  std::map<std::string, core::Workflow> workflows;  // by GUID
  std::map<std::string, core::Queue> queues;
  std::map<std::string, core::AgentGroup> groups;
  std::map<std::string, core::HoursOfBusiness> hours;
  std::map<std::string, core::HolidaySet> holiday_sets;
  std::map<std::string, std::string> zones;                 // workflow GUID -> IANA zone (or UTC)
  std::unordered_map<std::string, std::string> by_address;  // normalised address -> workflow GUID
  std::unordered_map<std::string, std::string> by_user;     // user part alone, when unique
  // agent address -> the groups that list it, and group -> queues that use it
  std::unordered_map<std::string, std::vector<std::pair<std::string, size_t>>> groups_of_agent;  // (group, position)
  std::unordered_map<std::string, std::vector<std::string>> queues_of_group;
  std::vector<std::string> problems;  // served anyway, but worth a warning
  // Agents' digest credentials, by normalised address (rgsd authenticates REGISTER and PUBLISH).
  std::unordered_map<std::string, AgentCredential> credentials;

  // Builds by_address, by_user, groups_of_agent and queues_of_group from the objects.
  void IndexAddresses();
  const core::Workflow* FindWorkflow(const std::string& request_uri, bool local_host) const;
  template <typename T>
  static const T* Get(const std::map<std::string, T>& m, const std::string& guid) {
    auto it = m.find(guid);
    return it == m.end() ? nullptr : &it->second;
  }
};

// "sip:Alice@Example.com;user=phone" -> "sip:alice@example.com"; "tel:+1 (425) 555-0100" ->
// "tel:+14255550100". The form addresses are compared in.
std::string NormalizeAddress(const std::string& uri);
// The user part of a normalised sip: address, or "".
std::string UserOf(const std::string& normalized);
// Whether the host of a request URI is an IP literal (rgsd's own address, "sip:helpdesk@127.0.0.1:5071"),
// so that FindWorkflow may match its user part alone (CallArrived::local_host).
bool HostIsAddress(const std::string& uri);

}  // namespace rgs::core
