// Validation rules for configuration values and objects.
#include "core/validate.h"

#include "core/speech.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <set>

namespace rgs::core {
namespace {

bool IsHostChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'; }

// host[:port], where host is a DNS name, an IPv4 address or a bracketed IPv6 address.
std::string CheckHostPort(std::string_view hp) {
  if (hp.empty()) return "has no host";
  std::string_view host = hp, port;
  if (hp.front() == '[') {
    size_t close = hp.find(']');
    if (close == std::string_view::npos) return "has an unclosed IPv6 address";
    for (char c : hp.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return "has a malformed IPv6 address";
    host = hp.substr(0, close + 1);
    std::string_view rest = hp.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "has characters after the IPv6 address";
      port = rest.substr(1);
    }
  } else {
    size_t colon = hp.find(':');
    if (colon != std::string_view::npos) {
      host = hp.substr(0, colon);
      port = hp.substr(colon + 1);
    }
    if (host.empty()) return "has no host";
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) return "has a malformed host";
    if (host.front() == '.' || host.back() == '.' || host.find("..") != std::string_view::npos)
      return "has a malformed host";
  }
  if (hp.find(':') != std::string_view::npos && hp.front() != '[' && port.empty()) return "has an empty port";
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) || std::stoi(std::string(port)) == 0 ||
        std::stoi(std::string(port)) > 65535)
      return "has a port outside 1-65535";
  }
  return "";
}

bool IsUserChar(char c) {
  // RFC 3261 §25.1 unreserved, escaped and user-unreserved characters.
  static const std::string_view kExtra = "-_.!~*'()&=+$,;?/%";
  return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

void Add(Problems& out, std::string_view property, std::string message, Code code = Code::kInvalid) {
  out.push_back({std::string(property), std::move(message), code});
}

void CheckRange(Problems& out, std::string_view property, long long v, long long lo, long long hi) {
  if (v < lo || v > hi)
    Add(out, property,
        std::to_string(v) + " is out of range: allowed " + std::to_string(lo) + " to " + std::to_string(hi));
}

void Append(Problems& out, Problems more) {
  for (auto& p : more) out.push_back(std::move(p));
}

}  // namespace

std::string CheckSipUri(std::string_view uri) {
  if (!StartsWithNoCase(uri, "sip:") && !StartsWithNoCase(uri, "sips:"))
    return "is not a SIP URI (expected sip:user@host)";
  std::string_view rest = uri.substr(uri.find(':') + 1);
  size_t params = rest.find(';');
  std::string_view addr = rest.substr(0, params);
  size_t at = addr.rfind('@');
  if (at == std::string_view::npos || at == 0) return "has no user part (expected sip:user@host)";
  std::string_view user = addr.substr(0, at);
  if (!std::all_of(user.begin(), user.end(), IsUserChar)) return "has a malformed user part";
  std::string err = CheckHostPort(addr.substr(at + 1));
  if (!err.empty()) return err;
  if (params != std::string_view::npos) {
    for (char c : rest.substr(params))
      if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
        return "has white space in its parameters";
  }
  return "";
}

std::string CheckTelUri(std::string_view uri) {
  if (!StartsWithNoCase(uri, "tel:+")) return "is not a tel URI (expected tel:+ and digits)";
  std::string_view digits = uri.substr(5);
  if (digits.empty() || digits.size() > 15 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
    return "must be tel:+ followed by 1 to 15 digits";
  return "";
}

std::string CheckPstnUri(std::string_view uri) {
  if (StartsWithNoCase(uri, "tel:")) return CheckTelUri(uri);
  if (!StartsWithNoCase(uri, "sip:+")) return "is not a PSTN address (expected tel:+digits or sip:+digits@domain)";
  std::string err = CheckSipUri(uri);
  if (!err.empty()) return err;
  std::string_view user = uri.substr(5, uri.find('@') - 5);
  if (user.empty() || !std::all_of(user.begin(), user.end(), ::isdigit))
    return "must have only digits after sip:+ (expected sip:+digits@domain)";
  return "";
}

std::string CheckEmail(std::string_view address) {
  size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.rfind('@') != at)
    return "is not an e-mail address (expected name@domain)";
  for (char c : address.substr(0, at))
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)) || c == '<' ||
        c == '>' || c == '"')
      return "has a malformed local part";
  std::string_view domain = address.substr(at + 1);
  if (domain.find('.') == std::string_view::npos) return "has a domain without a dot";
  return CheckHostPort(domain).empty() && domain.find(':') == std::string_view::npos ? "" : "has a malformed domain";
}

