// Tests of the routing core: the schedule decision, the IVR walk and the order of agent offers.
#include "core/router.h"

#include <catch2/catch.hpp>

using namespace rgs::core;

namespace {

LocalMinutes At(const char* local) { return *ParseLocalDateTime(local); }

HoursOfBusiness OfficeHours() {
  HoursOfBusiness h;
  h.name = "Office";
  for (int d = 0; d < 5; ++d) {
    h.hours[d][0] = TimeRange{"", 8 * 60, 12 * 60};
    h.hours[d][1] = TimeRange{"", 13 * 60, 17 * 60};
  }
  return h;
}

HolidaySet Christmas() {
  HolidaySet s;
  s.name = "Christmas";
  s.holidays.push_back({"Christmas Day", At("2026-12-25"), At("2026-12-26")});
  return s;
}

AgentGroup Group(RoutingMethod m, std::vector<std::string> agents) {
  AgentGroup g;
  g.name = "G";
  g.routing_method = m;
  g.agents = std::move(agents);
  return g;
}

std::vector<AgentView> Views(const AgentGroup& g) {
  std::vector<AgentView> out;
  for (const auto& a : g.agents) {
    AgentView v;
    v.uri = a;
    out.push_back(v);
  }
  return out;
}

}  // namespace

TEST_CASE("weekdays and minutes of a local time", "[router][schedule]") {
  CHECK(WeekdayOf(At("1970-01-01")) == Weekday::kThursday);
  CHECK(WeekdayOf(At("2026-11-24T10:00")) == Weekday::kTuesday);
  CHECK(WeekdayOf(At("2026-11-29T23:59")) == Weekday::kSunday);
  CHECK(WeekdayOf(At("1969-12-31T23:59")) == Weekday::kWednesday);
  CHECK(MinuteOfDay(At("2026-11-24T10:30")) == 630);
  CHECK(MinuteOfDay(At("1969-12-31T23:59")) == 1439);
}

TEST_CASE("business hours are half-open ranges", "[router][schedule]") {
  HoursOfBusiness h = OfficeHours();
  auto state = [&](const char* t) { return DecideSchedule(&h, {}, At(t)).state; };
  CHECK(state("2026-11-24T07:59") == ScheduleState::kAfterHours);
  CHECK(state("2026-11-24T08:00") == ScheduleState::kOpen);
  CHECK(state("2026-11-24T11:59") == ScheduleState::kOpen);
  CHECK(state("2026-11-24T12:00") == ScheduleState::kAfterHours);
  CHECK(state("2026-11-24T13:00") == ScheduleState::kOpen);
  CHECK(state("2026-11-24T17:00") == ScheduleState::kAfterHours);
  CHECK(state("2026-11-28T10:00") == ScheduleState::kAfterHours);  // Saturday: no ranges
}

TEST_CASE("midnight belongs to the new day", "[router][schedule]") {
  HoursOfBusiness h;
  h.hours[static_cast<int>(Weekday::kTuesday)][0] = TimeRange{"", 0, 24 * 60};
  CHECK(DecideSchedule(&h, {}, At("2026-11-24T00:00")).state == ScheduleState::kOpen);
  CHECK(DecideSchedule(&h, {}, At("2026-11-24T23:59")).state == ScheduleState::kOpen);
  CHECK(DecideSchedule(&h, {}, At("2026-11-25T00:00")).state == ScheduleState::kAfterHours);
  CHECK(DecideSchedule(&h, {}, At("2026-11-23T23:59")).state == ScheduleState::kAfterHours);
}

TEST_CASE("no business hours means always open; empty hours mean never open", "[router][schedule]") {
  CHECK(DecideSchedule(nullptr, {}, At("2026-11-29T03:00")).state == ScheduleState::kOpen);
  HoursOfBusiness empty;
  CHECK(DecideSchedule(&empty, {}, At("2026-11-24T10:00")).state == ScheduleState::kAfterHours);
}

TEST_CASE("a holiday wins over after-hours and over open hours", "[router][schedule]") {
  HoursOfBusiness h = OfficeHours();
  HolidaySet s = Christmas();
  auto d = DecideSchedule(&h, {&s}, At("2026-12-25T10:00"));  // a Friday, in office hours
  CHECK(d.state == ScheduleState::kHoliday);
  REQUIRE(d.holiday != nullptr);
  CHECK(d.holiday->name == "Christmas Day");
  CHECK(DecideSchedule(&h, {&s}, At("2026-12-25T20:00")).state == ScheduleState::kHoliday);
  CHECK(DecideSchedule(&h, {&s}, At("2026-12-24T23:59")).state == ScheduleState::kAfterHours);
  CHECK(DecideSchedule(&h, {&s}, At("2026-12-26T00:00")).state == ScheduleState::kAfterHours);  // [start, end)
  CHECK(DecideSchedule(nullptr, {&s}, At("2026-12-25T00:00")).state == ScheduleState::kHoliday);
}

TEST_CASE("an answer is chosen by its key or one of its spoken words", "[router][ivr]") {
  Question root;
  root.name = "Main";
  root.prompt.text = "1 sales, 2 more";
  Answer sales;
  sales.name = "Sales";
  sales.dtmf = "1";
  sales.voice = {"Sales"};
  sales.action.action = ActionKind::kTransferToQueue;
  sales.action.queue = "q-sales";
  Answer more;
  more.name = "More";
  more.dtmf = "2";
  more.action.action = ActionKind::kTransferToQuestion;
  more.action.question = std::make_shared<Question>();
  more.action.question->name = "Sub";
  Answer sub;
  sub.dtmf = "#";
  sub.action.action = ActionKind::kTransferToQueue;
  sub.action.queue = "q-sub";
  more.action.question->answers.push_back(sub);
  root.answers = {sales, more};

  // Keys select by DTMF, spoken words by keyword without regard to case; anything else, nothing.
  REQUIRE(MatchAnswer(root, "1") != nullptr);
  CHECK(MatchAnswer(root, "1")->name == "Sales");
  CHECK(MatchAnswer(root, "2")->name == "More");
  REQUIRE(MatchAnswer(root, "sales") != nullptr);
  CHECK(MatchAnswer(root, "sales")->name == "Sales");
  CHECK(MatchAnswer(root, "9") == nullptr);
  CHECK(MatchAnswer(root, "#") == nullptr);
  CHECK(MatchAnswer(*more.action.question, "#") != nullptr);
}

