// Loading the served configuration from the store.
#include "store/served.h"

#include "store/catalog.h"
#include "store/store.h"
#include "tz/zone.h"

namespace rgs::store {

using core::NormalizeAddress;
using core::Snapshot;
using core::UserOf;

namespace {

// The lookups derived from the objects (core/snapshot.h), the zones, and the problems found.
void Index(Snapshot& snap) {
  snap.zones.clear();
  snap.problems.clear();
  for (const auto& [guid, w] : snap.workflows) {
    auto zone = tz::Canonical(w.time_zone);
    snap.zones[guid] = zone.ok() ? *zone : "UTC";
    if (!zone.ok())
      snap.problems.push_back("workflow '" + w.name + "': time zone '" + w.time_zone +
                              "' is unknown here; its hours and holidays are taken in UTC");
  }
  snap.IndexAddresses();
}

// Sets or erases the object (kind, guid) of the snapshot as the store has it now.
template <typename T>
Status Refresh(Catalog& c, Store& st, const std::string& kind, const std::string& guid, std::map<std::string, T>& map) {
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

Status RefreshCredential(Store& st, const std::string& aor,
                         std::unordered_map<std::string, core::AgentCredential>& credentials) {
  auto cred = st.Credential(aor);
  if (!cred.ok()) return cred.status();
  if (*cred)
    credentials.insert_or_assign(aor, std::move(**cred));
  else
    credentials.erase(aor);
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> LoadSnapshot(Store& st) {
  auto snap = std::make_shared<Snapshot>();
  Catalog c(st);
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
  auto credentials = st.Credentials();
  if (!credentials.ok()) return credentials.status();
  for (auto& cred : *credentials) snap->credentials.emplace(cred.aor, std::move(cred));
  Index(*snap);
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

Result<std::shared_ptr<const Snapshot>> UpdateSnapshot(Store& st, const Snapshot& base, int64_t revision) {
  auto touched = st.Touched(base.revision, revision);
  if (!touched.ok()) return touched.status();
  auto snap = std::make_shared<Snapshot>(base);
  Catalog c(st);
  auto settings = c.Settings();
  if (!settings.ok()) return settings.status();
  snap->settings = *settings;
  for (const auto& [kind, guid] : *touched) {
    Status s;
    if (kind == kWorkflow)
      s = Refresh(c, st, kind, guid, snap->workflows);
    else if (kind == kQueue)
      s = Refresh(c, st, kind, guid, snap->queues);
    else if (kind == kAgentGroup)
      s = Refresh(c, st, kind, guid, snap->groups);
    else if (kind == kHoursOfBusiness)
      s = Refresh(c, st, kind, guid, snap->hours);
    else if (kind == kHolidaySet)
      s = Refresh(c, st, kind, guid, snap->holiday_sets);
    else if (kind == kAgentCredential)
      s = RefreshCredential(st, guid, snap->credentials);
    if (!s.ok()) return s;
  }
  Index(*snap);
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace rgs::store
