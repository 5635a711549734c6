// Tests of time zones: IANA names, Windows ids, and local time across DST changes.
#include "tz/zone.h"

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
  CHECK_FALSE(tz::Known(""));
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