std::string CheckObjectName(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > 256) return "is longer than 256 characters";
  for (char c : name)
    if (std::iscntrl(static_cast<unsigned char>(c))) return "contains a control character";
  if (name.front() == ' ' || name.back() == ' ') return "begins or ends with a space";
  return "";
}

size_t Utf8At(std::string_view text, size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  uint32_t cp = n == 1 ? c : c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    auto d = static_cast<unsigned char>(text[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (d & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
  static constexpr uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kLeast[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

std::string CheckUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (size_t n = Utf8At(text, i)) {
      i += n;
      continue;
    }
    // The byte to name: a continuation byte that is missing, else the first of the sequence.
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    size_t bad = i;
    for (size_t k = 1; k < n && i + k < text.size(); ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        bad = i + k;
        break;
      }
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[bad]));
    return std::string("is not UTF-8 text (byte ") + hex + " at position " + std::to_string(bad + 1) + ")";
  }
  return "";
}

std::string Printable(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 16);
  size_t i = 0;
  while (i < text.size() && out.size() < max_bytes) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = c >= 0x20 && c != 0x7F ? Utf8At(text, i) : 0;
    if (n) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
      ++i;
    }
  }
  if (i < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string CheckDescription(std::string_view text) {
  // Characters, not bytes: every byte but a UTF-8 continuation byte begins one.
  size_t chars = std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  if (chars <= kMaxDescription) return "";
  return "is " + std::to_string(chars) + " characters: at most " + std::to_string(kMaxDescription) + " allowed";
}

bool Allowed(Slot slot, ActionKind kind) {
  switch (slot) {
    case Slot::kDefault: return kind == ActionKind::kTransferToQueue || kind == ActionKind::kTransferToQuestion;
    case Slot::kNonBusinessHours:
    case Slot::kHoliday: return kind != ActionKind::kTransferToQueue && kind != ActionKind::kTransferToQuestion;
    case Slot::kQueueTimeout:
    case Slot::kQueueOverflow: return kind != ActionKind::kTransferToQuestion;
    case Slot::kAnswer: return kind == ActionKind::kTransferToQueue || kind == ActionKind::kTransferToQuestion;
  }
  return false;
}

std::string AllowedNames(Slot slot) {
  std::string out;
  for (ActionKind k : {ActionKind::kTerminate, ActionKind::kTransferToQueue, ActionKind::kTransferToQuestion,
                       ActionKind::kTransferToUri, ActionKind::kTransferToVoiceMailUri, ActionKind::kTransferToPstn}) {
    if (!Allowed(slot, k)) continue;
    if (!out.empty()) out += ", ";
    out += Name(k);
  }
  return out;
}

Problems ValidatePrompt(const Prompt& prompt, std::string_view property) {
  Problems out;
  if (prompt.empty()) Add(out, property, "is empty: give text, an audio file, or both");
  if (prompt.text.size() > kMaxPromptText)
    Add(out, property, "text is " + std::to_string(prompt.text.size()) + " characters: at most 4096 allowed");
  return out;
}

Problems ValidateAction(const CallAction& action, Slot slot, std::string_view property) {
  Problems out;
  if (!Allowed(slot, action.action)) {
    Add(out, property, std::string(Name(action.action)) + " is not allowed here: allowed " + AllowedNames(slot));
    return out;
  }
  if (action.prompt) Append(out, ValidatePrompt(*action.prompt, std::string(property) + ".Prompt"));
  std::string uri_prop = std::string(property) + ".Uri";
  switch (action.action) {
    case ActionKind::kTerminate: break;
    case ActionKind::kTransferToQueue:
      if (action.queue.empty()) Add(out, property, "TransferToQueue needs a queue");
      break;
    case ActionKind::kTransferToQuestion:
      if (!action.question) Add(out, property, "TransferToQuestion needs a question");
      break;
    case ActionKind::kTransferToUri:
    case ActionKind::kTransferToVoiceMailUri: {
      std::string err = CheckSipUri(action.uri);
      if (!err.empty()) Add(out, uri_prop, "'" + action.uri + "' " + err, Code::kUsage);
      break;
    }
    case ActionKind::kTransferToPstn: {
      std::string err = CheckPstnUri(action.uri);
      if (!err.empty()) Add(out, uri_prop, "'" + action.uri + "' " + err, Code::kUsage);
      break;
    }
  }
  return out;
}

Problems ValidateAgentGroup(const AgentGroup& g) {
  Problems out;
  if (std::string err = CheckObjectName(g.name); !err.empty()) Add(out, "Name", "'" + g.name + "' " + err);
  if (std::string err = CheckDescription(g.description); !err.empty()) Add(out, "Description", err);
  CheckRange(out, "AgentAlertTime", g.agent_alert_time, kMinAlertTime, kMaxAlertTime);
  std::set<std::string> seen;
  for (const auto& agent : g.agents) {
    if (std::string err = CheckSipUri(agent); !err.empty()) {
      Add(out, "AgentsByUri", "'" + agent + "' " + err, Code::kUsage);
      continue;
    }
    std::string key = agent;
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    if (!seen.insert(key).second) Add(out, "AgentsByUri", "'" + agent + "' is listed twice");
  }
  if (!g.distribution_group_address.empty()) {
    if (std::string err = CheckEmail(g.distribution_group_address); !err.empty())
      Add(out, "DistributionGroupAddress", "'" + g.distribution_group_address + "' " + err, Code::kUsage);
  }
  return out;
}

Problems ValidateQueue(const Queue& q) {
  Problems out;
  if (std::string err = CheckObjectName(q.name); !err.empty()) Add(out, "Name", "'" + q.name + "' " + err);
  if (std::string err = CheckDescription(q.description); !err.empty()) Add(out, "Description", err);
  if (q.timeout_threshold) CheckRange(out, "TimeoutThreshold", *q.timeout_threshold, kMinTimeout, kMaxTimeout);
  if (q.overflow_threshold) CheckRange(out, "OverflowThreshold", *q.overflow_threshold, kMinOverflow, kMaxOverflow);
  if (q.timeout_action) Append(out, ValidateAction(*q.timeout_action, Slot::kQueueTimeout, "TimeoutAction"));
  if (q.overflow_action) Append(out, ValidateAction(*q.overflow_action, Slot::kQueueOverflow, "OverflowAction"));
  std::set<std::string> seen;
  for (const auto& id : q.agent_groups)
    if (!seen.insert(id).second) Add(out, "AgentGroupIDList", "an agent group is listed twice");
  for (const auto* a : {&q.timeout_action, &q.overflow_action}) {
    if (*a && (*a)->action == ActionKind::kTransferToQueue && !q.guid.empty() && (*a)->queue == q.guid)
      Add(out, a == &q.timeout_action ? "TimeoutAction" : "OverflowAction",
          "a queue cannot transfer its calls to itself");
  }
  return out;
}

std::vector<std::string> Warnings(const AgentGroup& g) {
  std::vector<std::string> out;
  if (g.agent_alert_time > kPracticalMaxAlertTime && g.agent_alert_time <= kMaxAlertTime)
    out.push_back("agent group '" + g.name + "': AgentAlertTime " + std::to_string(g.agent_alert_time) +
                  " is above 180 seconds; many SIP clients give up ringing before that");
  // Lync takes the members of the Exchange list as agents (reference 3.6.4); rgs reads no
  // directory, so the address is kept (export, Lync round trips) but never expanded.
  if (!g.distribution_group_address.empty())
    out.push_back("agent group '" + g.name + "': DistributionGroupAddress '" + g.distribution_group_address +
                  "' is stored but not expanded (rgs reads no directory): its members are not agents of the group" +
                  (g.agents.empty() ? ", which has none, so calls that reach it are disconnected" : ""));
  return out;
}

}  // namespace rgs::core

