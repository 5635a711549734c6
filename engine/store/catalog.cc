// Typed configuration operations over the versioned store.
#include "store/catalog.h"

#include <sha2.h>

#include <strings.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/wav.h"
#include "tz/zone.h"

namespace rgs::store {
namespace {

std::string Describe(const Object& o) { return Noun(o.kind) + " '" + o.name + "'"; }

bool IsSha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void Append(core::Problems& to, core::Problems from) {
  for (auto& p : from) to.push_back(std::move(p));
}

// Where in a document a GUID is named ("DefaultAction.QueueID"), or "".
std::string PathOf(const Json& doc, const std::string& guid, const std::string& at = "") {
  if (doc.is_string()) {
    const std::string& v = doc.get_ref<const std::string&>();
    bool names = v.size() >= guid.size() && v.compare(v.size() - guid.size(), guid.size(), guid) == 0;
    return names ? at : "";
  }
  if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i)
      if (auto p = PathOf(doc[i], guid, at + "[" + std::to_string(i) + "]"); !p.empty()) return p;
  } else if (doc.is_object()) {
    for (auto it = doc.begin(); it != doc.end(); ++it)
      if (auto p = PathOf(it.value(), guid, at.empty() ? it.key() : at + "." + it.key()); !p.empty()) return p;
  }
  return "";
}

// The errors of one object as findings, each once.
void AddFindings(const Object& o, const core::Problems& ps, std::vector<Finding>* out) {
  size_t first = out->size();
  for (const auto& p : ps) {
    Finding f{true, o.kind, o.guid, o.name, p.property, p.message, ""};
    if (std::find(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(), f) == out->end())
      out->push_back(std::move(f));
  }
}

// Calls f with the decoded object of the stored object's kind (kCorrupt for an unknown kind).
template <typename F>
auto WithKind(Catalog& c, const Object& o, F f) -> decltype(f(std::declval<core::AgentGroup&>())) {
  using R = decltype(f(std::declval<core::AgentGroup&>()));
  auto run = [&](auto decoded) -> R {
    if (!decoded.ok()) return decoded.status();
    return f(*decoded);
  };
  if (o.kind == kAgentGroup) return run(c.Decode<core::AgentGroup>(o));
  if (o.kind == kQueue) return run(c.Decode<core::Queue>(o));
  if (o.kind == kWorkflow) return run(c.Decode<core::Workflow>(o));
  if (o.kind == kHoursOfBusiness) return run(c.Decode<core::HoursOfBusiness>(o));
  if (o.kind == kHolidaySet) return run(c.Decode<core::HolidaySet>(o));
  if (o.kind == kAudioFile) return run(c.Decode<core::AudioFile>(o));
  return Corrupt("the store holds an object of unknown kind '" + o.kind + "'");
}

void ActionQueues(const core::CallAction& a, std::vector<std::string>* out) {
  if (a.action == core::ActionKind::kTransferToQueue && !a.queue.empty()) out->push_back(a.queue);
  if (a.question)
    for (const auto& ans : a.question->answers) ActionQueues(ans.action, out);
}

void DeadEnds(const core::Question& q, const std::string& path, std::vector<std::string>* out) {
  if (q.answers.empty())
    out->push_back(path + ": question '" + q.name + "' has no answers, so callers can only fail it");
  for (size_t i = 0; i < q.answers.size(); ++i)
    if (q.answers[i].action.question)
      DeadEnds(*q.answers[i].action.question, path + ".AnswerList[" + std::to_string(i) + "].Action.Question", out);
}

}  // namespace