TEST_CASE("parallel offers every available agent at once", "[router][routing]") {
  AgentGroup g = Group(RoutingMethod::kParallel, {"a", "b", "c", "d"});
  auto v = Views(g);
  v[1].presence = Presence::kBusy;
  v[3].in_call = true;
  auto plan = PlanOffers(g, v, 60, 0);
  CHECK(plan.simultaneous);
  CHECK(plan.order == std::vector<std::string>{"a", "c"});
  REQUIRE(plan.skipped.size() == 2);
  CHECK(plan.skipped[0].second == Ineligible::kBusy);
  CHECK(plan.skipped[1].second == Ineligible::kInCall);
}

TEST_CASE("serial always starts from the top of the list", "[router][routing]") {
  AgentGroup g = Group(RoutingMethod::kSerial, {"a", "b", "c"});
  auto v = Views(g);
  v[0].presence = Presence::kAway;
  auto plan = PlanOffers(g, v, 60, 2);  // the round-robin pointer does not matter
  CHECK_FALSE(plan.simultaneous);
  CHECK(plan.order == std::vector<std::string>{"b", "c"});
  CHECK(plan.skipped[0].second == Ineligible::kAway);
}

TEST_CASE("round robin continues after the agent offered the last call", "[router][routing]") {
  AgentGroup g = Group(RoutingMethod::kRoundRobin, {"a", "b", "c", "d"});
  auto v = Views(g);
  CHECK(PlanOffers(g, v, 60, 0).order == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(PlanOffers(g, v, 60, 2).order == std::vector<std::string>{"c", "d", "a", "b"});
  CHECK(PlanOffers(g, v, 60, 4).order == std::vector<std::string>{"a", "b", "c", "d"});
  v[2].presence = Presence::kDoNotDisturb;
  CHECK(PlanOffers(g, v, 60, 2).order == std::vector<std::string>{"d", "a", "b"});
}

TEST_CASE("longest idle offers the agent idle longest first", "[router][routing]") {
  AgentGroup g = Group(RoutingMethod::kLongestIdle, {"a", "b", "c", "d"});
  auto v = Views(g);
  v[0].idle_seconds = 10;
  v[1].idle_seconds = 300;
  v[2].idle_seconds = 45;
  v[3].idle_seconds = 9000;
  v[3].presence = Presence::kOffline;
  auto plan = PlanOffers(g, v, 60, 0);
  CHECK(plan.order == std::vector<std::string>{"b", "c", "a"});
  CHECK(plan.skipped[0].second == Ineligible::kOffline);
}

TEST_CASE("attendant ignores presence except do-not-disturb", "[router][routing]") {
  AgentGroup g = Group(RoutingMethod::kAttendant, {"a", "b", "c", "d", "e"});
  auto v = Views(g);
  v[0].presence = Presence::kBusy;
  v[1].in_call = true;
  v[2].presence = Presence::kDoNotDisturb;
  v[3].presence = Presence::kAway;
  v[4].registered = false;
  auto plan = PlanOffers(g, v, 60, 0);
  CHECK(plan.simultaneous);
  CHECK(plan.order == std::vector<std::string>{"a", "b", "d"});
  CHECK(plan.skipped[0].second == Ineligible::kDoNotDisturb);
  CHECK(plan.skipped[1].second == Ineligible::kOffline);
}

TEST_CASE("formal groups offer calls to signed-in agents only", "[router][routing]") {
  AgentGroup g = Group(RoutingMethod::kParallel, {"a", "b"});
  g.participation_policy = ParticipationPolicy::kFormal;
  auto v = Views(g);
  v[1].signed_in = false;
  auto plan = PlanOffers(g, v, 60, 0);
  CHECK(plan.order == std::vector<std::string>{"a"});
  CHECK(plan.skipped[0].second == Ineligible::kSignedOut);
  g.participation_policy = ParticipationPolicy::kInformal;  // informal agents cannot sign out
  CHECK(PlanOffers(g, v, 60, 0).order.size() == 2);
}

TEST_CASE("an agent who declined waits out the ringback grace period", "[router][routing]") {
  AgentGroup g = Group(RoutingMethod::kSerial, {"a", "b"});
  auto v = Views(g);
  v[0].declined_seconds_ago = 59;
  CHECK(PlanOffers(g, v, 60, 0).order == std::vector<std::string>{"b"});
  CHECK(PlanOffers(g, v, 60, 0).skipped[0].second == Ineligible::kRingbackGrace);
  v[0].declined_seconds_ago = 60;
  CHECK(PlanOffers(g, v, 60, 0).order == std::vector<std::string>{"a", "b"});
}

TEST_CASE("presence words parse as operators write them", "[router]") {
  CHECK(ParsePresence("do-not-disturb") == Presence::kDoNotDisturb);
  CHECK(ParsePresence("DND") == Presence::kDoNotDisturb);
  CHECK(ParsePresence("Available") == Presence::kAvailable);
  CHECK(ParsePresence("be-right-back") == Presence::kAway);
  CHECK_FALSE(ParsePresence("sleepy").has_value());
}
