// Typed configuration operations over the versioned store.
#include "store/catalog.h"

#include <map>
#include <set>

namespace rgs::store {
namespace {

std::string Describe(const Object& o) { return Noun(o.kind) + " '" + o.name + "'"; }

}  // namespace

Status ToStatus(const std::string& subject, const core::Problems& problems, const Labeler& label) {
  if (problems.empty()) return Status::Ok();
  bool all_usage = true, not_found = false;
  std::string msg;
  for (const auto& p : problems) {
    if (p.code != Code::kUsage) all_usage = false;
    if (p.code == Code::kNotFound) not_found = true;
    if (!msg.empty()) msg += "\n";
    std::string where = label ? label(p.property) : p.property;
    msg += subject.empty() ? "" : subject + ": ";
    msg += where.empty() ? p.message : where + ": " + p.message;
  }
  return Status(not_found ? Code::kNotFound : all_usage ? Code::kUsage : Code::kInvalid, msg);
}

Result<std::string> Catalog::Resolve(const std::string& kind, const std::string& ref, int64_t at) {
  std::string pool, guid;
  if (ParseIdentity(ref, &pool, &guid) || LooksLikeGuid(ref)) {
    if (guid.empty()) guid = ref;
    for (auto& c : guid) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto o = store_.Get(kind, guid, at);
    if (!o.ok()) return o.status();
    if (o->has_value()) return guid;
  }
  auto o = store_.FindByName(kind, ref, at);
  if (!o.ok()) return o.status();
  if (!o->has_value()) return NotFound(Noun(kind) + " '" + ref + "' not found");
  return (*o)->guid;
}

Resolver Catalog::resolver(int64_t at) {
  return [this, at](const std::string& kind, const std::string& ref) { return Resolve(kind, ref, at); };
}

template <typename T>
Result<T> Catalog::Decode(const Object& obj) {
  T out;
  core::Problems problems;
  FromDoc(obj.doc, [](const std::string&, const std::string& guid) -> Result<std::string> { return guid; },
          &out, &problems);
  if (!problems.empty())
    return Corrupt("stored " + Describe(obj) + " is unreadable: " + problems.front().property + ": " +
                   problems.front().message);
  out.guid = obj.guid;
  out.name = obj.name;
  return out;
}

template <typename T>
Result<T> Catalog::Find(const std::string& ref, int64_t at) {
  auto guid = Resolve(KindOf<T>::kName, ref, at);
  if (!guid.ok()) return guid.status();
  auto obj = store_.Get(KindOf<T>::kName, *guid, at);
  if (!obj.ok()) return obj.status();
  if (!obj->has_value()) return NotFound(Noun(KindOf<T>::kName) + " '" + ref + "' not found");
  return Decode<T>(**obj);
}

template <typename T>
Result<std::vector<T>> Catalog::List(int64_t at) {
  auto objs = store_.List(KindOf<T>::kName, at);
  if (!objs.ok()) return objs.status();
  std::vector<T> out;
  out.reserve(objs->size());
  for (const auto& o : *objs) {
    auto t = Decode<T>(o);
    if (!t.ok()) return t.status();
    out.push_back(std::move(*t));
  }
  return out;
}

template <typename T>
Status Catalog::Stage(T& obj, bool create, const core::Problems& problems, const Labeler& label) {
  const std::string kind = KindOf<T>::kName;
  std::string subject = Noun(kind) + " '" + obj.name + "'";
  RGS_RETURN_IF_ERROR(ToStatus(subject, problems, label));
  auto same = store_.FindByName(kind, obj.name);
  if (!same.ok()) return same.status();
  if (same->has_value() && (create || (*same)->guid != obj.guid))
    return AlreadyExists(Noun(kind) + " '" + (*same)->name + "' already exists");
  if (create) {
    obj.guid = NewGuid();
    if (obj.owner.empty()) obj.owner = store_.pool();
  } else {
    auto existing = store_.Get(kind, obj.guid);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) return NotFound(subject + " not found");
  }
  return store_.Put({kind, obj.guid, obj.name, ToDoc(obj)}, RefsOf(obj));
}

Status Catalog::Save(core::AgentGroup& g, bool create, std::vector<std::string>* warnings, const Labeler& label) {
  core::Problems problems = core::ValidateAgentGroup(g);
  RGS_RETURN_IF_ERROR(Stage(g, create, problems, label));
  if (warnings)
    for (auto& w : core::Warnings(g)) warnings->push_back(std::move(w));
  return Status::Ok();
}