std::string Sha256Hex(const std::string& bytes) {
  char hex[SHA256_DIGEST_STRING_LENGTH];
  SHA256Data(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), hex);
  return hex;  // lower-case hexadecimal
}

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
  if (ParseIdentity(ref, &pool, &guid) && strcasecmp(pool.c_str(), store_.pool().c_str()) != 0)
    return NotFound(Noun(kind) + " '" + ref + "' not found: the identity names pool '" + pool + "', this store is '" +
                    store_.pool() + "'");
  if (!guid.empty() || LooksLikeGuid(ref)) {
    if (guid.empty()) guid = ref;
    for (auto& c : guid) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto o = store_.Get(kind, guid, at);
    if (!o.ok()) return o.status();
    if (o->has_value()) return guid;
  }
  auto o = store_.FindByName(kind, ref, at);
  if (!o.ok()) return o.status();
  if (o->has_value()) return (*o)->guid;
  if (kind == kAudioFile && IsSha256(ref) && at == kCurrent) {
    auto same = store_.ListWhere(kAudioFile, "$.Sha256", "\"" + ref + "\"");
    if (!same.ok()) return same.status();
    if (!same->empty()) return same->front().guid;
  }
  return NotFound(Noun(kind) + " '" + ref + "' not found");
}

Resolver Catalog::resolver(int64_t at) {
  return [this, at](const std::string& kind, const std::string& ref) { return Resolve(kind, ref, at); };
}