namespace rgs::core {
namespace {

void AddP(Problems& out, std::string property, std::string message, Code code = Code::kInvalid) {
  out.push_back({std::move(property), std::move(message), code});
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void CheckValueName(Problems& out, const std::string& property, const std::string& name) {
  if (name.size() > kMaxValueNameLength)
    AddP(out, property, "is " + std::to_string(name.size()) + " characters: at most 128 allowed");
}

}  // namespace

Problems ValidateHoursOfBusiness(const HoursOfBusiness& h) {
  Problems out;
  if (std::string err = CheckObjectName(h.name); !err.empty()) AddP(out, "Name", "'" + h.name + "' " + err);
  for (int d = 0; d < kDays; ++d) {
    std::string day(Name(static_cast<Weekday>(d)));
    for (int i = 0; i < 2; ++i) {
      const auto& r = h.hours[d][i];
      if (!r) continue;
      std::string prop = day + "Hours" + std::to_string(i + 1);
      CheckValueName(out, prop + ".Name", r->name);
      if (r->open < 0 || r->close > 24 * 60 || r->open >= r->close)
        AddP(out, prop, FormatClock(r->open) + "-" + FormatClock(r->close) + " does not open before it closes");
    }
    const auto& a = h.hours[d][0];
    const auto& b = h.hours[d][1];
    if (a && b && a->open < b->close && b->open < a->close)
      AddP(out, day + "Hours2",
           "overlaps " + day + "Hours1 (" + FormatClock(a->open) + "-" + FormatClock(a->close) + " and " +
               FormatClock(b->open) + "-" + FormatClock(b->close) + ")");
  }
  return out;
}

Problems ValidateHolidaySet(const HolidaySet& s, bool creating) {
  Problems out;
  if (std::string err = CheckObjectName(s.name); !err.empty()) AddP(out, "Name", "'" + s.name + "' " + err);
  if (creating && s.holidays.empty()) AddP(out, "HolidayList", "a new holiday set needs at least one holiday");
  std::set<std::string> names;
  for (size_t i = 0; i < s.holidays.size(); ++i) {
    const Holiday& h = s.holidays[i];
    std::string prop = "HolidayList[" + std::to_string(i) + "]";
    if (h.name.empty()) AddP(out, prop + ".Name", "is empty: every holiday needs a name");
    CheckValueName(out, prop + ".Name", h.name);
    if (!h.name.empty() && !names.insert(Lower(h.name)).second)
      AddP(out, prop + ".Name", "'" + h.name + "' is in the set twice");
    if (h.start >= h.end)
      AddP(out, prop,
           "'" + h.name + "' must end after it starts (it starts " + FormatLocalDateTime(h.start) + " and ends " +
               FormatLocalDateTime(h.end) + ")");
  }
  return out;
}

Problems ValidateQuestion(const Question& q, std::string_view property) {
  Problems out;
  std::string base(property);
  CheckValueName(out, base + ".Name", q.name);
  for (auto [p, name] : {std::pair{&q.prompt, "Prompt"}}) {
    for (auto& x : ValidatePrompt(*p, base + "." + name)) out.push_back(std::move(x));
  }
  if (q.invalid_answer_prompt)
    for (auto& x : ValidatePrompt(*q.invalid_answer_prompt, base + ".InvalidAnswerPrompt")) out.push_back(std::move(x));
  if (q.no_answer_prompt)
    for (auto& x : ValidatePrompt(*q.no_answer_prompt, base + ".NoAnswerPrompt")) out.push_back(std::move(x));
  if (q.answers.empty()) AddP(out, base + ".AnswerList", "a question needs at least one answer");
  std::set<std::string> keys, words;
  for (size_t i = 0; i < q.answers.size(); ++i) {
    const Answer& a = q.answers[i];
    std::string prop = base + ".AnswerList[" + std::to_string(i) + "]";
    if (a.dtmf.empty() && a.voice.empty())
      AddP(out, prop, "an answer needs a DtmfResponse key, a VoiceResponseList, or both");
    if (!a.dtmf.empty()) {
      if (a.dtmf.size() != 1 || std::string_view("0123456789*#").find(a.dtmf[0]) == std::string_view::npos)
        AddP(out, prop + ".DtmfResponse", "'" + a.dtmf + "' is not one key: use 0-9, * or #", Code::kUsage);
      else if (!keys.insert(a.dtmf).second)
        AddP(out, prop + ".DtmfResponse", "key '" + a.dtmf + "' answers two answers of the question");
    }
    for (const auto& w : a.voice) {
      if (w.empty() || w.find('"') != std::string::npos)
        AddP(out, prop + ".VoiceResponseList", "'" + w + "' is empty or has a '\"'", Code::kUsage);
      else if (!words.insert(Lower(w)).second)
        AddP(out, prop + ".VoiceResponseList", "'" + w + "' answers two answers of the question");
    }
    CheckValueName(out, prop + ".Name", a.name);
    for (auto& x : ValidateAction(a.action, Slot::kAnswer, prop + ".Action")) out.push_back(std::move(x));
    if (a.action.question)
      for (auto& x : ValidateQuestion(*a.action.question, prop + ".Action.Question")) out.push_back(std::move(x));
  }
  return out;
}

Problems ValidateSettings(const ServiceSettings& s) {
  Problems out;
  if (s.agent_ringback_grace_period < kMinGracePeriod || s.agent_ringback_grace_period > kMaxGracePeriod)
    AddP(out, "AgentRingbackGracePeriod",
         std::to_string(s.agent_ringback_grace_period) + " is out of range: allowed 30 to 600");
  return out;
}

WorkflowProblems ValidateWorkflow(const Workflow& w, bool (*known_zone)(const std::string&)) {
  WorkflowProblems out;
  Problems& e = out.errors;
  if (std::string err = CheckObjectName(w.name); !err.empty()) AddP(e, "Name", "'" + w.name + "' " + err);
  if (w.name.find_first_of("<>") != std::string::npos) AddP(e, "Name", "'" + w.name + "' must not contain < or >");
  if (std::string err = CheckDescription(w.description); !err.empty()) AddP(e, "Description", err);
  for (const char* reserved : {"RGS Presence Watcher", "Announcement Service"})
    if (Lower(w.name) == Lower(reserved)) AddP(e, "Name", "'" + w.name + "' is reserved");
  if (w.primary_uri.empty())
    AddP(e, "PrimaryUri", "is required: the workflow's SIP address");
  else if (std::string err = CheckSipUri(w.primary_uri); !err.empty())
    AddP(e, "PrimaryUri", "'" + w.primary_uri + "' " + err, Code::kUsage);
  if (!w.line_uri.empty())
    if (std::string err = CheckTelUri(w.line_uri); !err.empty())
      AddP(e, "LineUri", "'" + w.line_uri + "' " + err, Code::kUsage);
  for (const auto& m : w.managers)
    if (std::string err = CheckSipUri(m); !err.empty()) AddP(e, "ManagersByUri", "'" + m + "' " + err, Code::kUsage);
  const auto& langs = Languages();
  if (std::find(langs.begin(), langs.end(), w.language) == langs.end()) {
    std::string all;
    for (const auto& l : langs) all += (all.empty() ? "" : " ") + l;
    AddP(e, "Language", "'" + w.language + "' is not a supported language: " + all);
  }
  if (known_zone && !known_zone(w.time_zone))
    AddP(e, "TimeZone",
         "'" + w.time_zone + "' is not a known time zone (an IANA name such as Europe/Paris, or a Windows id)");
  if (w.managed && w.managers.empty())
    AddP(out.checks, "ManagersByUri", "a managed workflow needs at least one manager");
  struct SlotOf {
    const std::optional<CallAction>* action;
    Slot slot;
    const char* property;
  };
  for (const SlotOf& s : {SlotOf{&w.default_action, Slot::kDefault, "DefaultAction"},
                          SlotOf{&w.non_business_hours_action, Slot::kNonBusinessHours, "NonBusinessHoursAction"},
                          SlotOf{&w.holiday_action, Slot::kHoliday, "HolidayAction"}}) {
    if (!*s.action) continue;
    for (auto& p : ValidateAction(**s.action, s.slot, s.property))
      (p.code == Code::kUsage ? e : out.checks).push_back(std::move(p));
    if ((*s.action)->question)
      for (auto& p : ValidateQuestion(*(*s.action)->question, std::string(s.property) + ".Question"))
        (p.code == Code::kUsage ? e : out.checks).push_back(std::move(p));
  }
  if (!w.default_action)
    AddP(out.checks, "DefaultAction", "is required: an active workflow needs a queue or a question");
  return out;
}

namespace {

// The answers with voice keywords of a question tree, as "question 'Q' answer 'A'".
void VoiceAnswers(const Question& q, std::set<const Question*>* seen, std::vector<std::string>* out) {
  if (!seen->insert(&q).second) return;
  for (const auto& a : q.answers) {
    if (std::any_of(a.voice.begin(), a.voice.end(), [](const std::string& v) { return !NormalizeKeyword(v).empty(); }))
      out->push_back("question '" + q.name + "' answer '" + a.name + "'");
    if (a.action.question) VoiceAnswers(*a.action.question, seen, out);
  }
}

}  // namespace

std::vector<std::string> Warnings(const Workflow& w) {
  std::vector<std::string> out;
  if (SpeechLanguage(w.language) || !w.default_action || !w.default_action->question) return out;
  std::vector<std::string> answers;
  std::set<const Question*> seen;
  VoiceAnswers(*w.default_action->question, &seen, &answers);
  if (answers.empty()) return out;
  std::string list;
  for (size_t i = 0; i < answers.size() && i < 3; ++i) list += (i ? ", " : "") + answers[i];
  if (answers.size() > 3) list += " and " + std::to_string(answers.size() - 3) + " more";
  out.push_back("workflow '" + w.name + "': Language " + w.language +
                ": speech is recognised in en-US only, so the voice keywords (VoiceResponseList) of " + list +
                " are not listened for: its callers answer by keypad only");
  return out;
}

std::vector<std::string> Warnings(const Queue& q) {
  std::vector<std::string> out;
  if (q.timeout_action && !q.timeout_threshold)
    out.push_back("queue '" + q.name + "': TimeoutAction is set but TimeoutThreshold is not, so it never runs");
  if (q.overflow_action && !q.overflow_threshold)
    out.push_back("queue '" + q.name + "': OverflowAction is set but OverflowThreshold is not, so it never runs");
  return out;
}

}  // namespace rgs::core
