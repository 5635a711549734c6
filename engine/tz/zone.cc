// Time zones: the system's zoneinfo read by the C library, and Windows ids mapped with ICU.
//
// Local time comes from glibc's reader of the system's zoneinfo (TZif files, the same data
// date/tz reads; localtime_r and its tm_gmtoff), not from offset rules of our own. date/tz was
// used before; in the build Debian ships it reads the whole zoneinfo tree (some 700 stat calls,
// 3 ms) on the first use of any zone, and it is a shared library that needs the shared libstdc++:
// together two thirds of a short rgs command. The unit tests check every zone against date/tz.
#include "tz/zone.h"

#include <date/date.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace rgs::tz {
namespace {

// Where the C library looks for zones: $TZDIR, or /usr/share/zoneinfo.
std::string ZoneDir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// Whether `name` could name a zone: relative names of plain words, none of the files of the
// zoneinfo directory that are not zones, nor its posix/ and right/ copies (the list date/tz
// skips). Only names that pass are opened, so no name reaches outside the directory.
bool ZoneLikeName(const std::string& name) {
  if (name.empty() || name.size() > 200) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    if (end == start || name[start] == '.') return false;
    for (size_t i = start; i < end; ++i) {
      char c = name[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '+') return false;
    }
    start = end + 1;
  }
  std::string first = name.substr(0, name.find('/'));
  static const std::set<std::string> kNotZones = {"Factory",           "iso3166.tab",  "right",     "+VERSION",
                                                  "zone.tab",          "zone1970.tab", "tzdata.zi", "leapseconds",
                                                  "leap-seconds.list", "SECURITY"};
  return first.rfind("posix", 0) != 0 && !kNotZones.count(first);
}

// A zone is a TZif file under the zoneinfo directory. Zones found stay known for the life of
// the process (rgsd asks for every call).
bool Find(const std::string& iana) {
  static std::mutex mu;
  static std::set<std::string> found;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (found.count(iana)) return true;
  }
  if (!ZoneLikeName(iana)) return false;
  std::ifstream in(ZoneDir() + "/" + iana, std::ios::binary);
  char magic[4] = {};
  if (!in.read(magic, 4) || std::memcmp(magic, "TZif", 4) != 0) return false;
  std::lock_guard<std::mutex> lock(mu);
  found.insert(iana);
  return true;
}

// The C library converts in the process's zone, TZ. It is set here only, under this lock, by
// editing in place one environment entry that is put once, so the environment itself never
// moves under another thread; tzset reads a zone's file again only when TZ changes. Nothing else
// in rgs or rgsd reads local time from the C library.
std::mutex zone_mu;
char tz_entry[256] = "TZ=";

// Seconds east of UTC in zone `iana` (already found) at instant `utc`.
std::optional<long long> OffsetAt(const std::string& iana, long long utc) {
  std::lock_guard<std::mutex> lock(zone_mu);
  static bool put = [] { return putenv(tz_entry) == 0; }();
  static std::string current;  // the zone TZ names now
  if (!put || iana.size() + 5 > sizeof tz_entry) return std::nullopt;
  if (iana != current) {
    // "TZ=:NAME": a file of the zoneinfo directory, never a POSIX rule string.
    std::snprintf(tz_entry, sizeof tz_entry, "TZ=:%s", iana.c_str());
    current = iana;
    tzset();
  }
  std::time_t t = static_cast<std::time_t>(utc);
  std::tm tm{};
  if (!localtime_r(&t, &tm)) return std::nullopt;
  return static_cast<long long>(tm.tm_gmtoff);
}

