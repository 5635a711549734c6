// Time zones over date/tz (IANA zoneinfo) and ICU (Windows ids).
#include "tz/zone.h"

#include <date/tz.h>
#include <dlfcn.h>
#include <unicode/ucal.h>
#include <unicode/uvernum.h>

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

// ICU is opened on first use: most commands never meet a Windows id, and mapping ICU into
// every rgs process would cost each one milliseconds. The library and symbol names are those of
// the ICU whose headers this was compiled with (ICU renames its symbols per version).
#define RGS_STR2(x) #x
#define RGS_STR(x) RGS_STR2(x)
using WindowsToIana = int32_t (*)(const UChar*, int32_t, const char*, UChar*, int32_t, UErrorCode*);

WindowsToIana LoadIcu() {
  static WindowsToIana fn = [] {
    void* lib = dlopen("libicui18n.so." U_ICU_VERSION_SHORT, RTLD_NOW | RTLD_LOCAL);
    if (!lib) return WindowsToIana{nullptr};
    return reinterpret_cast<WindowsToIana>(dlsym(lib, RGS_STR(ucal_getTimeZoneIDForWindowsID)));
  }();
  return fn;
}

// ICU: Windows time zone id -> IANA id for the "001" (world) region. Ids are ASCII.
std::string FromWindows(const std::string& windows) {
  WindowsToIana fn = LoadIcu();
  if (!fn || windows.size() >= 128) return "";
  UChar in[128];
  UChar out[128];
  for (size_t i = 0; i < windows.size(); ++i) {
    if (static_cast<unsigned char>(windows[i]) > 127) return "";
    in[i] = static_cast<UChar>(windows[i]);
  }
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = fn(in, static_cast<int32_t>(windows.size()), nullptr, out, 128, &err);
  if (U_FAILURE(err) || n <= 0 || n >= 128) return "";
  std::string iana;
  for (int32_t i = 0; i < n; ++i) iana += static_cast<char>(out[i]);
  return iana;
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
