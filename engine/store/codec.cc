// JSON documents of the configuration model.
#include "store/codec.h"

#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <set>

namespace rgs::store {
namespace {

using core::Problem;
using core::Problems;
using rgs::Code;

std::string Join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

std::string TypeName(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "a mapping";
}

// Reads the properties of one JSON object, remembering which it consumed so that Finish can
// report the unknown ones.
class Reader {
 public:
  Reader(const Json& obj, std::string path, Problems* out) : obj_(obj), path_(std::move(path)), out_(out) {
    if (!obj_.is_object()) Fail("", "must be a mapping of properties, not " + TypeName(obj_));
  }
  bool ok() const { return obj_.is_object(); }

  const Json* Find(const std::string& key) {
    if (!obj_.is_object()) return nullptr;
    seen_.insert(key);
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  bool Has(const std::string& key) { return Find(key) != nullptr; }

  // Sets *v when the key is present; null sets "".
  void String(const std::string& key, std::string* v) {
    const Json* j = Find(key);
    if (!j) return;
    if (j->is_null())
      *v = "";
    else if (j->is_string())
      *v = j->get<std::string>();
    else if (j->is_number_integer())
      *v = std::to_string(j->get<long long>());  // DtmfResponse: 1
    else
      Fail(key, "must be a string, not " + TypeName(*j));
  }
  void Int(const std::string& key, int* v) {
    std::optional<int> o = *v;
    OptInt(key, &o, false);
    if (o) *v = *o;
  }
  void OptInt(const std::string& key, std::optional<int>* v, bool nullable = true) {
    const Json* j = Find(key);
    if (!j) return;
    if (j->is_null() && nullable) {
      v->reset();
    } else if (j->is_number_integer()) {
      long long x = j->get<long long>();
      if (x < -2147483648LL || x > 2147483647LL)
        Fail(key, std::to_string(x) + " is out of range");
      else
        *v = static_cast<int>(x);
    } else if (j->is_string() && !j->get<std::string>().empty() &&
               j->get<std::string>().find_first_not_of("0123456789") == std::string::npos &&
               j->get<std::string>().size() < 10) {
      *v = std::stoi(j->get<std::string>());  // YAML documents may quote numbers
    } else {
      Fail(key, "must be a whole number" + std::string(nullable ? " or null" : "") + ", not " + TypeName(*j),
           Code::kUsage);
    }
  }
  void Bool(const std::string& key, bool* v) {
    const Json* j = Find(key);
    if (!j) return;
    if (j->is_boolean())
      *v = j->get<bool>();
    else
      Fail(key, "must be true or false, not " + TypeName(*j), Code::kUsage);
  }
  void StringList(const std::string& key, std::vector<std::string>* v) {
    const Json* j = Find(key);
    if (!j) return;
    v->clear();
    if (j->is_null()) return;
    if (!j->is_array()) return Fail(key, "must be a list of strings, not " + TypeName(*j));
    for (const auto& e : *j) {
      if (!e.is_string()) return Fail(key, "must be a list of strings; an item is " + TypeName(e));
      v->push_back(e.get<std::string>());
    }
  }
  template <typename E>
  void Enum(const std::string& key, E* v, std::optional<E> (*parse)(std::string_view), std::string (*names)()) {
    const Json* j = Find(key);
    if (!j) return;
    if (!j->is_string()) return Fail(key, "must be one of " + names() + ", not " + TypeName(*j));
    auto e = parse(j->get<std::string>());
    if (!e) return Fail(key, "'" + j->get<std::string>() + "' is not one of " + names(), Code::kUsage);
    *v = *e;
  }
  // The keys this reader knows it will not read but tolerates (Identity, Parent).
  void Ignore(const std::string& key) { seen_.insert(key); }
  void Finish() {
    if (!obj_.is_object()) return;
    for (auto it = obj_.begin(); it != obj_.end(); ++it)
      if (!seen_.count(it.key())) Fail(it.key(), "is not a known property");
  }
  void Fail(const std::string& key, std::string message, Code code = Code::kInvalid) {
    out_->push_back({Join(path_, key), std::move(message), code});
  }
  const std::string& path() const { return path_; }

 private:
  const Json& obj_;
  std::string path_;
  Problems* out_;
  std::set<std::string> seen_;
};

std::string RefOut(const DocStyle& style, const std::string& guid) {
  return style.present ? IdentityOf(style.pool, guid) : guid;
}

void Header(Json& doc, const core::ObjectHeader& h, const DocStyle& style) {
  if (style.present) {
    doc["Identity"] = IdentityOf(style.pool, h.guid);
    doc["Parent"] = ServiceId(style.pool);
  }
  doc["OwnerPool"] = h.owner;
  doc["Name"] = h.name;
}

void ReadHeader(Reader& r, core::ObjectHeader* h) {
  r.Ignore("Identity");
  r.Ignore("Parent");
  r.String("OwnerPool", &h->owner);
  r.String("Name", &h->name);
}

Json PromptDoc(const core::Prompt& p, const DocStyle& style) {
  Json j;
  j["TextToSpeechPrompt"] = p.text.empty() ? Json() : Json(p.text);
  j["AudioFilePrompt"] = p.audio.empty() ? Json() : Json(RefOut(style, p.audio));
  return j;
}

// A reference property: resolved through `resolve`, problems reported at path.key.
void ReadRef(Reader& r, const std::string& key, const std::string& kind, const Resolver& resolve, std::string* out,
             Problems* problems) {
  std::string ref;
  if (!r.Find(key)) return;
  r.String(key, &ref);
  out->clear();
  if (ref.empty()) return;
  auto g = resolve(kind, ref);
  if (g.ok())
    *out = *g;
  else
    problems->push_back({Join(r.path(), key), g.status().message(), g.status().code()});
}

void ReadPrompt(const Json& doc, const std::string& path, const Resolver& resolve, std::optional<core::Prompt>* out,
                Problems* problems) {
  if (doc.is_null()) {
    out->reset();
    return;
  }
  Reader r(doc, path, problems);
  if (!r.ok()) return;
  core::Prompt p;
  r.String("TextToSpeechPrompt", &p.text);
  ReadRef(r, "AudioFilePrompt", kAudioFile, resolve, &p.audio, problems);
  r.Finish();
  *out = p;
}

Json ActionDoc(const core::CallAction& a, const DocStyle& style);

Json QuestionDoc(const core::Question& q, const DocStyle& style) {
  Json j;
  j["Name"] = q.name;
  j["Prompt"] = PromptDoc(q.prompt, style);
  j["InvalidAnswerPrompt"] = q.invalid_answer_prompt ? PromptDoc(*q.invalid_answer_prompt, style) : Json();
  j["NoAnswerPrompt"] = q.no_answer_prompt ? PromptDoc(*q.no_answer_prompt, style) : Json();
  Json answers = Json::array();
  for (const auto& a : q.answers) {
    Json aj;
    aj["Name"] = a.name;
    aj["DtmfResponse"] = a.dtmf.empty() ? Json() : Json(a.dtmf);
    aj["VoiceResponseList"] = a.voice;
    aj["Action"] = ActionDoc(a.action, style);
    answers.push_back(std::move(aj));
  }
  j["AnswerList"] = std::move(answers);
  return j;
}

Json ActionDoc(const core::CallAction& a, const DocStyle& style) {
  Json j;
  j["Action"] = std::string(core::Name(a.action));
  j["Prompt"] = a.prompt ? PromptDoc(*a.prompt, style) : Json();
  switch (a.action) {
    case core::ActionKind::kTransferToQueue: j["QueueID"] = RefOut(style, a.queue); break;
    case core::ActionKind::kTransferToQuestion:
      j["Question"] = a.question ? QuestionDoc(*a.question, style) : Json();
      break;
    case core::ActionKind::kTransferToUri:
    case core::ActionKind::kTransferToVoiceMailUri:
    case core::ActionKind::kTransferToPstn: j["Uri"] = a.uri; break;
    case core::ActionKind::kTerminate: break;
  }
  return j;
}

void ReadAction(const Json& doc, const std::string& path, const Resolver& resolve, std::optional<core::CallAction>* out,
                Problems* problems, int depth);

void ReadQuestion(const Json& doc, const std::string& path, const Resolver& resolve, core::Question* q,
                  Problems* problems, int depth) {
  Reader r(doc, path, problems);
  if (!r.ok()) return;
  r.String("Name", &q->name);
  std::optional<core::Prompt> p;
  if (const Json* j = r.Find("Prompt")) ReadPrompt(*j, Join(path, "Prompt"), resolve, &p, problems);
  if (p)
    q->prompt = *p;
  else
    r.Fail("Prompt", "is required: a question needs its prompt");
  if (const Json* j = r.Find("InvalidAnswerPrompt"))
    ReadPrompt(*j, Join(path, "InvalidAnswerPrompt"), resolve, &q->invalid_answer_prompt, problems);
  if (const Json* j = r.Find("NoAnswerPrompt"))
    ReadPrompt(*j, Join(path, "NoAnswerPrompt"), resolve, &q->no_answer_prompt, problems);
  if (const Json* list = r.Find("AnswerList"); list && !list->is_null()) {
    if (!list->is_array()) {
      r.Fail("AnswerList", "must be a list of answers, not " + TypeName(*list));
    } else {
      for (size_t i = 0; i < list->size(); ++i) {
        std::string apath = Join(path, "AnswerList[" + std::to_string(i) + "]");
        Reader ar((*list)[i], apath, problems);
        if (!ar.ok()) continue;
        core::Answer a;
        ar.String("Name", &a.name);
        ar.String("DtmfResponse", &a.dtmf);
        ar.StringList("VoiceResponseList", &a.voice);
        std::optional<core::CallAction> act;
        if (const Json* j = ar.Find("Action"))
          ReadAction(*j, Join(apath, "Action"), resolve, &act, problems, depth + 1);
        if (act)
          a.action = *act;
        else
          ar.Fail("Action", "is required: an answer needs its action");
        ar.Finish();
        q->answers.push_back(std::move(a));
      }
    }
  }
  r.Finish();
}

void ReadAction(const Json& doc, const std::string& path, const Resolver& resolve, std::optional<core::CallAction>* out,
                Problems* problems, int depth) {
  if (doc.is_null()) {
    out->reset();
    return;
  }
  if (depth > 64) {
    problems->push_back({path, "questions are nested more than 64 deep", Code::kInvalid});
    return;
  }
  Reader r(doc, path, problems);
  if (!r.ok()) return;
  core::CallAction a;
  if (!r.Has("Action")) {
    r.Fail("Action", "is required: one of " + core::ActionKindNames());
    r.Finish();
    return;
  }
  r.Enum("Action", &a.action, core::ParseActionKind, core::ActionKindNames);
  if (const Json* j = r.Find("Prompt")) ReadPrompt(*j, Join(path, "Prompt"), resolve, &a.prompt, problems);
  std::string queue_ref;
  r.String("QueueID", &queue_ref);
  r.String("Uri", &a.uri);
  if (a.action == core::ActionKind::kTransferToQueue) {
    if (queue_ref.empty()) {
      r.Fail("QueueID", "is required for TransferToQueue");
    } else {
      auto g = resolve(kQueue, queue_ref);
      if (g.ok())
        a.queue = *g;
      else
        problems->push_back({Join(path, "QueueID"), g.status().message(), g.status().code()});
      if (!g.ok()) a.queue = queue_ref;  // reported above; not "needs a queue" again
    }
  } else if (!queue_ref.empty()) {
    r.Fail("QueueID", "is only for TransferToQueue");
  }
  if (const Json* j = r.Find("Question"); j && !j->is_null()) {
    if (a.action != core::ActionKind::kTransferToQuestion) {
      r.Fail("Question", "is only for TransferToQuestion");
    } else {
      a.question = std::make_shared<core::Question>();
      ReadQuestion(*j, Join(path, "Question"), resolve, a.question.get(), problems, depth);
    }
  }
  bool needs_uri = a.action == core::ActionKind::kTransferToUri ||
                   a.action == core::ActionKind::kTransferToVoiceMailUri ||
                   a.action == core::ActionKind::kTransferToPstn;
  if (needs_uri && a.uri.empty()) r.Fail("Uri", "is required for " + std::string(core::Name(a.action)));
  if (!needs_uri && !a.uri.empty()) r.Fail("Uri", "is only for the transfer-to-address actions");
  r.Finish();
  *out = std::move(a);
}

void ReadRefList(Reader& r, const std::string& key, const std::string& kind, const Resolver& resolve,
                 std::vector<std::string>* out, Problems* problems) {
  if (!r.Find(key)) return;
  std::vector<std::string> refs;
  r.StringList(key, &refs);
  out->clear();
  for (size_t i = 0; i < refs.size(); ++i) {
    auto g = resolve(kind, refs[i]);
    if (g.ok())
      out->push_back(*g);
    else
      problems->push_back(
          {Join(r.path(), key + "[" + std::to_string(i) + "]"), g.status().message(), g.status().code()});
  }
}

void PromptRefs(const std::optional<core::Prompt>& p, std::vector<Ref>* out) {
  if (p && !p->audio.empty()) out->push_back({kAudioFile, p->audio});
}

void ActionRefs(const core::CallAction& a, std::vector<Ref>* out) {
  if (a.action == core::ActionKind::kTransferToQueue && !a.queue.empty()) out->push_back({kQueue, a.queue});
  PromptRefs(a.prompt, out);
  if (!a.question) return;
  PromptRefs(a.question->prompt, out);
  PromptRefs(a.question->invalid_answer_prompt, out);
  PromptRefs(a.question->no_answer_prompt, out);
  for (const auto& ans : a.question->answers) ActionRefs(ans.action, out);
}

Json TimeRangeDoc(const std::optional<core::TimeRange>& r) {
  if (!r) return Json();
  Json j;
  j["Name"] = r->name.empty() ? Json() : Json(r->name);
  j["OpenTime"] = core::FormatClock(r->open);
  j["CloseTime"] = core::FormatClock(r->close);
  return j;
}

void ReadTimeRange(Reader& r, const std::string& key, std::optional<core::TimeRange>* out, Problems* problems) {
  const Json* j = r.Find(key);
  if (!j) return;
  if (j->is_null()) {
    out->reset();
    return;
  }
  Reader t(*j, Join(r.path(), key), problems);
  if (!t.ok()) return;
  core::TimeRange range;
  t.String("Name", &range.name);
  for (auto [k, slot] : {std::pair{"OpenTime", &range.open}, std::pair{"CloseTime", &range.close}}) {
    std::string text;
    if (!t.Has(k)) {
      t.Fail(k, "is required (HH:MM)");
      continue;
    }
    t.String(k, &text);
    auto v = core::ParseClock(text);
    if (!v)
      t.Fail(k, "'" + text + "' is not a time of day (HH:MM, 00:00 to 24:00)", Code::kUsage);
    else
      *slot = *v;
  }
  t.Finish();
  *out = range;
}

void ReadOptAction(Reader& r, const std::string& key, const Resolver& resolve, std::optional<core::CallAction>* out,
                   Problems* problems) {
  if (const Json* j = r.Find(key)) ReadAction(*j, Join(r.path(), key), resolve, out, problems, 0);
}

}  // namespace

std::string AddressKey(const std::string& uri) {
  std::string out;
  for (char c : uri) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Noun(const std::string& kind) {
  if (kind == kAgentGroup) return "agent group";
  if (kind == kQueue) return "queue";
  if (kind == kWorkflow) return "workflow";
  if (kind == kHoursOfBusiness) return "hours of business";
  if (kind == kHolidaySet) return "holiday set";
  if (kind == kAudioFile) return "audio file";
  if (kind == kSettings) return "service settings";
  if (kind == kAgentCredential) return "agent credential";
  return kind;
}

std::string ServiceId(const std::string& pool) { return "service:ApplicationServer:" + pool; }
std::string IdentityOf(const std::string& pool, const std::string& guid) { return ServiceId(pool) + "/" + guid; }

bool LooksLikeGuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

namespace {

// Removes "service:" (optional) and "ApplicationServer:" from the front of *s, in any letter
// case; false, leaving *s as it was, when they are not there.
bool StripServicePrefix(std::string* s) {
  auto starts = [](const std::string& text, size_t at, const char* prefix) {
    size_t n = std::strlen(prefix);
    return text.size() >= at + n && strncasecmp(text.c_str() + at, prefix, n) == 0;
  };
  size_t at = starts(*s, 0, "service:") ? 8 : 0;
  if (!starts(*s, at, "ApplicationServer:")) return false;
  s->erase(0, at + 18);
  return true;
}

}  // namespace

std::string ServicePool(const std::string& text) {
  std::string s = text;
  StripServicePrefix(&s);
  return s;
}

bool SamePool(const std::string& text, const std::string& pool) {
  return strcasecmp(ServicePool(text).c_str(), pool.c_str()) == 0;
}

bool ParseIdentity(const std::string& text, std::string* pool, std::string* guid) {
  std::string s = text;
  if (!StripServicePrefix(&s) || s.empty()) return false;
  size_t slash = s.rfind('/');
  if (slash == std::string::npos || slash == 0) return false;
  if (!LooksLikeGuid(s.substr(slash + 1))) return false;
  *pool = s.substr(0, slash);
  *guid = s.substr(slash + 1);
  return true;
}

std::string NewGuid() {
  unsigned char b[16];
  static std::random_device rd;
  for (auto& x : b) x = static_cast<unsigned char>(rd());
  b[6] = (b[6] & 0x0f) | 0x40;  // RFC 4122 §4.4: version 4, random
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

Json ToDoc(const core::AgentGroup& g, const DocStyle& style) {
  Json doc;
  Header(doc, g, style);
  doc["Description"] = g.description;
  doc["AgentAlertTime"] = g.agent_alert_time;
  doc["ParticipationPolicy"] = std::string(core::Name(g.participation_policy));
  doc["RoutingMethod"] = std::string(core::Name(g.routing_method));
  doc["AgentsByUri"] = g.agents;
  doc["DistributionGroupAddress"] = g.distribution_group_address.empty() ? Json() : Json(g.distribution_group_address);
  return doc;
}

Json ToDoc(const core::Queue& q, const DocStyle& style) {
  Json doc;
  Header(doc, q, style);
  doc["Description"] = q.description;
  Json groups = Json::array();
  for (const auto& g : q.agent_groups) groups.push_back(RefOut(style, g));
  doc["AgentGroupIDList"] = std::move(groups);
  doc["TimeoutThreshold"] = q.timeout_threshold ? Json(*q.timeout_threshold) : Json();
  doc["TimeoutAction"] = q.timeout_action ? ActionDoc(*q.timeout_action, style) : Json();
  doc["OverflowThreshold"] = q.overflow_threshold ? Json(*q.overflow_threshold) : Json();
  doc["OverflowCandidate"] = std::string(core::Name(q.overflow_candidate));
  doc["OverflowAction"] = q.overflow_action ? ActionDoc(*q.overflow_action, style) : Json();
  return doc;
}

void FromDoc(const Json& doc, const Resolver&, core::AgentGroup* g, Problems* problems) {
  Reader r(doc, "", problems);
  if (!r.ok()) return;
  ReadHeader(r, g);
  r.String("Description", &g->description);
  r.Int("AgentAlertTime", &g->agent_alert_time);
  r.Enum("ParticipationPolicy", &g->participation_policy, core::ParseParticipationPolicy,
         core::ParticipationPolicyNames);
  r.Enum("RoutingMethod", &g->routing_method, core::ParseRoutingMethod, core::RoutingMethodNames);
  r.StringList("AgentsByUri", &g->agents);
  r.String("DistributionGroupAddress", &g->distribution_group_address);
  r.Finish();
}

void FromDoc(const Json& doc, const Resolver& resolve, core::Queue* q, Problems* problems) {
  Reader r(doc, "", problems);
  if (!r.ok()) return;
  ReadHeader(r, q);
  r.String("Description", &q->description);
  ReadRefList(r, "AgentGroupIDList", kAgentGroup, resolve, &q->agent_groups, problems);
  r.OptInt("TimeoutThreshold", &q->timeout_threshold);
  if (const Json* j = r.Find("TimeoutAction"))
    ReadAction(*j, "TimeoutAction", resolve, &q->timeout_action, problems, 0);
  r.OptInt("OverflowThreshold", &q->overflow_threshold);
  r.Enum("OverflowCandidate", &q->overflow_candidate, core::ParseOverflowCandidate, core::OverflowCandidateNames);
  if (const Json* j = r.Find("OverflowAction"))
    ReadAction(*j, "OverflowAction", resolve, &q->overflow_action, problems, 0);
  r.Finish();
}

Json ToDoc(const core::HoursOfBusiness& h, const DocStyle& style) {
  Json doc;
  Header(doc, h, style);
  doc["Custom"] = h.custom;
  for (int d = 0; d < core::kDays; ++d)
    for (int i = 0; i < 2; ++i)
      doc[std::string(core::Name(static_cast<core::Weekday>(d))) + "Hours" + std::to_string(i + 1)] =
          TimeRangeDoc(h.hours[d][i]);
  return doc;
}

void FromDoc(const Json& doc, const Resolver&, core::HoursOfBusiness* h, Problems* problems) {
  Reader r(doc, "", problems);
  if (!r.ok()) return;
  ReadHeader(r, h);
  r.Bool("Custom", &h->custom);
  for (int d = 0; d < core::kDays; ++d)
    for (int i = 0; i < 2; ++i) {
      std::string day(core::Name(static_cast<core::Weekday>(d)));
      std::string key = day + "Hours" + std::to_string(i + 1);
      ReadTimeRange(r, key, &h->hours[d][i], problems);
      // Reference §8.4: some Lync examples call these MondayTimeRange1 and so on.
      ReadTimeRange(r, day + "TimeRange" + std::to_string(i + 1), &h->hours[d][i], problems);
    }
  r.Finish();
}

Json ToDoc(const core::HolidaySet& s, const DocStyle& style) {
  Json doc;
  Header(doc, s, style);
  Json list = Json::array();
  for (const auto& h : s.holidays) {
    Json j;
    j["Name"] = h.name;
    j["StartDate"] = core::FormatLocalDateTime(h.start);
    j["EndDate"] = core::FormatLocalDateTime(h.end);
    list.push_back(std::move(j));
  }
  doc["HolidayList"] = std::move(list);
  return doc;
}

void FromDoc(const Json& doc, const Resolver&, core::HolidaySet* s, Problems* problems) {
  Reader r(doc, "", problems);
  if (!r.ok()) return;
  ReadHeader(r, s);
  if (const Json* list = r.Find("HolidayList")) {
    s->holidays.clear();
    if (!list->is_array() && !list->is_null())
      r.Fail("HolidayList", "must be a list of holidays, not " + TypeName(*list));
    for (size_t i = 0; list->is_array() && i < list->size(); ++i) {
      Reader h((*list)[i], "HolidayList[" + std::to_string(i) + "]", problems);
      if (!h.ok()) continue;
      core::Holiday hol;
      h.String("Name", &hol.name);
      for (auto [k, slot] : {std::pair{"StartDate", &hol.start}, std::pair{"EndDate", &hol.end}}) {
        std::string text;
        if (!h.Has(k)) {
          h.Fail(k, "is required (YYYY-MM-DDTHH:MM)");
          continue;
        }
        h.String(k, &text);
        auto v = core::ParseLocalDateTime(text);
        if (!v)
          h.Fail(k, "'" + text + "' is not a local date and time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", Code::kUsage);
        else
          *slot = *v;
      }
      h.Finish();
      s->holidays.push_back(std::move(hol));
    }
  }
  r.Finish();
}

Json ToDoc(const core::AudioFile& a, const DocStyle& style) {
  Json doc;
  Header(doc, a, style);
  doc["FileName"] = a.file_name;
  doc["Sha256"] = a.sha256;
  doc["Encoding"] = a.encoding;
  doc["SampleRate"] = a.sample_rate;
  doc["BitsPerSample"] = a.bits_per_sample;
  doc["Channels"] = a.channels;
  doc["Bytes"] = a.bytes;
  doc["DurationMs"] = a.duration_ms;
  return doc;
}

void FromDoc(const Json& doc, const Resolver&, core::AudioFile* a, Problems* problems) {
  Reader r(doc, "", problems);
  if (!r.ok()) return;
  ReadHeader(r, a);
  r.String("FileName", &a->file_name);
  r.String("Sha256", &a->sha256);
  r.String("Encoding", &a->encoding);
  r.Int("SampleRate", &a->sample_rate);
  r.Int("BitsPerSample", &a->bits_per_sample);
  r.Int("Channels", &a->channels);
  if (const Json* j = r.Find("Bytes"); j && j->is_number_integer()) a->bytes = j->get<long long>();
  if (const Json* j = r.Find("DurationMs"); j && j->is_number_integer()) a->duration_ms = j->get<long long>();
  r.Finish();
}

Json ToDoc(const core::Workflow& w, const DocStyle& style) {
  Json doc;
  Header(doc, w, style);
  doc["Description"] = w.description;
  doc["PrimaryUri"] = w.primary_uri;
  doc["LineUri"] = w.line_uri.empty() ? Json() : Json(w.line_uri);
  doc["DisplayNumber"] = w.display_number.empty() ? Json() : Json(w.display_number);
  doc["Active"] = w.active;
  doc["Anonymous"] = w.anonymous;
  doc["EnabledForFederation"] = w.enabled_for_federation;
  doc["Managed"] = w.managed;
  doc["ManagersByUri"] = w.managers;
  doc["Language"] = w.language;
  doc["TimeZone"] = w.time_zone;
  doc["BusinessHoursID"] = w.business_hours.empty() ? Json() : Json(RefOut(style, w.business_hours));
  Json sets = Json::array();
  for (const auto& g : w.holiday_sets) sets.push_back(RefOut(style, g));
  doc["HolidaySetIDList"] = std::move(sets);
  doc["DefaultAction"] = w.default_action ? ActionDoc(*w.default_action, style) : Json();
  doc["NonBusinessHoursAction"] = w.non_business_hours_action ? ActionDoc(*w.non_business_hours_action, style) : Json();
  doc["HolidayAction"] = w.holiday_action ? ActionDoc(*w.holiday_action, style) : Json();
  doc["CustomMusicOnHoldFile"] = w.custom_music_on_hold.empty() ? Json() : Json(RefOut(style, w.custom_music_on_hold));
  return doc;
}

void FromDoc(const Json& doc, const Resolver& resolve, core::Workflow* w, Problems* problems) {
  Reader r(doc, "", problems);
  if (!r.ok()) return;
  ReadHeader(r, w);
  r.String("Description", &w->description);
  r.String("PrimaryUri", &w->primary_uri);
  r.String("LineUri", &w->line_uri);
  r.String("DisplayNumber", &w->display_number);
  r.Bool("Active", &w->active);
  r.Bool("Anonymous", &w->anonymous);
  r.Bool("EnabledForFederation", &w->enabled_for_federation);
  r.Bool("Managed", &w->managed);
  r.StringList("ManagersByUri", &w->managers);
  r.String("Language", &w->language);
  r.String("TimeZone", &w->time_zone);
  ReadRef(r, "BusinessHoursID", kHoursOfBusiness, resolve, &w->business_hours, problems);
  ReadRefList(r, "HolidaySetIDList", kHolidaySet, resolve, &w->holiday_sets, problems);
  ReadOptAction(r, "DefaultAction", resolve, &w->default_action, problems);
  ReadOptAction(r, "NonBusinessHoursAction", resolve, &w->non_business_hours_action, problems);
  ReadOptAction(r, "HolidayAction", resolve, &w->holiday_action, problems);
  ReadRef(r, "CustomMusicOnHoldFile", kAudioFile, resolve, &w->custom_music_on_hold, problems);
  r.Finish();
}

Json ToDoc(const core::ServiceSettings& s, const DocStyle& style) {
  Json doc;
  if (style.present) doc["Identity"] = ServiceId(style.pool);
  doc["AgentRingbackGracePeriod"] = s.agent_ringback_grace_period;
  doc["DefaultMusicOnHoldFile"] =
      s.default_music_on_hold.empty() ? Json() : Json(RefOut(style, s.default_music_on_hold));
  doc["DisableCallContext"] = s.disable_call_context;
  return doc;
}

void FromDoc(const Json& doc, const Resolver& resolve, core::ServiceSettings* s, Problems* problems) {
  Reader r(doc, "", problems);
  if (!r.ok()) return;
  r.Ignore("Identity");
  r.Int("AgentRingbackGracePeriod", &s->agent_ringback_grace_period);
  ReadRef(r, "DefaultMusicOnHoldFile", kAudioFile, resolve, &s->default_music_on_hold, problems);
  r.Bool("DisableCallContext", &s->disable_call_context);
  r.Finish();
}

Json ToDoc(const core::Question& q, const DocStyle& style) { return QuestionDoc(q, style); }

void FromDoc(const Json& doc, const Resolver& resolve, core::Question* q, Problems* problems) {
  ReadQuestion(doc, "", resolve, q, problems, 0);
}

std::vector<Ref> RefsOf(const core::AgentGroup&) { return {}; }
std::vector<Ref> RefsOf(const core::HoursOfBusiness&) { return {}; }
std::vector<Ref> RefsOf(const core::HolidaySet&) { return {}; }
std::vector<Ref> RefsOf(const core::AudioFile&) { return {}; }

std::vector<Ref> RefsOf(const core::Workflow& w) {
  std::vector<Ref> out;
  if (!w.business_hours.empty()) out.push_back({kHoursOfBusiness, w.business_hours});
  for (const auto& s : w.holiday_sets) out.push_back({kHolidaySet, s});
  for (const auto* a : {&w.default_action, &w.non_business_hours_action, &w.holiday_action})
    if (*a) ActionRefs(**a, &out);
  if (!w.custom_music_on_hold.empty()) out.push_back({kAudioFile, w.custom_music_on_hold});
  if (!w.primary_uri.empty()) out.push_back({kAddress, AddressKey(w.primary_uri)});
  if (!w.line_uri.empty()) out.push_back({kAddress, AddressKey(w.line_uri)});
  return out;
}

std::vector<Ref> RefsOf(const core::ServiceSettings& s) {
  std::vector<Ref> out;
  if (!s.default_music_on_hold.empty()) out.push_back({kAudioFile, s.default_music_on_hold});
  return out;
}

std::vector<Ref> RefsOf(const core::Queue& q) {
  std::vector<Ref> out;
  for (const auto& g : q.agent_groups) out.push_back({kAgentGroup, g});
  if (q.timeout_action) ActionRefs(*q.timeout_action, &out);
  if (q.overflow_action) ActionRefs(*q.overflow_action, &out);
  return out;
}

}  // namespace rgs::store
