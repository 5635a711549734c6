// The configuration rgsd serves, as of one store revision: immutable once built, shared by the
// calls that started under it (a new revision never changes a call in progress).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace rgs::store {
class Store;
}

namespace rgs::daemon {

struct Snapshot {
  int64_t revision = 0;
  double load_ms = 0;   // how long reading it from the store took
  std::string pool;
  core::ServiceSettings settings;
  std::map<std::string, core::Workflow> workflows;        // by GUID
  std::map<std::string, core::Queue> queues;
  std::map<std::string, core::AgentGroup> groups;
  std::map<std::string, core::HoursOfBusiness> hours;
  std::map<std::string, core::HolidaySet> holiday_sets;
  std::map<std::string, std::string> zones;               // workflow GUID -> IANA zone
  std::unordered_map<std::string, std::string> by_address;   // normalised address -> workflow GUID
  std::unordered_map<std::string, std::string> by_user;      // user part alone, when unique
  // agent address -> the groups that list it, and group -> queues that use it
  std::unordered_map<std::string, std::vector<std::pair<std::string, size_t>>> groups_of_agent;   // (group, position)
  std::unordered_map<std::string, std::vector<std::string>> queues_of_group;
  std::vector<std::string> problems;   // served anyway, but worth a warning

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

Result<std::shared_ptr<const Snapshot>> LoadSnapshot(store::Store& store);
// The store's current state from `base` (loaded at base.revision) and the objects changed since,
// which are all it reads: the same result as LoadSnapshot, in a fraction of the time for a large
// configuration. `revision` is the store's current revision.
Result<std::shared_ptr<const Snapshot>> UpdateSnapshot(store::Store& store, const Snapshot& base, int64_t revision);

}  // namespace rgs::daemon