template <typename T>
Result<T> Catalog::Decode(const Object& obj) {
  T out;
  core::Problems problems;
  FromDoc(
      obj.doc, [](const std::string&, const std::string& guid) -> Result<std::string> { return guid; }, &out,
      &problems);
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
Status Catalog::NewMissingRefs(const T& obj, bool create, core::Problems* problems) {
  core::Problems missing;
  RGS_RETURN_IF_ERROR(MissingRefs(RefsOf(obj), &missing));
  if (missing.empty()) return Status::Ok();
  // A reference left dangling by a forced removal does not block other edits of the object;
  // only a reference this change adds must exist.
  std::set<Ref> before;
  if (!create) {
    auto old = store_.Get(KindOf<T>::kName, obj.guid);
    if (!old.ok()) return old.status();
    if (old->has_value()) {
      auto refs = RefsOfStored(**old);
      if (!refs.ok()) return refs.status();
      before.insert(refs->begin(), refs->end());
    }
  }
  for (const Ref& r : RefsOf(obj)) {
    if (r.kind == kAddress) continue;
    auto o = store_.Get(r.kind, r.guid);
    if (!o.ok()) return o.status();
    if (o->has_value()) continue;
    if (before.count(r))
      dangling_.push_back(Noun(KindOf<T>::kName) + " '" + obj.name + "' still refers to a removed " + Noun(r.kind) +
                          " (" + r.guid + ")");
    else
      problems->push_back({"", "refers to " + Noun(r.kind) + " " + r.guid + ", which does not exist", Code::kNotFound});
  }
  return Status::Ok();
}

Status Catalog::MissingRefs(const std::vector<Ref>& refs, core::Problems* problems) {
  for (const Ref& r : refs) {
    if (r.kind == kAddress) continue;
    auto o = store_.Get(r.kind, r.guid);
    if (!o.ok()) return o.status();
    if (!o->has_value())
      problems->push_back({"", "refers to " + Noun(r.kind) + " " + r.guid + ", which does not exist", Code::kNotFound});
  }
  return Status::Ok();
}

template <typename T>
Status Catalog::Stage(T& obj, bool create, core::Problems problems, const Labeler& label) {
  const std::string kind = KindOf<T>::kName;
  std::string subject = Noun(kind) + " '" + obj.name + "'";
  if (!std::is_same_v<T, core::Workflow>) RGS_RETURN_IF_ERROR(NewMissingRefs(obj, create, &problems));
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

template <>
Status Catalog::SaveStaged(core::AgentGroup& g, bool create, std::vector<std::string>* warnings, const Labeler& label) {
  RGS_RETURN_IF_ERROR(Stage(g, create, core::ValidateAgentGroup(g), label));
  if (warnings)
    for (auto& w : core::Warnings(g)) warnings->push_back(std::move(w));
  return Status::Ok();
}

template <>
Status Catalog::SaveStaged(core::Queue& q, bool create, std::vector<std::string>* warnings, const Labeler& label) {
  auto before = Breaches(false);
  if (!before.ok()) return before.status();
  RGS_RETURN_IF_ERROR(Stage(q, create, core::ValidateQueue(q), label));
  RGS_RETURN_IF_ERROR(NoNewBreaches(*before, "queue '" + q.name + "'"));
  if (warnings)
    for (auto& w : core::Warnings(q)) warnings->push_back(std::move(w));
  return Status::Ok();
}

template <>
Status Catalog::SaveStaged(core::HoursOfBusiness& h, bool create, std::vector<std::string>*, const Labeler& label) {
  return Stage(h, create, core::ValidateHoursOfBusiness(h), label);
}

template <>
Status Catalog::SaveStaged(core::HolidaySet& s, bool create, std::vector<std::string>*, const Labeler& label) {
  return Stage(s, create, core::ValidateHolidaySet(s, create), label);
}

template <>
Status Catalog::SaveStaged(core::AudioFile& a, bool create, std::vector<std::string>*, const Labeler& label) {
  core::Problems problems;
  if (std::string err = core::CheckObjectName(a.name); !err.empty())
    problems.push_back({"Name", "'" + a.name + "' " + err, Code::kInvalid});
  if (!IsSha256(a.sha256)) problems.push_back({"Sha256", "'" + a.sha256 + "' is not a SHA-256", Code::kInvalid});
  return Stage(a, create, problems, label);
}

core::Problems Catalog::WorkflowChecks(const core::Workflow& w, core::Problems* errors, bool all_missing) {
  core::WorkflowProblems v = core::ValidateWorkflow(w, &tz::Known);
  Append(*errors, std::move(v.errors));
  Status s = all_missing ? MissingRefs(RefsOf(w), &v.checks) : NewMissingRefs(w, false, &v.checks);
  if (!s.ok()) errors->push_back({"", s.message(), s.code()});
  for (const std::string* uri : {&w.primary_uri, &w.line_uri}) {
    if (uri->empty()) continue;
    auto users = store_.Users(kAddress, AddressKey(*uri));
    if (!users.ok()) {
      errors->push_back({"", users.status().message(), users.status().code()});
      continue;
    }
    for (const auto& u : *users)
      if (u.guid != w.guid)
        errors->push_back({uri == &w.primary_uri ? "PrimaryUri" : "LineUri",
                           "'" + *uri + "' is already the address of workflow '" + u.name + "'", Code::kAlreadyExists});
  }
  return std::move(v.checks);
}

template <>
Status Catalog::SaveStaged(core::Workflow& w, bool create, std::vector<std::string>* warnings, const Labeler& label) {
  auto same = store_.FindByName(kWorkflow, w.name);
  if (!same.ok()) return same.status();
  if (same->has_value() && (create || (*same)->guid != w.guid))
    return AlreadyExists("workflow '" + (*same)->name + "' already exists");
  auto before = Breaches(w.managed);
  if (!before.ok()) return before.status();
  core::Problems errors;
  core::Problems checks = WorkflowChecks(w, &errors, false);
  if (create && w.managed && !w.active)
    errors.push_back({"Active", "a managed workflow must be created active", Code::kInvalid});
  for (const auto& e : errors)
    if (e.code == Code::kAlreadyExists)
      return AlreadyExists("workflow '" + w.name + "': " + (label ? label(e.property) : e.property) + ": " + e.message);
  if (w.active) Append(errors, checks);
  RGS_RETURN_IF_ERROR(Stage(w, create, errors, label));
  if (w.managed) any_managed_ = true;
  // Reference 1.4: a managed workflow shares no queue or agent group with any other, active
  // or not. Only what this save adds is refused, so an old breach blocks no unrelated edit.
  RGS_RETURN_IF_ERROR(NoNewBreaches(*before, "workflow '" + w.name + "'"));
  if (warnings)
    for (auto& m : core::Warnings(w)) warnings->push_back(std::move(m));
  if (!w.active && warnings) {
    for (const auto& p : checks) {
      std::string where = label ? label(p.property) : p.property;
      warnings->push_back("inactive workflow '" + w.name + "': " + (where.empty() ? "" : where + ": ") + p.message +
                          " (it must be fixed before the workflow is activated)");
    }
  }
  return Status::Ok();
}

Status Catalog::ImportAudio(core::AudioFile& audio, const std::string& bytes, std::vector<std::string>* warnings) {
  auto info = core::InspectWav(bytes);
  if (!info.ok()) return Invalid("'" + audio.file_name + "' " + info.status().message());
  audio.sha256 = Sha256Hex(bytes);
  audio.encoding = info->encoding;
  audio.sample_rate = info->sample_rate;
  audio.bits_per_sample = info->bits_per_sample;
  audio.channels = info->channels;
  audio.bytes = static_cast<long long>(bytes.size());
  audio.duration_ms = info->duration_ms;
  RGS_RETURN_IF_ERROR(store_.PutBlob(audio.sha256, bytes));
  if (warnings && (info->sample_rate != 16000 || info->channels != 1 || info->bits_per_sample != 16))
    warnings->push_back("audio file '" + audio.name + "' is " + std::to_string(info->sample_rate) + " Hz, " +
                        std::to_string(info->bits_per_sample) + "-bit, " + (info->channels == 1 ? "mono" : "stereo") +
                        "; 16 kHz 16-bit mono is recommended");
  return Save(audio, true, warnings);
}

template <typename T>
Status Catalog::Save(T& obj, bool create, std::vector<std::string>* warnings, const Labeler& label) {
  auto mark = store_.MarkPoint();
  if (!mark.ok()) return mark.status();
  T attempt = obj;
  size_t warned = warnings ? warnings->size() : 0;
  Status s = SaveStaged(attempt, create, warnings, label);
  if (!s.ok()) {
    if (warnings) warnings->resize(warned);
    Status undone = store_.Undo(*mark);
    return undone.ok() ? s : undone;
  }
  obj = std::move(attempt);
  return store_.Keep(*mark);
}

Result<core::ServiceSettings> Catalog::Settings(int64_t at) {
  auto o = store_.Get(kSettings, kSettingsGuid, at);
  if (!o.ok()) return o.status();
  core::ServiceSettings s;
  if (!o->has_value()) return s;
  core::Problems problems;
  FromDoc((*o)->doc, [](const std::string&, const std::string& g) -> Result<std::string> { return g; }, &s, &problems);
  if (!problems.empty()) return Corrupt("stored service settings are unreadable: " + problems.front().message);
  return s;
}

Status Catalog::SaveSettings(const core::ServiceSettings& s, const Labeler& label) {
  core::Problems problems = core::ValidateSettings(s);
  RGS_RETURN_IF_ERROR(MissingRefs(RefsOf(s), &problems));
  RGS_RETURN_IF_ERROR(ToStatus("service settings", problems, label));
  return store_.Put({kSettings, kSettingsGuid, "ServiceSettings", ToDoc(s)}, RefsOf(s));
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
    list += (list.empty() ? "" : ", ") + (u.kind == kSettings ? std::string("the service settings") : Describe(u));
  }
  if (!list.empty()) {
    if (!force) return Invalid(Describe(**obj) + " is in use by " + list + "; use --force to remove it anyway");
    if (warnings) warnings->push_back("removed " + Describe(**obj) + ", which " + list + " still names");
  }
  return store_.Remove(kind, guid);
}

Result<std::vector<Ref>> Catalog::RefsOfStored(const Object& obj) {
  if (obj.kind == kSettings) {
    core::ServiceSettings settings;
    core::Problems problems;
    FromDoc(
        obj.doc, [](const std::string&, const std::string& g) -> Result<std::string> { return g; }, &settings,
        &problems);
    return RefsOf(settings);
  }
  static const std::set<std::string> kKnown = {kAgentGroup,      kQueue,      kWorkflow,
                                               kHoursOfBusiness, kHolidaySet, kAudioFile};
  if (!kKnown.count(obj.kind)) return std::vector<Ref>{};  // a kind this rgs does not know refers to nothing
  return WithKind(*this, obj, [](auto& t) -> Result<std::vector<Ref>> { return RefsOf(t); });
}

Status Catalog::Restore(int64_t rev) {
  auto then = store_.ListAll(rev);
  if (!then.ok()) return then.status();
  auto now = store_.ListAll(kCurrent);
  if (!now.ok()) return now.status();
  std::map<std::pair<std::string, std::string>, const Object*> target;
  for (const auto& o : *then) target[{o.kind, o.guid}] = &o;
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
  return RestoreCredentials(rev);
}

// Agents' credentials as they were at `rev`: the HA1s of then, not a new password.
Status Catalog::RestoreCredentials(int64_t rev) {
  auto then = store_.Credentials(rev);
  if (!then.ok()) return then.status();
  auto now = store_.Credentials(kCurrent);
  if (!now.ok()) return now.status();
  std::set<std::string> kept;
  for (const auto& c : *then) kept.insert(c.aor);
  for (const auto& c : *now)
    if (!kept.count(c.aor)) RGS_RETURN_IF_ERROR(store_.RemoveCredential(c.aor));
  for (const auto& c : *then) RGS_RETURN_IF_ERROR(store_.PutCredential(c));
  return Status::Ok();
}

Result<Json> Catalog::Present(Object&& obj) {
  if (obj.kind == kAgentGroup || obj.kind == kHoursOfBusiness || obj.kind == kHolidaySet || obj.kind == kAudioFile) {
    if (!obj.doc.is_object()) return Corrupt("stored " + Describe(obj) + " is not a document");
    Json out;
    out["Identity"] = IdentityOf(store_.pool(), obj.guid);
    out["Parent"] = ServiceId(store_.pool());
    for (auto it = obj.doc.begin(); it != obj.doc.end(); ++it) out[it.key()] = std::move(it.value());
    return out;
  }
  return Present(static_cast<const Object&>(obj));
}

Result<Json> Catalog::Present(const Object& obj) {
  if (obj.kind == kSettings) {
    core::ServiceSettings s;
    core::Problems problems;
    FromDoc(
        obj.doc, [](const std::string&, const std::string& g) -> Result<std::string> { return g; }, &s, &problems);
    return ToDoc(s, {true, store_.pool()});
  }
  return WithKind(*this, obj, [this](auto& t) -> Result<Json> { return Present(t); });
}

Result<std::vector<std::string>> Catalog::QueuesOf(const core::Workflow& w) {
  std::vector<std::string> frontier;
  for (const auto* a : {&w.default_action, &w.non_business_hours_action, &w.holiday_action})
    if (*a) ActionQueues(**a, &frontier);
  std::set<std::string> seen;
  std::vector<std::string> out;
  while (!frontier.empty()) {
    std::string g = frontier.back();
    frontier.pop_back();
    if (!seen.insert(g).second) continue;
    out.push_back(g);
    auto o = store_.Get(kQueue, g);
    if (!o.ok()) return o.status();
    if (!o->has_value()) continue;
    auto q = Decode<core::Queue>(**o);
    if (!q.ok()) return q.status();
    for (const auto* a : {&q->timeout_action, &q->overflow_action})
      if (*a) ActionQueues(**a, &frontier);
  }
  return out;
}

Result<std::vector<SharingBreach>> Catalog::Breaches(bool force) {
  if (!force) {
    // Whether any workflow is managed is looked up once per catalog (a command) and then kept:
    // only saving a managed workflow can make it true.
    if (!any_managed_) {
      auto managed = store_.ListWhere(kWorkflow, "$.Managed", "true");
      if (!managed.ok()) return managed.status();
      any_managed_ = !managed->empty();
    }
    if (!*any_managed_) return std::vector<SharingBreach>{};
  }
  return SharingBreaches();
}

Status Catalog::NoNewBreaches(const std::vector<SharingBreach>& before, const std::string& subject) {
  auto after = Breaches(false);
  if (!after.ok()) return after.status();
  auto key = [](const SharingBreach& b) { return b.managed + b.other + b.kind + b.shared; };
  std::set<std::string> old;
  for (const auto& b : before) old.insert(key(b));
  auto name = [this](const std::string& kind, const std::string& guid) {
    auto o = store_.Get(kind, guid);
    return o.ok() && o->has_value() ? (*o)->name : guid;
  };
  std::string msg;
  for (const auto& b : *after) {
    if (old.count(key(b))) continue;
    msg += (msg.empty() ? "" : "\n") + subject + ": managed workflow '" + name(kWorkflow, b.managed) +
           "' would share " + Noun(b.kind) + " '" + name(b.kind, b.shared) + "' with workflow '" +
           name(kWorkflow, b.other) + "'; a managed workflow shares no queue or agent group";
  }
  return msg.empty() ? Status::Ok() : Invalid(msg);
}

Result<std::vector<SharingBreach>> Catalog::SharingBreaches() {
  // Only a managed workflow can be in breach: without one, nothing needs reading.
  auto managed = store_.ListWhere(kWorkflow, "$.Managed", "true");
  if (!managed.ok()) return managed.status();
  if (managed->empty()) return std::vector<SharingBreach>{};
  auto workflows = List<core::Workflow>();
  if (!workflows.ok()) return workflows.status();
  struct Reach {
    std::set<std::string> queues, groups;
  };
  std::map<std::string, Reach> reach;
  std::map<std::string, std::vector<std::string>> groups_of;  // queue -> groups, cached
  for (const auto& w : *workflows) {
    auto qs = QueuesOf(w);
    if (!qs.ok()) return qs.status();
    Reach& r = reach[w.guid];
    for (const auto& q : *qs) {
      r.queues.insert(q);
      auto it = groups_of.find(q);
      if (it == groups_of.end()) {
        auto queue = Find<core::Queue>(q);
        it = groups_of.emplace(q, queue.ok() ? queue->agent_groups : std::vector<std::string>{}).first;
      }
      r.groups.insert(it->second.begin(), it->second.end());
    }
  }
  std::vector<SharingBreach> out;
  for (const auto& m : *workflows) {
    if (!m.managed) continue;
    for (const auto& o : *workflows) {
      if (o.guid == m.guid) continue;
      for (const auto& q : reach[m.guid].queues)
        if (reach[o.guid].queues.count(q)) out.push_back({m.guid, o.guid, kQueue, q});
      for (const auto& g : reach[m.guid].groups)
        if (reach[o.guid].groups.count(g)) out.push_back({m.guid, o.guid, kAgentGroup, g});
    }
  }
  return out;
}

Status Catalog::Dangling(const Object& o, const std::vector<Ref>& refs, std::vector<Finding>* out) {
  std::set<Ref> seen;
  for (const Ref& r : refs) {
    if (r.kind == kAddress || !seen.insert(r).second) continue;
    auto target = store_.Get(r.kind, r.guid);
    if (!target.ok()) return target.status();
    if (!target->has_value())
      out->push_back({true, o.kind, o.guid, o.name, PathOf(o.doc, r.guid),
                      "the " + Noun(r.kind) + " it refers to no longer exists", r.guid});
  }
  return Status::Ok();
}

Result<std::vector<Finding>> Catalog::Check(size_t* objects) {
  std::vector<Finding> out;
  auto all = store_.ListAll(kCurrent);
  if (!all.ok()) return all.status();
  if (objects) *objects = all->size();
  for (const auto& o : *all) {
    if (o.kind == kSettings) {
      auto s = Settings();
      if (!s.ok()) {
        out.push_back({true, o.kind, o.guid, o.name, "", s.status().message(), ""});
        continue;
      }
      AddFindings(o, core::ValidateSettings(*s), &out);
      RGS_RETURN_IF_ERROR(Dangling(o, RefsOf(*s), &out));
      continue;
    }
    std::vector<std::string> warnings;
    std::vector<Ref> refs;
    auto problems = WithKind(*this, o, [&](auto& t) -> Result<core::Problems> {
      using T = std::decay_t<decltype(t)>;
      core::Problems ps;
      if constexpr (std::is_same_v<T, core::AgentGroup> || std::is_same_v<T, core::Queue> ||
                    std::is_same_v<T, core::Workflow>)
        warnings = core::Warnings(t);
      if constexpr (std::is_same_v<T, core::AgentGroup>) ps = core::ValidateAgentGroup(t);
      if constexpr (std::is_same_v<T, core::Queue>) ps = core::ValidateQueue(t);
      if constexpr (std::is_same_v<T, core::HoursOfBusiness>) ps = core::ValidateHoursOfBusiness(t);
      if constexpr (std::is_same_v<T, core::HolidaySet>) ps = core::ValidateHolidaySet(t, false);
      if constexpr (std::is_same_v<T, core::AudioFile>) {
        auto blob = store_.GetBlob(t.sha256);
        if (!blob.ok()) return blob.status();
        if (!blob->has_value()) ps.push_back({"Sha256", "the audio content is missing from the store", Code::kInvalid});
      }
      if constexpr (std::is_same_v<T, core::Workflow>) {
        // Its dangling references are Dangling's findings, active or not; the other checks of
        // an active workflow are errors.
        core::Problems checks = WorkflowChecks(t, &ps, true);
        if (t.active)
          for (auto& p : checks)
            if (p.code != Code::kNotFound) ps.push_back(p);
        std::vector<std::string> dead;
        for (const auto* a : {&t.default_action})
          if (*a && (*a)->question) DeadEnds(*(*a)->question, "DefaultAction.Question", &dead);
        for (const auto& d : dead) ps.push_back({"", d, Code::kInvalid});
      }
      refs = RefsOf(t);
      return ps;
    });
    if (!problems.ok()) {
      out.push_back({true, o.kind, o.guid, o.name, "", problems.status().message(), ""});
      continue;
    }
    AddFindings(o, *problems, &out);
    RGS_RETURN_IF_ERROR(Dangling(o, refs, &out));
    // core::Warnings names the object first, as a save's warning does; a finding names it apart.
    const std::string subject = Describe(o) + ": ";
    for (auto& w : warnings)
      out.push_back({false, o.kind, o.guid, o.name, "", w.rfind(subject, 0) == 0 ? w.substr(subject.size()) : w, ""});
  }
  auto breaches = SharingBreaches();
  if (!breaches.ok()) return breaches.status();
  for (const auto& b : *breaches) {
    auto m = store_.Get(kWorkflow, b.managed);
    auto w = store_.Get(kWorkflow, b.other);
    auto s = store_.Get(b.kind, b.shared);
    auto name = [](const Result<std::optional<Object>>& r, const std::string& g) {
      return r.ok() && r->has_value() ? (*r)->name : g;
    };
    out.push_back({true, kWorkflow, b.managed, name(m, b.managed), "",
                   "managed, yet shares " + Noun(b.kind) + " '" + name(s, b.shared) + "' with workflow '" +
                       name(w, b.other) + "'",
                   ""});
  }
  return out;
}

#define RGS_INSTANTIATE(T)                                                            \
  template Status Catalog::Save(T&, bool, std::vector<std::string>*, const Labeler&); \
  template Result<T> Catalog::Find(const std::string&, int64_t);                      \
  template Result<std::vector<T>> Catalog::List(int64_t);                             \
  template Result<T> Catalog::Decode(const Object&);
RGS_INSTANTIATE(core::AgentGroup)
RGS_INSTANTIATE(core::Queue)
RGS_INSTANTIATE(core::Workflow)
RGS_INSTANTIATE(core::HoursOfBusiness)
RGS_INSTANTIATE(core::HolidaySet)
RGS_INSTANTIATE(core::AudioFile)
#undef RGS_INSTANTIATE

}  // namespace rgs::store
