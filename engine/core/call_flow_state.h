// The call flow's own state, shared by its source files (call_flow.cc, call_flow_agents.cc,
// call_flow_signalling.cc) and by nothing else: the calls, their legs, the agents, and the
// constants and small helpers the decisions use.
#pragma once

#include <algorithm>
#include <cctype>

#include "core/call_flow.h"

namespace rgs::core {
namespace flow {

constexpr auto kUnreachable = std::chrono::seconds(30);     // a contact that failed: offline this long
constexpr auto kSilence = std::chrono::seconds(10);         // a question waits this long for a key
constexpr auto kTransferLinger = std::chrono::seconds(32);  // after a REFER, for the caller's BYE
constexpr int kMaxDepth = 16;                               // transfers between queues and questions
constexpr int kMaxGlare = 5;                                // 491s in a row before giving up
constexpr auto kAckWait = std::chrono::seconds(32);         // 64*T1: the longest an ACK may take

inline bool IsDecline(int status) { return status == 486 || status == 600 || status == 603 || status == 480; }

inline long long Ms(Time::duration d) { return std::chrono::duration_cast<Millis>(d).count(); }
inline double Seconds(Time t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

inline std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A visit that ends by a queue's timeout or overflow action: Terminated when that action ends the
// call (or is missing), Transferred when it sends the call on.
inline Outcome VisitOutcome(const std::optional<CallAction>& action) {
  return !action || action->action == ActionKind::kTerminate ? Outcome::kTerminated : Outcome::kTransferred;
}

}  // namespace flow

// One dialog's offer/answer state (RFC 3261 §14, RFC 3264; after reSIProcate's InviteSession):
// rgsd never sends a re-INVITE while an INVITE transaction on the dialog is pending or before
// the caller's ACK; an offer that cannot go yet waits here until the state allows it.
struct CallFlow::Leg {
  enum class State { kNone, kEarly, kAwaitingAck, kConfirmed, kSentOffer, kGlare, kReceivedOffer };
  LegId id = 0;
  State state = State::kNone;
  bool ours = false;                   // rgsd made the dialog (and its Call-ID): the agent's leg
  std::optional<std::string> pending;  // an offer waiting to be sent
  LegId pending_answer_to = 0;         // the leg whose offer it relays (0: rgsd's own, the connect)
  std::string sent;                    // the offer sent, resent after a 491
  LegId answer_to = 0;                 // of the offer sent
  int glare = 0;                       // 491s in a row
  std::optional<Time> backoff_until;
};

struct CallFlow::Agent {
  std::string aor, contact;
  Time registered_until{}, published_until{}, unreachable_until{}, idle_since{};
  Presence presence = Presence::kAvailable;
  bool published = false;
  int calls = 0;                    // connected calls
  std::set<uint64_t> ringing;       // calls offered to this agent now
  std::set<std::string> signed_in;  // formal groups (GUIDs)
  bool registered(Time now) const { return !contact.empty() && now < registered_until; }
};

struct CallFlow::Call {
  enum class State { kEntering, kPlaying, kAsking, kWaiting, kConnecting, kConnected, kTransferring };
  uint64_t id = 0;
  std::shared_ptr<const Snapshot> config;  // the revision the call started under
  const Workflow* workflow = nullptr;
  State state = State::kEntering;
  Leg caller, agent_leg;
  std::string from, from_display, offer_sdp;
  SdpOffer offer;
  int codec = 0;
  bool answered = false;
  uint64_t session = 0, sdp_version = 1;
  uint64_t agent_sdp_version = 0;  // of rgsd's own SDP to the agent (anonymous workflows)
  std::map<TimerKind, Time> due;   // the armed timers; others in timers_ are stale
  // the action in progress (its prompt plays first)
  CallAction action;
  std::string purpose;
  int depth = 0;
  const Question* question = nullptr;
  int attempt = 1;
  std::vector<std::pair<std::string, std::string>> answers;  // (question, answer) given, in order
  // the queue
  const Queue* queue = nullptr;
  size_t group_index = 0;
  std::set<std::string> tried;  // agents offered in this pass of the current group
  bool simultaneous = false;
  uint64_t arrival = 0;
  bool idle = false;                    // waiting and ringing nobody
  std::map<LegId, std::string> offers;  // ringing legs -> agent
  bool timed_out = false;
  std::map<std::string, Time> declined;
  std::optional<Time> first_queued;
  // connected
  std::string agent, agent_sdp;
  bool agent_transfer = false;  // the agent REFERred the caller
  CallRecord record;
  std::optional<QueueVisit> visit;
};

}  // namespace rgs::core
