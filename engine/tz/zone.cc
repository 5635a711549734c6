// Time zones over date/tz (IANA zoneinfo) and ICU (Windows ids).
#include "tz/zone.h"

#include <date/tz.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include <mutex>

namespace rgs::tz {
namespace {

const date::time_zone* Find(const std::string& iana) {
  try {
    return date::locate_zone(iana);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// ICU: Windows time zone id -> IANA id for the "001" (world) region.
std::string FromWindows(const std::string& windows) {
  UChar in[128];
  UChar out[128];
  UErrorCode err = U_ZERO_ERROR;
  int32_t in_len = 0;
  u_strFromUTF8(in, 128, &in_len, windows.c_str(), static_cast<int32_t>(windows.size()), &err);
  if (U_FAILURE(err)) return "";
  int32_t n = ucal_getTimeZoneIDForWindowsID(in, in_len, nullptr, out, 128, &err);
  if (U_FAILURE(err) || n <= 0) return "";
  char utf8[256];
  int32_t len = 0;
  u_strToUTF8(utf8, sizeof utf8, &len, out, n, &err);
  if (U_FAILURE(err)) return "";
  return std::string(utf8, len);
}

}  // namespace

Result<std::string> Canonical(const std::string& name) {
  if (name.empty()) return Invalid("no time zone given");
  if (Find(name)) return name;
  std::string iana = FromWindows(name);
  if (!iana.empty() && Find(iana)) return iana;
  return Invalid("'" + name + "' is not a known time zone (an IANA name such as Europe/Paris, or a Windows id such as "
                 "\"Pacific Standard Time\")");
}

bool Known(const std::string& name) { return Canonical(name).ok(); }

Result<core::LocalMinutes> ToLocal(const std::string& name, Instant at) {
  auto iana = Canonical(name);
  if (!iana.ok()) return iana.status();
  const date::time_zone* zone = Find(*iana);
  auto local = zone->to_local(at);
  auto minutes = std::chrono::floor<std::chrono::minutes>(local.time_since_epoch()).count();
  return static_cast<core::LocalMinutes>(minutes);
}

Result<Instant> ParseInstant(const std::string& text, const std::string& name) {
  std::string t = text;
  int offset_minutes = 0;
  bool absolute = false;
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) {
    t.pop_back();
    absolute = true;
  } else if (t.size() > 16 && (t[t.size() - 6] == '+' || t[t.size() - 6] == '-') && t[t.size() - 3] == ':') {
    std::string off = t.substr(t.size() - 5);
    auto clock = core::ParseClock(off);
    if (!clock) return Usage("'" + text + "' has a malformed UTC offset");
    offset_minutes = (t[t.size() - 6] == '-' ? -1 : 1) * *clock;
    t = t.substr(0, t.size() - 6);
    absolute = true;
  }
  int seconds = 0;
  if (t.size() == 19 && t[16] == ':' && std::isdigit(static_cast<unsigned char>(t[17])) &&
      std::isdigit(static_cast<unsigned char>(t[18]))) {
    seconds = (t[17] - '0') * 10 + (t[18] - '0');
    if (seconds > 59) return Usage("'" + text + "' is not a date and time");
    t = t.substr(0, 16) + ":00";
  }
  auto local = core::ParseLocalDateTime(t);
  if (!local) return Usage("'" + text + "' is not a date and time (YYYY-MM-DDTHH:MM[:SS] with Z, an offset, or none)");
  std::chrono::seconds since(*local * 60 + seconds);
  if (absolute) return Instant(since - std::chrono::minutes(offset_minutes));
  auto iana = Canonical(name);
  if (!iana.ok()) return iana.status();
  const date::time_zone* zone = Find(*iana);
  date::local_seconds ls(since);
  auto info = zone->get_info(ls);
  switch (info.result) {
    case date::local_info::unique:
      return Instant(since - info.first.offset);
    case date::local_info::ambiguous:
      return Instant(since - info.first.offset);   // the earlier of the two instants
    case date::local_info::nonexistent:
      return Instant(info.second.begin);          // the first minute after the gap
  }
  return Internal("time zone conversion");
}

std::string FormatUtc(Instant at) { return date::format("%Y-%m-%dT%H:%M:%SZ", at); }

}  // namespace rgs::tz