// The instant that local time `local` (seconds, as if UTC) stands for in zone `iana`: in an
// overlap the earlier of the two, in a gap the first instant after it. Zones change offset at
// most once within a day, so the offsets a day before and a day after are the only candidates.
std::optional<long long> FromLocal(const std::string& iana, long long local) {
  auto before = OffsetAt(iana, local - 86400);
  auto after = OffsetAt(iana, local + 86400);
  if (!before || !after) return std::nullopt;
  std::optional<long long> best;
  for (long long offset : {*before, *after}) {
    long long candidate = local - offset;
    auto actual = OffsetAt(iana, candidate);
    if (!actual) return std::nullopt;
    if (*actual == offset && (!best || candidate < *best)) best = candidate;
  }
  if (best) return best;
  // A gap: the change happens between the two candidates; find its first second.
  long long lo = local - std::max(*before, *after), hi = local - std::min(*before, *after);
  while (lo < hi) {
    long long mid = lo + (hi - lo) / 2;
    auto offset = OffsetAt(iana, mid);
    if (!offset) return std::nullopt;
    if (*offset == *before)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

std::string Lower(const std::string& s) {
  std::string out = s;
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Narrow(const UChar* s, int32_t n) {
  std::string out;
  for (int32_t i = 0; i < n; ++i) out += s[i] < 128 ? static_cast<char>(s[i]) : '?';
  return out;
}

// Every Windows time zone id ICU knows, by its lower-case spelling: Lync took the ids in any
// letter case, ICU takes them only as Windows spells them. Built once, from the Windows id of
// each of ICU's zones.
const std::map<std::string, std::string>& WindowsIds() {
  static const std::map<std::string, std::string> ids = [] {
    std::map<std::string, std::string> out;
    UErrorCode err = U_ZERO_ERROR;
    UEnumeration* zones = ucal_openTimeZones(&err);
    if (U_FAILURE(err)) return out;
    int32_t n = 0;
    while (const UChar* zone = uenum_unext(zones, &n, &err)) {
      if (U_FAILURE(err)) break;
      UChar windows[128];
      UErrorCode werr = U_ZERO_ERROR;
      int32_t w = ucal_getWindowsTimeZoneID(zone, n, windows, 128, &werr);
      if (U_SUCCESS(werr) && w > 0 && w < 128) {
        std::string id = Narrow(windows, w);
        out.emplace(Lower(id), id);
      }
    }
    uenum_close(zones);
    return out;
  }();
  return ids;
}

// ICU: Windows time zone id -> IANA id for the "001" (world) region. Ids are ASCII.
std::string FromWindows(const std::string& windows) {
  if (windows.size() >= 128) return "";
  UChar in[128];
  UChar out[128];
  for (size_t i = 0; i < windows.size(); ++i) {
    if (static_cast<unsigned char>(windows[i]) > 127) return "";
    in[i] = static_cast<UChar>(windows[i]);
  }
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = ucal_getTimeZoneIDForWindowsID(in, static_cast<int32_t>(windows.size()), nullptr, out, 128, &err);
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
  if (iana.empty()) {  // not as Windows spells it: the same id in another letter case
    auto it = WindowsIds().find(Lower(name));
    if (it != WindowsIds().end()) iana = FromWindows(it->second);
  }
  if (!iana.empty() && Find(iana)) return iana;
  return Invalid("'" + name +
                 "' is not a known time zone (an IANA name such as Europe/Paris, or a Windows id such as "
                 "\"Pacific Standard Time\")");
}

bool Known(const std::string& name) { return Canonical(name).ok(); }

Result<core::LocalMinutes> ToLocal(const std::string& name, Instant at) {
  auto iana = Canonical(name);
  if (!iana.ok()) return iana.status();
  long long utc = at.time_since_epoch().count();
  auto offset = OffsetAt(*iana, utc);
  if (!offset) return Internal("the C library could not convert to time zone " + *iana);
  auto minutes = std::chrono::floor<std::chrono::minutes>(std::chrono::seconds(utc + *offset)).count();
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
  auto utc = FromLocal(*iana, since.count());
  if (!utc) return Internal("the C library could not convert from time zone " + *iana);
  return Instant(std::chrono::seconds(*utc));
}

std::string FormatUtc(Instant at) { return date::format("%Y-%m-%dT%H:%M:%SZ", at); }

}  // namespace rgs::tz
