// Routing decisions (reference 3.1-3.7): the schedule, the IVR walk, queue entry and the order in
// which agents are offered a call. Pure and deterministic: time, presence and agent state come in
// as arguments. The daemon and `rgs test-workflow` run this same code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace rgs::core {

// ---- Schedule (reference 3.1-3.2) -----------------------------------------------------------

enum class ScheduleState { kOpen, kAfterHours, kHoliday };
std::string_view Name(ScheduleState s);

struct ScheduleDecision {
  ScheduleState state = ScheduleState::kOpen;
  const HolidaySet* holiday_set = nullptr;  // for kHoliday: the set and holiday that matched
  const Holiday* holiday = nullptr;
};

Weekday WeekdayOf(LocalMinutes local);
int MinuteOfDay(LocalMinutes local);

// Holiday wins over after-hours; ranges are [open, close); no hours object means always open,
// an hours object with no ranges means never open.
ScheduleDecision DecideSchedule(const HoursOfBusiness* hours, const std::vector<const HolidaySet*>& holidays,
                                LocalMinutes local);

// ---- IVR (reference 3.3) ---------------------------------------------------------------------

// One caller input to a question: a key, or silence.
struct IvrInput {
  std::string key;  // "" for no answer
  bool silence() const { return key.empty(); }
};

struct IvrStep {
  enum class Kind { kAsked, kAnswered, kInvalid, kNoAnswer, kDisconnected, kAwaitingInput };
  Kind kind;
  const Question* question = nullptr;
  const Answer* answer = nullptr;  // for kAnswered
  std::string input;
  int attempt = 0;  // 1-based attempt at this question
};
std::string_view Name(IvrStep::Kind k);

// The answer of `question` that `key` (a DTMF key, or a spoken word matched against the voice
// keywords without regard to case) selects; null when none does. Each question allows
// kIvrAttempts wrong or silent replies in total, then disconnects (reference 3.3): the call flow
// (core/call_flow.h) counts them.
const Answer* MatchAnswer(const Question& question, const std::string& key);

// ---- Agents (reference 3.5-3.7) --------------------------------------------------------------

enum class Presence { kAvailable, kInactive, kBusy, kDoNotDisturb, kAway, kOffline };
std::string_view Name(Presence p);
std::optional<Presence> ParsePresence(std::string_view s);

// What routing knows of one agent for one group at one moment.
struct AgentView {
  std::string uri;
  bool registered = true;  // has a live registration (offline otherwise)
  bool signed_in = true;   // to this group (formal groups only)
  Presence presence = Presence::kAvailable;
  bool in_call = false;                        // already on an rgs call
  bool ringing = false;                        // being offered another call now
  double idle_seconds = 0;                     // time in Available/Inactive, for LongestIdle
  std::optional<double> declined_seconds_ago;  // when this agent declined this call
};

enum class Ineligible { kNone, kSignedOut, kOffline, kBusy, kInCall, kDoNotDisturb, kAway, kRingbackGrace, kRinging };
std::string_view Describe(Ineligible why);

// The agents of one group offered one call: all at once (Parallel, Attendant) or one after
// another in `order`. `skipped` says why each other agent is not offered it.
struct OfferPlan {
  bool simultaneous = false;
  std::vector<std::string> order;
  std::vector<std::pair<std::string, Ineligible>> skipped;
};

// agents: in the group's list order. grace_period: AgentRingbackGracePeriod. round_robin_next:
// index in the list where RoundRobin starts (the agent after the one offered the group's last
// call).
OfferPlan PlanOffers(const AgentGroup& group, const std::vector<AgentView>& agents, int grace_period,
                     size_t round_robin_next);

// Whether one agent can be offered a call of a group routed by `method`, and why not.
Ineligible Eligibility(const AgentView& agent, ParticipationPolicy policy, RoutingMethod method, int grace_period);

}  // namespace rgs::core
