// Tests of time zones: IANA names, Windows ids, and local time across DST changes.
#include "tz/zone.h"

#include <date/tz.h>
#include <catch2/catch.hpp>

using namespace rgs;

namespace {

std::string Local(const std::string& zone, const std::string& utc) {
  auto at = tz::ParseInstant(utc, "UTC");
  REQUIRE(at.ok());
  auto local = tz::ToLocal(zone, *at);
  REQUIRE(local.ok());
  return core::FormatLocalDateTime(*local);
}

}  // namespace

TEST_CASE("IANA names and Windows ids are known, others not", "[tz]") {
  CHECK(tz::Known("Europe/Paris"));
  CHECK(tz::Known("UTC"));
  CHECK(*tz::Canonical("Pacific Standard Time") == "America/Los_Angeles");
  CHECK(*tz::Canonical("W. Europe Standard Time") == "Europe/Berlin");
  CHECK_FALSE(tz::Known("Mars/Olympus_Mons"));
  CHECK_FALSE(tz::Known("Pacific Standard"));
  CHECK_FALSE(tz::Known(""));
}

TEST_CASE("Windows ids are taken in any letter case, as Lync took them", "[tz]") {
  CHECK(*tz::Canonical("pacific standard time") == "America/Los_Angeles");
  CHECK(*tz::Canonical("PACIFIC STANDARD TIME") == "America/Los_Angeles");
  CHECK(*tz::Canonical("w. europe standard time") == "Europe/Berlin");
  CHECK(*tz::Canonical("Tokyo standard Time") == "Asia/Tokyo");
  CHECK(*tz::Canonical("utc") == "Etc/UTC");
  CHECK_FALSE(tz::Known("pacific  standard time"));
  // IANA names are file names of the zoneinfo directory, and keep their case.
  CHECK_FALSE(tz::Known("europe/paris"));
}

TEST_CASE("every zone of date/tz's database is known and converts as date/tz converts", "[tz]") {
  // rgs reads zones through the C library; date/tz, reading the same zoneinfo files, is the
  // oracle: the same zones, the same local time at every sampled instant of 2024-2027 (every
  // 6 hours, so every DST season of every zone), for every zone of the system.
  const auto& db = date::get_tzdb();
  REQUIRE(db.zones.size() > 300);
  auto from = date::sys_days(date::year(2024) / 1 / 1), to = date::sys_days(date::year(2028) / 1 / 1);
  size_t compared = 0;
  for (const auto& zone : db.zones) {
    INFO(zone.name());
    REQUIRE(tz::Known(zone.name()));
    for (date::sys_seconds at = from; at < to; at += std::chrono::hours(6)) {
      auto local = tz::ToLocal(zone.name(), at);
      auto expected = std::chrono::floor<std::chrono::minutes>(zone.to_local(at).time_since_epoch()).count();
      if (!local.ok() || *local != expected)
        FAIL_CHECK(tz::FormatUtc(at) << ": " << local.status().message() << " " << (local.ok() ? *local : 0)
                                     << " != " << expected);
      ++compared;
    }
  }
  CHECK(compared > 300 * 5000);
  for (const char* link : {"US/Eastern", "GB", "Etc/GMT+5", "Asia/Calcutta"}) CHECK(tz::Known(link));
  for (const char* not_zone : {"zone.tab", "tzdata.zi", "posix/Europe/Paris", "right/UTC", "../zoneinfo/UTC",
                               "Europe/../Europe/Paris", "/usr/share/zoneinfo/UTC", "Europe", "Europe/", "leapseconds",
                               "Factory", "iso3166.tab", "Europe/Paris\n", "Mars/Olympus_Mons"})
    CHECK_FALSE(tz::Known(not_zone));
}

