// Tests of the configuration model: enum spellings, clock times, local dates, weekdays.
#include "core/model.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace rgs::core;

TEST_CASE("routing methods parse in both spellings and any case", "[model]") {
  CHECK(ParseRoutingMethod("LongestIdle") == RoutingMethod::kLongestIdle);
  CHECK(ParseRoutingMethod("longest-idle") == RoutingMethod::kLongestIdle);
  CHECK(ParseRoutingMethod("ROUND_ROBIN") == RoutingMethod::kRoundRobin);
  CHECK(ParseRoutingMethod("serial") == RoutingMethod::kSerial);
  CHECK(ParseRoutingMethod("Parallel") == RoutingMethod::kParallel);
  CHECK(ParseRoutingMethod("attendant") == RoutingMethod::kAttendant);
  CHECK_FALSE(ParseRoutingMethod("random").has_value());
  CHECK_FALSE(ParseRoutingMethod("").has_value());
}

TEST_CASE("every enum value prints its Lync name and parses back", "[model]") {
  for (auto v : {RoutingMethod::kParallel, RoutingMethod::kLongestIdle, RoutingMethod::kSerial,
                 RoutingMethod::kRoundRobin, RoutingMethod::kAttendant})
    CHECK(ParseRoutingMethod(Name(v)) == v);
  for (auto v : {ParticipationPolicy::kInformal, ParticipationPolicy::kFormal})
    CHECK(ParseParticipationPolicy(Name(v)) == v);
  for (auto v : {OverflowCandidate::kNewestCall, OverflowCandidate::kOldestCall})
    CHECK(ParseOverflowCandidate(Name(v)) == v);
  for (auto v : {ActionKind::kTerminate, ActionKind::kTransferToQueue, ActionKind::kTransferToQuestion,
                 ActionKind::kTransferToUri, ActionKind::kTransferToVoiceMailUri, ActionKind::kTransferToPstn})
    CHECK(ParseActionKind(Name(v)) == v);
  CHECK(Name(ActionKind::kTransferToPstn) == "TransferToPSTN");
}

TEST_CASE("the voice-mail action accepts both spellings the Lync docs use", "[model]") {
  CHECK(ParseActionKind("TransferToVoicemailUri") == ActionKind::kTransferToVoiceMailUri);
  CHECK(ParseActionKind("TransferToVoiceMailUri") == ActionKind::kTransferToVoiceMailUri);
}

TEST_CASE("overflow candidates accept newest and oldest alone", "[model]") {
  CHECK(ParseOverflowCandidate("newest") == OverflowCandidate::kNewestCall);
  CHECK(ParseOverflowCandidate("Oldest") == OverflowCandidate::kOldestCall);
  CHECK(ParseOverflowCandidate("oldest-call") == OverflowCandidate::kOldestCall);
  CHECK_FALSE(ParseOverflowCandidate("middle").has_value());
}

TEST_CASE("defaults follow the reference", "[model]") {
  AgentGroup g;
  CHECK(g.agent_alert_time == 20);
  CHECK(g.routing_method == RoutingMethod::kParallel);
  CHECK(g.participation_policy == ParticipationPolicy::kInformal);
  Queue q;
  CHECK_FALSE(q.timeout_threshold.has_value());
  CHECK_FALSE(q.overflow_threshold.has_value());
  CHECK(q.overflow_candidate == OverflowCandidate::kNewestCall);
}

TEST_CASE("call actions compare their question trees by value", "[model]") {
  CallAction a, b;
  a.action = b.action = ActionKind::kTransferToQuestion;
  a.question = std::make_shared<Question>();
  b.question = std::make_shared<Question>();
  a.question->prompt.text = b.question->prompt.text = "Sales or support?";
  CHECK(a == b);
  b.question->prompt.text = "Something else?";
  CHECK_FALSE(a == b);
}

TEST_CASE("clock times run from 00:00 to 24:00 and print back as they were written", "[model][time]") {
  CHECK(ParseClock("00:00") == 0);
  CHECK(ParseClock("08:30") == 510);
  CHECK(ParseClock("24:00") == 1440);
  for (const char* bad : {"24:01", "8:30", "08:60", "25:00", "08-30", "0830", "ab:cd", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseClock(bad).has_value());
  }
  CHECK(FormatClock(510) == "08:30");
  CHECK(FormatClock(1440) == "24:00");
}

TEST_CASE("local dates and times parse to the minute and print back, leap days and years before 1970 included",
          "[model][time]") {
  CHECK(ParseLocalDateTime("1970-01-01") == 0);
  CHECK(ParseLocalDateTime("1970-01-02T00:01") == 1441);
  CHECK(ParseLocalDateTime("1970-01-02 00:01:00") == 1441);
  CHECK(ParseLocalDateTime("1969-12-31T23:59") == -1);
  for (const char* s : {"2024-02-29T12:00:00", "2000-02-29T00:00:00", "1900-03-01T06:07:00", "2026-12-25T09:30:00"}) {
    auto m = ParseLocalDateTime(s);
    REQUIRE(m.has_value());
    CHECK(FormatLocalDateTime(*m) == s);
  }
  CHECK(FormatLocalDateTime(-1) == "1969-12-31T23:59:00");
  for (const char* bad :
       {"2026-02-29", "1900-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "2026-01-01T24:00", "2026-01-01T10:60",
        "2026-01-01T10:00:30", "2026-01-01X10:00", "2026-01-01T10", "26-01-01", "2026/01/01"}) {
    INFO(bad);
    CHECK_FALSE(ParseLocalDateTime(bad).has_value());
  }
}

TEST_CASE("weekdays parse from three letters up, in any case", "[model][time]") {
  CHECK(ParseWeekday("monday") == Weekday::kMonday);
  CHECK(ParseWeekday("SUN") == Weekday::kSunday);
  CHECK(ParseWeekday("Wednes") == Weekday::kWednesday);
  CHECK_FALSE(ParseWeekday("mo").has_value());
  CHECK_FALSE(ParseWeekday("mondays").has_value());
  for (int d = 0; d < kDays; ++d) CHECK(ParseWeekday(Name(static_cast<Weekday>(d))) == static_cast<Weekday>(d));
}

TEST_CASE("the 26 languages of the reference, and hours of business compare every range", "[model]") {
  CHECK(Languages().size() == 26);
  CHECK(std::find(Languages().begin(), Languages().end(), "en-US") != Languages().end());
  HoursOfBusiness a, b;
  a.hours[0][0] = TimeRange{"", 480, 1020};
  CHECK_FALSE(a == b);
  b.hours[0][0] = TimeRange{"", 480, 1020};
  CHECK(a == b);
  b.hours[6][1] = TimeRange{"", 600, 660};
  CHECK_FALSE(a == b);
}
