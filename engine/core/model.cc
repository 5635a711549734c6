// Enum spellings of the configuration model.
#include "core/model.h"

#include <array>
#include <cctype>
#include <cstdio>
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
std::optional<E> ParseEnum(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
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
std::optional<ParticipationPolicy> ParseParticipationPolicy(std::string_view s) { return ParseEnum(kPolicy, s); }
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

namespace rgs::core {
namespace {

constexpr std::array<std::string_view, kDays> kDayNames = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                           "Friday", "Saturday", "Sunday"};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long long DaysFromCivil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void CivilFromDays(long long z, long long* y, unsigned* m, unsigned* d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<long long>(yoe) + era * 400 + (*m <= 2);
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string_view Name(Weekday d) { return kDayNames[static_cast<int>(d)]; }

std::optional<Weekday> ParseWeekday(std::string_view s) {
  std::string f = Fold(s);
  for (int i = 0; i < kDays; ++i) {
    std::string full = Fold(kDayNames[i]);
    if (f == full || (f.size() >= 3 && full.compare(0, f.size(), f) == 0)) return static_cast<Weekday>(i);
  }
  return std::nullopt;
}

bool HoursOfBusiness::operator==(const HoursOfBusiness& o) const {
  if (!(static_cast<const ObjectHeader&>(*this) == o) || custom != o.custom) return false;
  for (int d = 0; d < kDays; ++d)
    for (int i = 0; i < 2; ++i)
      if (hours[d][i] != o.hours[d][i]) return false;
  return true;
}

std::optional<int> ParseClock(std::string_view s) {
  int h = 0, m = 0;
  if (s.size() != 5 || s[2] != ':' || !Digits(s, 0, 2, &h) || !Digits(s, 3, 2, &m)) return std::nullopt;
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string FormatClock(int minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::optional<LocalMinutes> ParseLocalDateTime(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 10 || !Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d))
    return std::nullopt;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || s.size() < 16 || !Digits(s, 11, 2, &h) || s[13] != ':' ||
        !Digits(s, 14, 2, &mi))
      return std::nullopt;
    if (s.size() > 16 && (s.size() != 19 || s[16] != ':' || !Digits(s, 17, 2, &sec) || sec != 0))
      return std::nullopt;  // holidays are kept to the minute
  }
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return std::nullopt;
  static const int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kMonthDays[mo - 1] || (mo == 2 && d == 29 && !leap)) return std::nullopt;
  return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 1440 + h * 60 + mi;
}

std::string FormatLocalDateTime(LocalMinutes m) {
  long long days = m >= 0 ? m / 1440 : (m - 1439) / 1440;
  long long rest = m - days * 1440;
  long long y;
  unsigned mo, d;
  CivilFromDays(days, &y, &mo, &d);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:00", y, mo, d, rest / 60, rest % 60);
  return buf;
}

const std::vector<std::string>& Languages() {
  static const std::vector<std::string> kAll = {"ca-ES", "da-DK", "de-DE", "en-AU", "en-CA", "en-GB", "en-IN",
                                                "en-US", "es-ES", "es-MX", "fi-FI", "fr-CA", "fr-FR", "it-IT",
                                                "ja-JP", "ko-KR", "nb-NO", "nl-NL", "pl-PL", "pt-BR", "pt-PT",
                                                "ru-RU", "sv-SE", "zh-CN", "zh-HK", "zh-TW"};
  return kAll;
}

}  // namespace rgs::core
