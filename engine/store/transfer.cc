// Export and import of whole configurations.
#include "store/transfer.h"

#include <strings.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/snapshot.h"
#include "core/wav.h"
#include "store/document.h"
#include "tz/zone.h"

namespace rgs::store {
namespace {

constexpr const char* kManifest = "manifest.yaml";
constexpr const char* kConfiguration = "configuration.yaml";
constexpr const char* kCredentials = "credentials.yaml";

// The lists of configuration.yaml, in the order they are written and read.
struct Section {
  const char* key;
  const char* kind;
};
constexpr Section kSections[] = {
    {"AudioFiles", kAudioFile},   {"HoursOfBusiness", kHoursOfBusiness},
    {"HolidaySets", kHolidaySet}, {"AgentGroups", kAgentGroup},
    {"Queues", kQueue},           {"Workflows", kWorkflow},
};

// A string property of a document from an archive, or "" when it is absent or not a string
// (nlohmann's value() would throw for another type).
std::string StringProperty(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every object an archive holds, read and checked.
struct Incoming {
  std::string kind, guid, name, path;  // path: "Queues[3]"
  Json doc;
  std::vector<Ref> refs;
  std::function<Status(Catalog&)> stage;  // writes it (with its final name and owner)
};

template <typename T>
void ReadObject(Catalog& catalog, const Json& doc, const std::string& path, const Resolver& resolve,
                const ImportOptions& options, const std::string& pool, Incoming* in, core::Problems* problems) {
  T obj;
  core::Problems ps;
  FromDoc(doc, resolve, &obj, &ps);
  obj.guid = in->guid;
  if (options.overwrite_owner || obj.owner.empty()) obj.owner = pool;
  if constexpr (std::is_same_v<T, core::AgentGroup>) {
    for (auto& p : core::ValidateAgentGroup(obj)) ps.push_back(p);
  } else if constexpr (std::is_same_v<T, core::Queue>) {
    for (auto& p : core::ValidateQueue(obj)) ps.push_back(p);
  } else if constexpr (std::is_same_v<T, core::HoursOfBusiness>) {
    for (auto& p : core::ValidateHoursOfBusiness(obj)) ps.push_back(p);
  } else if constexpr (std::is_same_v<T, core::HolidaySet>) {
    for (auto& p : core::ValidateHolidaySet(obj, false)) ps.push_back(p);
  } else if constexpr (std::is_same_v<T, core::Workflow>) {
    core::WorkflowProblems v = core::ValidateWorkflow(obj, &tz::Known);
    for (auto& p : v.errors) ps.push_back(p);
    if (obj.active)
      for (auto& p : v.checks) ps.push_back(p);
  }
  for (auto& p : ps) {
    p.property = path + (p.property.empty() ? "" : "." + p.property);
    problems->push_back(std::move(p));
  }
  in->refs = RefsOf(obj);
  in->stage = [obj, in](Catalog& c) mutable {
    obj.name = in->name;
    return c.store().Put({in->kind, obj.guid, obj.name, ToDoc(obj)}, RefsOf(obj));
  };
  (void)catalog;
}

// Why an export of nothing is refused: what was asked for, and what the store holds.
std::string EmptyExport(const ExportOptions& options, const std::map<std::string, size_t>& held) {
  std::string msg = "the archive would hold no objects, only the service settings: ";
  msg += options.owner.empty() ? "the store holds none"
                               : "no object is owned by pool '" + ServicePool(options.owner) + "' (--owner)";
  if (!options.owner.empty()) {
    std::string owners;
    for (const auto& [owner, n] : held)
      owners += (owners.empty() ? "" : ", ") + std::to_string(n) + (n == 1 ? " object" : " objects") + " owned by '" +
                owner + "'";
    msg += owners.empty() ? "; the store holds none" : "; the store holds " + owners;
  }
  if (options.revision != kCurrent) msg += " (at revision " + std::to_string(options.revision) + ")";
  return msg + "; give --allow-empty to write it anyway";
}

// credentials.yaml: AgentCredentials, a list of {Agent, UserName, Realm, Ha1Md5, Ha1Sha256}.
template <typename Problem>
void ReadCredentials(const std::string& bytes, std::vector<core::AgentCredential>* out, const Problem& problem) {
  auto doc = ParseDocument(bytes, kCredentials, nullptr);
  if (!doc.ok()) return problem(doc.status().message());
  const Json& d = *doc;
  if (!d.is_object() || !d.contains("AgentCredentials") || !d["AgentCredentials"].is_array())
    return problem(std::string(kCredentials) + ": AgentCredentials: must be a list");
  auto hex = [](const Json& v, size_t n) {
    return v.is_string() && v.get<std::string>().size() == n &&
           v.get<std::string>().find_first_not_of("0123456789abcdef") == std::string::npos;
  };
  size_t i = 0;
  for (const auto& c : d["AgentCredentials"]) {
    std::string where = std::string(kCredentials) + ": AgentCredentials[" + std::to_string(i++) + "]";
    if (!c.is_object() || !c.contains("Agent") || !c["Agent"].is_string() || !c.contains("Realm") ||
        !c["Realm"].is_string() || c["Realm"].get<std::string>().empty()) {
      problem(where + ": needs Agent and Realm");
      continue;
    }
    core::AgentCredential cred;
    cred.aor = core::NormalizeAddress(c["Agent"].get<std::string>());
    cred.username = core::DigestUsername(cred.aor);
    cred.realm = c["Realm"].get<std::string>();
    if (cred.aor.rfind("sip:", 0) != 0 || cred.username.empty())
      problem(where + ".Agent: '" + c["Agent"].get<std::string>() + "' is not an agent's SIP URI");
    else if (c.value("UserName", cred.username) != cred.username)
      problem(where + ".UserName: must be the user part of Agent");
    else if (!c.contains("Ha1Md5") || !hex(c["Ha1Md5"], 32))
      problem(where + ".Ha1Md5: must be 32 lower-case hexadecimal digits");
    else if (!c.contains("Ha1Sha256") || !hex(c["Ha1Sha256"], 64))
      problem(where + ".Ha1Sha256: must be 64 lower-case hexadecimal digits");
    else {
      cred.ha1_md5 = c["Ha1Md5"].get<std::string>();
      cred.ha1_sha256 = c["Ha1Sha256"].get<std::string>();
      out->push_back(std::move(cred));
    }
  }
}

}  // namespace

long long EntryLimit(const std::string& name) {
  if (name == kManifest) return 1 << 20;
  if (name == kConfiguration) return 256LL << 20;
  if (name == kCredentials) return 64LL << 20;
  if (name.rfind("audio/", 0) == 0 && name.size() == 6 + 64 + 4 && name.compare(name.size() - 4, 4, ".wav") == 0 &&
      name.substr(6, 64).find_first_not_of("0123456789abcdef") == std::string::npos)
    return core::kMaxAudioBytes;
  return -1;
}

Result<ExportResult> BuildExport(Catalog& catalog, const ExportOptions& options) {
  Store& st = catalog.store();
  ExportResult out;
  out.revision = options.revision == kCurrent ? st.revision() : options.revision;
  if (out.revision > 0) {
    auto rev = st.GetRevision(out.revision);
    if (!rev.ok()) return rev.status();
    if (rev->has_value()) out.time = (*rev)->time;
  }
  if (out.time.empty()) out.time = "1970-01-01T00:00:00Z";
  Json config = Json::object();
  auto settings = catalog.Settings(options.revision);
  if (!settings.ok()) return settings.status();
  config["ServiceSettings"] = ToDoc(*settings, {true, st.pool()});
  std::set<std::string> audio_needed;
  std::map<std::string, size_t> held;  // objects of the store by owner, for the refusal of an empty archive
  for (const Section& sec : kSections) {
    Json list = Json::array();
    RGS_RETURN_IF_ERROR(st.ForEach(sec.kind, options.revision, [&](Object&& o) -> Status {
      std::string owner = o.doc.value("OwnerPool", "");
      ++held[owner];
      if (!options.owner.empty() && !SamePool(options.owner, owner)) return Status::Ok();
      if (sec.kind == std::string(kAudioFile)) audio_needed.insert(o.doc.value("Sha256", ""));
      out.objects.push_back(o);
      auto shown = catalog.Present(std::move(o));
      if (!shown.ok()) return shown.status();
      list.push_back(std::move(*shown));
      return Status::Ok();
    }));
    config[sec.key] = std::move(list);
  }
  if (out.objects.empty() && !options.allow_empty) return Invalid(EmptyExport(options, held));
  std::vector<archive::Entry> files;
  files.push_back({kConfiguration, EmitYaml(config)});
  if (options.include_credentials) {
    auto creds = st.Credentials(options.revision);
    if (!creds.ok()) return creds.status();
    Json list = Json::array();
    for (const auto& c : *creds)
      list.push_back({{"Agent", c.aor},
                      {"UserName", c.username},
                      {"Realm", c.realm},
                      {"Ha1Md5", c.ha1_md5},
                      {"Ha1Sha256", c.ha1_sha256}});
    files.push_back({kCredentials, EmitYaml(Json{{"AgentCredentials", std::move(list)}})});
  }
  for (const auto& sha : audio_needed) {
    auto blob = st.GetBlob(sha);
    if (!blob.ok()) return blob.status();
    if (!blob->has_value()) return Corrupt("the content of audio " + sha + " is missing from the store");
    files.push_back({"audio/" + sha + ".wav", std::move(**blob)});
  }
  Json manifest;
  manifest["FormatVersion"] = kArchiveFormat;
  manifest["SourcePool"] = st.pool();
  manifest["SourceRevision"] = out.revision;
  manifest["ExportedRevisionTime"] = out.time;
  manifest["Owner"] = options.owner.empty() ? Json() : Json(ServicePool(options.owner));
  Json list = Json::array();
  for (const auto& f : files)
    list.push_back({{"Name", f.name}, {"Bytes", f.bytes.size()}, {"Sha256", Sha256Hex(f.bytes)}});
  manifest["Entries"] = std::move(list);
  out.entries.push_back({kManifest, EmitYaml(manifest)});
  for (auto& f : files) out.entries.push_back(std::move(f));
  return out;
}

Status CheckReplace(const std::string& path, const std::vector<archive::Entry>& existing, const ExportResult& fresh) {
  auto fresh_count =
      std::count_if(fresh.objects.begin(), fresh.objects.end(), [](const Object& o) { return o.kind == kWorkflow; });
  auto config =
      std::find_if(existing.begin(), existing.end(), [](const archive::Entry& e) { return e.name == kConfiguration; });
  if (config == existing.end()) return Status::Ok();  // not an archive: --force replaces it as any file
  auto doc = ParseDocument(config->bytes, kConfiguration, nullptr);
  if (!doc.ok() || !doc->is_object()) return Status::Ok();
  size_t before = doc->contains("Workflows") && (*doc)["Workflows"].is_array() ? (*doc)["Workflows"].size() : 0;
  if (static_cast<size_t>(fresh_count) >= before) return Status::Ok();
  return Invalid("'" + path + "' holds " + std::to_string(before) + " workflow" + (before == 1 ? "" : "s") +
                 ", the new archive only " + std::to_string(fresh_count) +
                 "; give --allow-shrink to replace it anyway");
}

Status Import(Catalog& catalog, const std::vector<archive::Entry>& entries, const ImportOptions& options,
              ImportPlan* plan, std::vector<std::string>* problems,
              const std::function<void(size_t, size_t)>& progress) {
  Store& st = catalog.store();
  std::map<std::string, const archive::Entry*> by_name;
  for (const auto& e : entries) by_name[e.name] = &e;
  std::map<const archive::Entry*, std::string> sha;  // each entry hashed once
  auto sha_of = [&sha](const archive::Entry& e) -> const std::string& {
    auto it = sha.find(&e);
    return it != sha.end() ? it->second : sha.emplace(&e, Sha256Hex(e.bytes)).first->second;
  };
  auto problem = [&](const std::string& s) { problems->push_back(s); };

  // 1. The manifest: format version, and every entry listed with its size and checksum.
  auto mit = by_name.find(kManifest);
  if (mit == by_name.end()) {
    problem(std::string(kManifest) + ": missing: this is not an rgs archive");
    return Invalid("the archive is not valid");
  }
  Positions mpos;
  auto manifest = ParseDocument(mit->second->bytes, kManifest, &mpos);
  if (!manifest.ok()) {
    problem(manifest.status().message());
    return Invalid("the archive is not valid");
  }
  auto mloc = [&](const std::string& path) { return Locate(kManifest, mpos, path) + path + ": "; };
  const Json& m = *manifest;
  if (!m.is_object() || !m.contains("FormatVersion") || !m["FormatVersion"].is_number_integer()) {
    problem(mloc("FormatVersion") + "missing or not a number");
    return Invalid("the archive is not valid");
  }
  if (m["FormatVersion"].get<long long>() != kArchiveFormat) {
    problem(mloc("FormatVersion") + "format version " + m["FormatVersion"].dump() +
            " is not one this rgs reads (it reads " + std::to_string(kArchiveFormat) + ")");
    return Invalid("the archive is not valid");
  }
  for (auto it = m.begin(); it != m.end(); ++it)
    if (it.key() != "FormatVersion" && it.key() != "SourcePool" && it.key() != "SourceRevision" &&
        it.key() != "ExportedRevisionTime" && it.key() != "Owner" && it.key() != "Entries")
      problem(mloc(it.key()) + "is not a known property");
  if (m.contains("SourcePool") && !m["SourcePool"].is_string()) problem(mloc("SourcePool") + "must be a string");
  plan->source_pool = StringProperty(m, "SourcePool");
  plan->source_revision = m.contains("SourceRevision") && m["SourceRevision"].is_number_integer()
                              ? m["SourceRevision"].get<long long>()
                              : 0;
  std::set<std::string> listed;
  if (!m.contains("Entries") || !m["Entries"].is_array()) {
    problem(mloc("Entries") + "missing or not a list");
  } else {
    for (size_t i = 0; i < m["Entries"].size(); ++i) {
      const Json& e = m["Entries"][i];
      std::string path = "Entries[" + std::to_string(i) + "]";
      if (!e.is_object() || !e.contains("Name") || !e["Name"].is_string() || !e.contains("Sha256") ||
          !e["Sha256"].is_string() || !e.contains("Bytes") || !e["Bytes"].is_number_integer()) {
        problem(mloc(path) + "needs Name, Bytes and Sha256");
        continue;
      }
      std::string name = e["Name"].get<std::string>();
      listed.insert(name);
      auto f = by_name.find(name);
      if (f == by_name.end()) {
        problem(mloc(path + ".Name") + "'" + name + "' is listed but not in the archive");
        continue;
      }
      if (e["Bytes"].get<long long>() != static_cast<long long>(f->second->bytes.size()))
        problem(name + ": holds " + std::to_string(f->second->bytes.size()) + " bytes, the manifest says " +
                e["Bytes"].dump());
      if (sha_of(*f->second) != e["Sha256"].get<std::string>())
        problem(name + ": checksum mismatch: its SHA-256 is not the one the manifest gives");
    }
  }
  for (const auto& e : entries)
    if (e.name != kManifest && !listed.count(e.name)) problem(e.name + ": in the archive but not in the manifest");
  for (const auto& e : entries)
    if (e.name.rfind("audio/", 0) == 0 && sha_of(e) != e.name.substr(6, 64))
      problem(e.name + ": its content does not have the SHA-256 its name gives");
  auto cit = by_name.find(kConfiguration);
  if (cit == by_name.end()) {
    problem(std::string(kConfiguration) + ": missing");
    return Invalid("the archive is not valid");
  }
  if (!problems->empty()) return Invalid("the archive is not valid");

  // 2. configuration.yaml: every object read and checked, references resolved against the
  // archive first and the store second.
  auto config = ParseDocument(cit->second->bytes, kConfiguration, nullptr);
  if (!config.ok()) {
    problem(config.status().message());
    return Invalid("the archive is not valid");
  }
  LazyLocator locate(cit->second->bytes, kConfiguration);  // positions only for messages
  auto loc = [&](const std::string& path) { return locate(path) + path + ": "; };
  Json& c = *config;
  if (!c.is_object()) {
    problem(loc("") + "must be a mapping of ServiceSettings and the object lists");
    return Invalid("the archive is not valid");
  }
  for (auto it = c.begin(); it != c.end(); ++it) {
    bool known = it.key() == "ServiceSettings";
    for (const Section& s : kSections) known = known || it.key() == s.key;
    if (!known) problem(loc(it.key()) + "is not a known property");
  }
  std::vector<Incoming> incoming;
  size_t objects = 0;
  for (const Section& sec : kSections)
    if (c.contains(sec.key) && c[sec.key].is_array()) objects += c[sec.key].size();
  incoming.reserve(objects);
  std::map<std::string, std::string> archive_kind;  // guid -> kind
  for (const Section& sec : kSections) {
    if (!c.contains(sec.key)) continue;
    Json& list = c[sec.key];
    if (!list.is_array()) {
      problem(loc(sec.key) + "must be a list");
      continue;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      std::string path = std::string(sec.key) + "[" + std::to_string(i) + "]";
      Json& d = list[i];
      std::string pool, guid;
      if (!d.is_object() || !d.contains("Identity") || !d["Identity"].is_string() ||
          !ParseIdentity(d["Identity"].get<std::string>(), &pool, &guid)) {
        problem(loc(path + ".Identity") + "missing or not an identity (service:ApplicationServer:POOL/GUID)");
        continue;
      }
      if (archive_kind.count(guid)) {
        problem(loc(path + ".Identity") + "the identity " + guid + " is given twice");
        continue;
      }
      archive_kind[guid] = sec.kind;
      Incoming in;
      in.kind = sec.kind;
      in.guid = guid;
      in.path = path;
      in.name = StringProperty(d, "Name");  // FromDoc reports a Name that is not a string
      in.doc = std::move(d);
      incoming.push_back(std::move(in));
    }
  }
  Resolver resolve = [&](const std::string& kind, const std::string& ref) -> Result<std::string> {
    std::string pool, guid = ref;
    if (!ParseIdentity(ref, &pool, &guid) && !LooksLikeGuid(ref))
      return NotFound("'" + ref + "' is not an identity; an archive refers to objects by identity");
    auto k = archive_kind.find(guid);
    if (k != archive_kind.end()) {
      if (k->second != kind) return NotFound("'" + ref + "' is not a " + Noun(kind) + " but a " + Noun(k->second));
      return guid;
    }
    auto o = st.Get(kind, guid);
    if (!o.ok()) return o.status();
    if (o->has_value()) return guid;
    return NotFound("refers to " + Noun(kind) + " " + guid + ", which is neither in the archive nor in this store");
  };
  core::Problems ps;
  for (auto& in : incoming) {
    if (in.kind == kAgentGroup)
      ReadObject<core::AgentGroup>(catalog, in.doc, in.path, resolve, options, st.pool(), &in, &ps);
    if (in.kind == kQueue) ReadObject<core::Queue>(catalog, in.doc, in.path, resolve, options, st.pool(), &in, &ps);
    if (in.kind == kWorkflow)
      ReadObject<core::Workflow>(catalog, in.doc, in.path, resolve, options, st.pool(), &in, &ps);
    if (in.kind == kHoursOfBusiness)
      ReadObject<core::HoursOfBusiness>(catalog, in.doc, in.path, resolve, options, st.pool(), &in, &ps);
    if (in.kind == kHolidaySet)
      ReadObject<core::HolidaySet>(catalog, in.doc, in.path, resolve, options, st.pool(), &in, &ps);
    if (in.kind == kAudioFile) {
      if (!in.doc.contains("Sha256") || !in.doc["Sha256"].is_string()) {
        ps.push_back({in.path + ".Sha256", "missing or not a string (the SHA-256 of its audio entry)", Code::kInvalid});
        continue;
      }
      std::string sha = in.doc["Sha256"].get<std::string>();
      std::optional<std::string> content;
      auto blob = by_name.find("audio/" + sha + ".wav");
      if (blob != by_name.end()) {
        content = blob->second->bytes;
      } else {
        auto have = st.GetBlob(sha);
        if (!have.ok()) return have.status();
        content = *have;
      }
      if (!content) {
        ps.push_back(
            {in.path + ".Sha256", "audio/" + sha + ".wav is neither in the archive nor in this store", Code::kInvalid});
        continue;
      }
      auto wav = core::InspectWav(*content);
      if (!wav.ok()) {
        ps.push_back({in.path, "audio/" + sha + ".wav " + wav.status().message(), Code::kInvalid});
        continue;
      }
      // What the audio is comes from its content, not from what the document says of it.
      in.doc["Encoding"] = wav->encoding;
      in.doc["SampleRate"] = wav->sample_rate;
      in.doc["BitsPerSample"] = wav->bits_per_sample;
      in.doc["Channels"] = wav->channels;
      in.doc["Bytes"] = static_cast<long long>(content->size());
      in.doc["DurationMs"] = wav->duration_ms;
      ReadObject<core::AudioFile>(catalog, in.doc, in.path, resolve, options, st.pool(), &in, &ps);
    }
  }
  core::ServiceSettings settings;
  bool have_settings = c.contains("ServiceSettings");
  if (have_settings && !c["ServiceSettings"].is_object()) problem(loc("ServiceSettings") + "must be a mapping");
  // The settings are read only when they are taken: without --replace-existing-rgs-settings an
  // archive's settings, and the audio they name, do not matter here.
  if (have_settings && options.replace_settings && c["ServiceSettings"].is_object()) {
    core::Problems sp;
    FromDoc(c["ServiceSettings"], resolve, &settings, &sp);
    for (auto& p : core::ValidateSettings(settings)) sp.push_back(p);
    for (auto& p : sp) {
      p.property = "ServiceSettings" + (p.property.empty() ? "" : "." + p.property);
      ps.push_back(std::move(p));
    }
  }
  for (const auto& p : ps) problem(loc(p.property) + p.message);

  // 3. Names and addresses against the store and within the archive.
  std::map<std::pair<std::string, std::string>, std::string> taken;  // (kind, lower name) -> guid
  for (auto& in : incoming) {
    if (in.name.empty()) continue;
    auto key = std::make_pair(in.kind, Lower(in.name));
    auto same = st.FindByName(in.kind, in.name);
    if (!same.ok()) return same.status();
    bool clash = (same->has_value() && (*same)->guid != in.guid) || (taken.count(key) && taken[key] != in.guid);
    if (clash && !options.resolve_conflicts) {
      problem(loc(in.path + ".Name") + Noun(in.kind) + " '" + in.name +
              "' already exists with another identity; use --resolve-name-conflicts to import it renamed");
      continue;
    }
    if (clash) {
      for (int n = 2;; ++n) {
        std::string candidate = in.name + " (" + std::to_string(n) + ")";
        auto other = st.FindByName(in.kind, candidate);
        if (!other.ok()) return other.status();
        auto ckey = std::make_pair(in.kind, Lower(candidate));
        if ((!other->has_value() || (*other)->guid == in.guid) && !taken.count(ckey)) {
          bool already = other->has_value() && (*other)->guid == in.guid;  // renamed by an earlier import
          if (!already) plan->renamed.push_back(Noun(in.kind) + " '" + in.name + "' -> '" + candidate + "'");
          in.name = candidate;
          key = ckey;
          break;
        }
      }
    }
    taken[key] = in.guid;
  }
  for (const auto& in : incoming) {
    for (const auto& r : in.refs) {
      if (r.kind != kAddress) continue;
      auto users = st.Users(kAddress, r.guid);
      if (!users.ok()) return users.status();
      for (const auto& u : *users)
        if (u.guid != in.guid)
          problem(loc(in.path) + "address " + r.guid + " is already used by workflow '" + u.name + "' in this store");
    }
  }
  std::vector<core::AgentCredential> credentials;
  if (auto cr = by_name.find(kCredentials); cr != by_name.end())
    ReadCredentials(cr->second->bytes, &credentials, problem);
  if (!problems->empty()) return Invalid("the archive is not valid");

  // 4. Stage: audio content, objects, settings. Objects already here with the same identity are
  // updated in place; identical ones change nothing.
  for (const auto& e : entries)
    if (e.name.rfind("audio/", 0) == 0) {
      auto have = st.GetBlob(e.name.substr(6, 64));
      if (!have.ok()) return have.status();
      if (!have->has_value()) plan->audio_added.push_back(e.name);
      RGS_RETURN_IF_ERROR(st.PutBlob(e.name.substr(6, 64), e.bytes));
    }
  auto breaches_before = catalog.SharingBreaches();
  if (!breaches_before.ok()) return breaches_before.status();
  size_t done = 0;
  for (auto& in : incoming) {
    auto before = st.Get(in.kind, in.guid);
    if (!before.ok()) return before.status();
    size_t changes = st.change_count();
    RGS_RETURN_IF_ERROR(in.stage(catalog));
    std::string label = Noun(in.kind) + " '" + in.name + "'";
    if (!before->has_value())
      plan->added.push_back(label);
    else if (st.change_count() != changes)
      plan->updated.push_back(label);
    else
      plan->unchanged.push_back(label);
    if (progress) progress(++done, incoming.size());
  }
  for (const auto& cred : credentials) RGS_RETURN_IF_ERROR(st.PutCredential(cred));
  plan->credentials = credentials.size();
  if (have_settings && options.replace_settings) {
    auto current = catalog.Settings();
    if (!current.ok()) return current.status();
    plan->settings_replaced = !(*current == settings);
    RGS_RETURN_IF_ERROR(st.Put({kSettings, kSettingsGuid, "ServiceSettings", ToDoc(settings)}, RefsOf(settings)));
  }
  auto breaches = catalog.SharingBreaches();
  if (!breaches.ok()) return breaches.status();
  if (breaches->size() > breaches_before->size())
    problem(std::string(kConfiguration) + ": importing it would make a managed workflow share a queue or agent group");
  if (!problems->empty()) return Invalid("the archive is not valid");
  return Status::Ok();
}

}  // namespace rgs::store
