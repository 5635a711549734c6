// Validation of configuration values and objects (reference 1.2-1.8, 7.1). Pure: no store access;
// whether a referenced object exists is checked by the catalog.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace rgs::core {

// One thing wrong with a value. `property` is the Lync property name ("AgentAlertTime"); `code` is
// kUsage when the value is malformed and kInvalid when it is out of range or against a rule.
struct Problem {
  std::string property;
  std::string message;
  Code code = Code::kInvalid;
};
using Problems = std::vector<Problem>;

// Each returns an empty string when the value is acceptable, else what is wrong with it.
std::string CheckSipUri(std::string_view uri);       // sip:user@host[:port][;params]
std::string CheckTelUri(std::string_view uri);       // tel:+digits (E.164)
std::string CheckPstnUri(std::string_view uri);      // tel:+digits or sip:+digits@domain
std::string CheckEmail(std::string_view address);    // local@domain
std::string CheckObjectName(std::string_view name);  // non-empty, printable, at most 256
std::string CheckUtf8(std::string_view text);        // well-formed UTF-8 (what the store keeps)
// The length of the well-formed UTF-8 character at text[i], or 0 when the bytes there are not one.
size_t Utf8At(std::string_view text, size_t i);
// `text` made fit for one log line: control bytes and bytes that are not UTF-8 written as \xNN,
// and no more than about max_bytes of it (then "... (N bytes)").
std::string Printable(std::string_view text, size_t max_bytes);
// The Description of an agent group, queue or workflow. The reference gives it as free text
// with no limit (1.2-1.4); rgs takes at most kMaxDescription characters (Unicode code points),
// the limit the reference gives for the longest text it bounds, a prompt's (7.1).
inline constexpr size_t kMaxDescription = 4096;
std::string CheckDescription(std::string_view text);

// The action slots of reference 1.5 and the actions each allows.
enum class Slot { kDefault, kNonBusinessHours, kHoliday, kQueueTimeout, kQueueOverflow, kAnswer };
bool Allowed(Slot slot, ActionKind kind);
std::string AllowedNames(Slot slot);

Problems ValidatePrompt(const Prompt& prompt, std::string_view property);
Problems ValidateAction(const CallAction& action, Slot slot, std::string_view property);
Problems ValidateAgentGroup(const AgentGroup& group);
Problems ValidateQueue(const Queue& queue);

Problems ValidateHoursOfBusiness(const HoursOfBusiness& hours);
// creating: a new set needs at least one holiday (reference 2.6).
Problems ValidateHolidaySet(const HolidaySet& set, bool creating);
Problems ValidateQuestion(const Question& question, std::string_view property);
Problems ValidateSettings(const ServiceSettings& settings);

// A workflow's problems in two kinds (reference 2.4): `errors` are malformed values, refused
// whether or not it is active; `checks` are the rules an active workflow must meet (default
// action present, actions in their slots), warnings for an inactive one. known_zone tells
// whether a time zone name can be used.
struct WorkflowProblems {
  Problems errors;
  Problems checks;
};
WorkflowProblems ValidateWorkflow(const Workflow& w, bool (*known_zone)(const std::string&));

// Accepted but unwise settings, as messages ("AgentAlertTime 300 is above 180 ..."), and what
// is accepted but not acted on (a DistributionGroupAddress, which is never expanded).
std::vector<std::string> Warnings(const AgentGroup& group);
std::vector<std::string> Warnings(const Queue& queue);
// A workflow in a language without speech recognition (all but en-US) whose answers have voice
// keywords: its callers answer by keypad only.
std::vector<std::string> Warnings(const Workflow& workflow);

}  // namespace rgs::core
