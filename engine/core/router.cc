// Routing decisions: schedule, IVR walk, agent offer order.
#include "core/router.h"

#include "core/distributor.h"

#include <algorithm>
#include <array>

namespace rgs::core {

std::string_view Name(ScheduleState s) {
  switch (s) {
    case ScheduleState::kOpen: return "Open";
    case ScheduleState::kAfterHours: return "AfterHours";
    case ScheduleState::kHoliday: return "Holiday";
  }
  return "?";
}

Weekday WeekdayOf(LocalMinutes local) {
  long long days = local >= 0 ? local / 1440 : (local - 1439) / 1440;
  // 1970-01-01 was a Thursday (index 3 counting from Monday).
  long long idx = ((days % 7) + 7 + 3) % 7;
  return static_cast<Weekday>(idx);
}

int MinuteOfDay(LocalMinutes local) { return static_cast<int>(((local % 1440) + 1440) % 1440); }

ScheduleDecision DecideSchedule(const HoursOfBusiness* hours, const std::vector<const HolidaySet*>& holidays,
                                LocalMinutes local) {
  ScheduleDecision d;
  for (const HolidaySet* set : holidays) {
    if (!set) continue;
    for (const Holiday& h : set->holidays) {
      if (local >= h.start && local < h.end) {
        d.state = ScheduleState::kHoliday;
        d.holiday_set = set;
        d.holiday = &h;
        return d;
      }
    }
  }
  if (!hours) return d;
  int day = static_cast<int>(WeekdayOf(local));
  int minute = MinuteOfDay(local);
  for (const auto& r : hours->hours[day])
    if (r && minute >= r->open && minute < r->close) return d;
  d.state = ScheduleState::kAfterHours;
  return d;
}

std::string_view Name(IvrStep::Kind k) {
  switch (k) {
    case IvrStep::Kind::kAsked: return "Asked";
    case IvrStep::Kind::kAnswered: return "Answered";
    case IvrStep::Kind::kInvalid: return "InvalidAnswer";
    case IvrStep::Kind::kNoAnswer: return "NoAnswer";
    case IvrStep::Kind::kDisconnected: return "Disconnected";
    case IvrStep::Kind::kAwaitingInput: return "AwaitingInput";
  }
  return "?";
}

const Answer* MatchAnswer(const Question& q, const std::string& key) {
  for (const auto& a : q.answers)
    if (!a.dtmf.empty() && a.dtmf == key) return &a;
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto& a : q.answers)
    for (const auto& w : a.voice)
      if (lower(w) == lower(key)) return &a;
  return nullptr;
}

std::string_view Name(Presence p) {
  switch (p) {
    case Presence::kAvailable: return "available";
    case Presence::kInactive: return "inactive";
    case Presence::kBusy: return "busy";
    case Presence::kDoNotDisturb: return "do-not-disturb";
    case Presence::kAway: return "away";
    case Presence::kOffline: return "offline";
  }
  return "?";
}

std::optional<Presence> ParsePresence(std::string_view s) {
  std::string f;
  for (char c : s)
    if (c != '-' && c != '_' && c != ' ') f += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (f == "available" || f == "online") return Presence::kAvailable;
  if (f == "inactive" || f == "idle") return Presence::kInactive;
  if (f == "busy" || f == "onthephone" || f == "inacall") return Presence::kBusy;
  if (f == "donotdisturb" || f == "dnd") return Presence::kDoNotDisturb;
  if (f == "away" || f == "berightback" || f == "brb") return Presence::kAway;
  if (f == "offline" || f == "unknown") return Presence::kOffline;
  return std::nullopt;
}

std::string_view Describe(Ineligible why) {
  switch (why) {
    case Ineligible::kNone: return "eligible";
    case Ineligible::kSignedOut: return "signed out";
    case Ineligible::kOffline: return "offline";
    case Ineligible::kBusy: return "busy";
    case Ineligible::kInCall: return "in a call";
    case Ineligible::kDoNotDisturb: return "do-not-disturb";
    case Ineligible::kAway: return "away";
    case Ineligible::kRingbackGrace: return "in ringback grace";
    case Ineligible::kRinging: return "ringing for another call";
  }
  return "?";
}

Ineligible Eligibility(const AgentView& a, ParticipationPolicy policy, RoutingMethod method, int grace_period) {
  // Reference 3.5: signed in to Lync (a live registration) and, for formal groups, to the group.
  if (!a.registered || a.presence == Presence::kOffline) return Ineligible::kOffline;
  if (policy == ParticipationPolicy::kFormal && !a.signed_in) return Ineligible::kSignedOut;
  if (a.declined_seconds_ago && *a.declined_seconds_ago < grace_period) return Ineligible::kRingbackGrace;
  // Reference 3.6: Attendant ignores presence except do-not-disturb.
  if (a.presence == Presence::kDoNotDisturb) return Ineligible::kDoNotDisturb;
  if (method == RoutingMethod::kAttendant) return Ineligible::kNone;
  if (a.in_call) return Ineligible::kInCall;
  // One offer at a time (Attendant excepted, above): a waiting call does not take an agent
  // another call is ringing.
  if (a.ringing) return Ineligible::kRinging;
  if (a.presence == Presence::kBusy) return Ineligible::kBusy;
  if (a.presence == Presence::kAway) return Ineligible::kAway;
  return Ineligible::kNone;
}

// The same index the daemon keeps live (core/distributor.h), built here from one moment's views.
OfferPlan PlanOffers(const AgentGroup& group, const std::vector<AgentView>& agents, int grace_period,
                     size_t round_robin_next) {
  OfferPlan plan;
  const RoutingMethod m = group.routing_method;
  plan.simultaneous = m == RoutingMethod::kParallel || m == RoutingMethod::kAttendant;
  GroupIndex index(m, agents.size());
  for (size_t i = 0; i < agents.size(); ++i) {
    Ineligible why = Eligibility(agents[i], group.participation_policy, m, grace_period);
    // LongestIdle: the longest idle first, i.e. the earliest "idle since".
    if (why == Ineligible::kNone)
      index.Update(i, true, -agents[i].idle_seconds);
    else
      plan.skipped.emplace_back(agents[i].uri, why);
  }
  for (size_t i : index.Order(agents.empty() ? 0 : round_robin_next % agents.size()))
    plan.order.push_back(agents[i].uri);
  return plan;
}

}  // namespace rgs::core
