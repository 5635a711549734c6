// Enum spellings of the configuration model.
#include "core/model.h"

#include <array>
#include <cctype>
#include <utility>

namespace rgs::core {
namespace {

// Lower-case and drop '-' and '_' so that "LongestIdle", "longest-idle" and "longest_idle" match.
std::string Fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '_') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

template <typename E, size_t N>
std::optional<E> ParseEnum(const std::array<std::pair<E, std::string_view>, N>& table,
                           std::string_view s) {
  std::string folded = Fold(s);
  for (const auto& [value, name] : table)
    if (Fold(name) == folded) return value;
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [value, name] : table)
    if (value == v) return name;
  return "?";
}

template <typename E, size_t N>
std::string Names(const std::array<std::pair<E, std::string_view>, N>& table) {
  std::string out;
  for (const auto& [value, name] : table) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

constexpr std::array<std::pair<RoutingMethod, std::string_view>, 5> kRouting{{
    {RoutingMethod::kParallel, "Parallel"},
    {RoutingMethod::kLongestIdle, "LongestIdle"},
    {RoutingMethod::kSerial, "Serial"},
    {RoutingMethod::kRoundRobin, "RoundRobin"},
    {RoutingMethod::kAttendant, "Attendant"},
}};
constexpr std::array<std::pair<ParticipationPolicy, std::string_view>, 2> kPolicy{{
    {ParticipationPolicy::kInformal, "Informal"},
    {ParticipationPolicy::kFormal, "Formal"},
}};
constexpr std::array<std::pair<OverflowCandidate, std::string_view>, 2> kCandidate{{
    {OverflowCandidate::kNewestCall, "NewestCall"},
    {OverflowCandidate::kOldestCall, "OldestCall"},
}};
constexpr std::array<std::pair<ActionKind, std::string_view>, 6> kAction{{
    {ActionKind::kTerminate, "Terminate"},
    {ActionKind::kTransferToQueue, "TransferToQueue"},
    {ActionKind::kTransferToQuestion, "TransferToQuestion"},
    {ActionKind::kTransferToUri, "TransferToUri"},
    {ActionKind::kTransferToVoiceMailUri, "TransferToVoiceMailUri"},
    {ActionKind::kTransferToPstn, "TransferToPSTN"},
}};

}  // namespace

std::string_view Name(RoutingMethod v) { return NameOf(kRouting, v); }
std::string_view Name(ParticipationPolicy v) { return NameOf(kPolicy, v); }
std::string_view Name(OverflowCandidate v) { return NameOf(kCandidate, v); }
std::string_view Name(ActionKind v) { return NameOf(kAction, v); }
std::optional<RoutingMethod> ParseRoutingMethod(std::string_view s) { return ParseEnum(kRouting, s); }
std::optional<ParticipationPolicy> ParseParticipationPolicy(std::string_view s) {
  return ParseEnum(kPolicy, s);
}
std::optional<OverflowCandidate> ParseOverflowCandidate(std::string_view s) {
  auto v = ParseEnum(kCandidate, s);
  if (!v) {  // "newest" and "oldest" alone, as operators type them
    std::string f = Fold(s);
    if (f == "newest") return OverflowCandidate::kNewestCall;
    if (f == "oldest") return OverflowCandidate::kOldestCall;
  }
  return v;
}
std::optional<ActionKind> ParseActionKind(std::string_view s) { return ParseEnum(kAction, s); }
std::string RoutingMethodNames() { return Names(kRouting); }
std::string ParticipationPolicyNames() { return Names(kPolicy); }
std::string OverflowCandidateNames() { return Names(kCandidate); }
std::string ActionKindNames() { return Names(kAction); }

bool CallAction::operator==(const CallAction& o) const {
  if (action != o.action || prompt != o.prompt || queue != o.queue || uri != o.uri) return false;
  if (!question || !o.question) return !question && !o.question;
  return *question == *o.question;
}

}  // namespace rgs::core