TEST_CASE("local times map to instants as date/tz maps them, gaps and overlaps included", "[tz]") {
  // Zones with unusual changes: half-hour DST (Lord_Howe), negative DST (Dublin), two-hour DST
  // (Troll), Ramadan suspensions (Casablanca), southern-hemisphere seasons, odd offsets.
  for (const char* name :
       {"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Europe/Dublin", "Antarctica/Troll",
        "Africa/Casablanca", "America/Santiago", "Pacific/Chatham", "Asia/Kathmandu", "Africa/Cairo", "America/Nuuk",
        "Asia/Gaza", "America/Asuncion", "Pacific/Auckland", "America/Havana", "UTC"}) {
    INFO(name);
    const date::time_zone* zone = date::locate_zone(name);
    auto day = date::local_days(date::year(2025) / 1 / 1), end = date::local_days(date::year(2027) / 1 / 1);
    for (date::local_seconds local = day; local < end; local += std::chrono::minutes(30)) {
      auto info = zone->get_info(local);
      date::sys_seconds expected = info.result == date::local_info::nonexistent
                                       ? info.second.begin
                                       : date::sys_seconds(local.time_since_epoch() - info.first.offset);
      auto text = date::format("%Y-%m-%dT%H:%M", local);
      auto got = tz::ParseInstant(text, name);
      if (!got.ok())
        FAIL_CHECK(text << ": " << got.status().message());
      else if (*got != expected)
        FAIL_CHECK(text << ": " << tz::FormatUtc(*got) << " != " << tz::FormatUtc(expected));
    }
  }
}

TEST_CASE("Europe/Paris changes to summer time on the last Sunday of March", "[tz]") {
  CHECK(Local("Europe/Paris", "2026-03-29T00:59:00Z") == "2026-03-29T01:59:00");
  CHECK(Local("Europe/Paris", "2026-03-29T01:00:00Z") == "2026-03-29T03:00:00");
  CHECK(Local("Europe/Paris", "2026-10-25T00:30:00Z") == "2026-10-25T02:30:00");
  CHECK(Local("Europe/Paris", "2026-10-25T01:30:00Z") == "2026-10-25T02:30:00");
  CHECK(Local("Europe/Paris", "2026-10-25T02:00:00Z") == "2026-10-25T03:00:00");
}

TEST_CASE("America/New_York changes on the second Sunday of March", "[tz]") {
  CHECK(Local("America/New_York", "2026-03-08T06:59:00Z") == "2026-03-08T01:59:00");
  CHECK(Local("America/New_York", "2026-03-08T07:00:00Z") == "2026-03-08T03:00:00");
  CHECK(Local("America/New_York", "2026-11-01T05:30:00Z") == "2026-11-01T01:30:00");
  CHECK(Local("America/New_York", "2026-11-01T06:30:00Z") == "2026-11-01T01:30:00");
}

TEST_CASE("instants parse with Z, with an offset, or as local time in a zone", "[tz]") {
  CHECK(tz::FormatUtc(*tz::ParseInstant("2026-11-24T10:00:00Z", "Europe/Paris")) == "2026-11-24T10:00:00Z");
  CHECK(tz::FormatUtc(*tz::ParseInstant("2026-11-24T10:00:00+01:00", "UTC")) == "2026-11-24T09:00:00Z");
  CHECK(tz::FormatUtc(*tz::ParseInstant("2026-11-24T10:00:00-05:30", "UTC")) == "2026-11-24T15:30:00Z");
  CHECK(tz::FormatUtc(*tz::ParseInstant("2026-11-24T10:00", "Europe/Paris")) == "2026-11-24T09:00:00Z");
  CHECK(tz::FormatUtc(*tz::ParseInstant("2026-07-01T10:00", "Europe/Paris")) == "2026-07-01T08:00:00Z");
  // A local time in the autumn overlap is the earlier instant; one in the spring gap, the end of the gap.
  CHECK(tz::FormatUtc(*tz::ParseInstant("2026-10-25T02:30", "Europe/Paris")) == "2026-10-25T00:30:00Z");
  CHECK(tz::FormatUtc(*tz::ParseInstant("2026-03-29T02:30", "Europe/Paris")) == "2026-03-29T01:00:00Z");
  CHECK(tz::ParseInstant("yesterday", "UTC").status().code() == Code::kUsage);
  CHECK(tz::ParseInstant("2026-02-30T10:00", "UTC").status().code() == Code::kUsage);
}