Status Catalog::Save(core::Queue& q, bool create, std::vector<std::string>* warnings, const Labeler& label) {
  core::Problems problems = core::ValidateQueue(q);
  // References were resolved to GUIDs when the queue was read; they must still name live groups.
  for (const auto& id : q.agent_groups) {
    auto o = store_.Get(kAgentGroup, id);
    if (!o.ok()) return o.status();
    if (!o->has_value())
      problems.push_back({"AgentGroupIDList", "agent group '" + id + "' not found", Code::kNotFound});
  }
  for (const auto* a : {&q.timeout_action, &q.overflow_action}) {
    if (!*a || (*a)->action != core::ActionKind::kTransferToQueue || (*a)->queue.empty()) continue;
    auto o = store_.Get(kQueue, (*a)->queue);
    if (!o.ok()) return o.status();
    if (!o->has_value() && (*a)->queue != q.guid)
      problems.push_back({a == &q.timeout_action ? "TimeoutAction" : "OverflowAction",
                          "queue '" + (*a)->queue + "' not found", Code::kNotFound});
  }
  (void)warnings;
  return Stage(q, create, problems, label);
}

Status Catalog::Remove(const std::string& kind, const std::string& guid, bool force,
                       std::vector<std::string>* warnings) {
  auto obj = store_.Get(kind, guid);
  if (!obj.ok()) return obj.status();
  if (!obj->has_value()) return NotFound(Noun(kind) + " '" + guid + "' not found");
  auto users = store_.Users(kind, guid);
  if (!users.ok()) return users.status();
  std::string list;
  for (const auto& u : *users) {
    if (u.kind == kind && u.guid == guid) continue;
    list += (list.empty() ? "" : ", ") + Describe(u);
  }
  if (!list.empty()) {
    if (!force)
      return Invalid(Describe(**obj) + " is in use by " + list + "; use --force to remove it anyway");
    if (warnings) warnings->push_back("removed " + Describe(**obj) + ", which " + list + " still names");
  }
  return store_.Remove(kind, guid);
}

Result<std::vector<Ref>> Catalog::RefsOfStored(const Object& obj) {
  if (obj.kind == kAgentGroup) {
    auto g = Decode<core::AgentGroup>(obj);
    if (!g.ok()) return g.status();
    return RefsOf(*g);
  }
  if (obj.kind == kQueue) {
    auto q = Decode<core::Queue>(obj);
    if (!q.ok()) return q.status();
    return RefsOf(*q);
  }
  return std::vector<Ref>{};
}

Status Catalog::Restore(int64_t rev) {
  auto then = store_.ListAll(rev);
  if (!then.ok()) return then.status();
  auto now = store_.ListAll(kCurrent);
  if (!now.ok()) return now.status();
  std::map<std::pair<std::string, std::string>, const Object*> target;
  for (const auto& o : *then) target[{o.kind, o.guid}] = &o;
  std::vector<const Object*> to_put;
  // Remove first, so that names are free before objects that had them come back.
  for (const auto& o : *now) {
    auto it = target.find({o.kind, o.guid});
    if (it != target.end() && it->second->doc == o.doc && it->second->name == o.name) {
      target.erase(it);
      continue;
    }
    RGS_RETURN_IF_ERROR(store_.Remove(o.kind, o.guid));
  }
  for (const auto& [key, o] : target) {
    auto refs = RefsOfStored(*o);
    if (!refs.ok()) return refs.status();
    RGS_RETURN_IF_ERROR(store_.Put(*o, *refs));
  }
  return Status::Ok();
}

Json Catalog::Present(const core::AgentGroup& g) const { return ToDoc(g, {true, store_.pool()}); }
Json Catalog::Present(const core::Queue& q) const { return ToDoc(q, {true, store_.pool()}); }

Result<Json> Catalog::Present(const Object& obj) {
  if (obj.kind == kAgentGroup) {
    auto g = Decode<core::AgentGroup>(obj);
    if (!g.ok()) return g.status();
    return Present(*g);
  }
  if (obj.kind == kQueue) {
    auto q = Decode<core::Queue>(obj);
    if (!q.ok()) return q.status();
    return Present(*q);
  }
  return obj.doc;
}

template Result<core::AgentGroup> Catalog::Find(const std::string&, int64_t);
template Result<core::Queue> Catalog::Find(const std::string&, int64_t);
template Result<std::vector<core::AgentGroup>> Catalog::List(int64_t);
template Result<std::vector<core::Queue>> Catalog::List(int64_t);
template Result<core::AgentGroup> Catalog::Decode(const Object&);
template Result<core::Queue> Catalog::Decode(const Object&);

}  // namespace rgs::store
