// Every Response Group call, from arrival to outcome (reference 3.1-3.7), as one state machine
// without I/O: events in (a call arrives, an offer is answered, a timer is due, a re-INVITE, a
// REFER, a registration, a new revision), commands out (answer, offer to an agent, connect,
// relay an offer, transfer, record). rgsd's adapter (daemon/acd.h) feeds it from SIP and carries
// out its commands; `rgs test-workflow` (sim/simulator.h) drives it with a scripted fake endpoint.
// Time comes in with every call; the machine reads no clock and arms no timer: NextDeadline says
// when the adapter must call Expire.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/distributor.h"
#include "core/router.h"
#include "core/sdp.h"
#include "core/snapshot.h"
#include "core/status.h"

namespace rgs::core {

using Time = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;
// One dialog (or dialog attempt) of rgsd with one party, numbered by the SIP edge; never reused.
using LegId = uint64_t;

// How a call, or one visit of a call to a queue, ended. One list for records, logs, statistics
// and test-workflow.
enum class Outcome {
  kAnswered,      // an agent took the call
  kAbandoned,     // the caller hung up before an agent answered
  kTransferred,   // sent on to another address (a workflow or queue action)
  kTerminated,    // the workflow ended it (Terminate action, or no action set)
  kDisconnected,  // no agents in the queue, or too many wrong answers to a question
  kRejected,      // refused before answering (no such address 404, inactive workflow 480)
  kFailed,        // a technical failure (no common codec, no RTP port, connecting failed)
  kLost,          // the caller's side stopped responding (no ACK, no BYE)
  kInterrupted,   // rgsd stopped or restarted during the call
};
std::string_view Name(Outcome o);

// ---- What the machine records --------------------------------------------------------------

struct OfferRecord {
  std::string agent;
  Time at;
  std::string result;  // Offered (still ringing), Answered, NoAnswer, Cancelled, Declined 486, Failed 408
};

struct QueueVisit {
  std::string queue, queue_name;
  Time entered, left;
  Outcome outcome = Outcome::kAbandoned;
  std::string reason;  // Timeout, Overflow, NoAgents, Shutdown or ""
  std::string agent;
  long long wait_ms = 0;
  std::vector<OfferRecord> offers;
};

struct CallRecord {
  uint64_t id = 0;  // the call number of the log lines ("call 17")
  std::string call_id, workflow, workflow_name, caller;
  Time received, ended;
  Outcome outcome = Outcome::kFailed;
  std::string detail, agent;
  std::optional<Time> answered;
  std::optional<long long> wait_ms;
  std::vector<QueueVisit> visits;
};

// ---- Events ----------------------------------------------------------------------------------

struct CallArrived {
  LegId leg = 0;
  std::string request_uri, from, from_display, call_id, sdp;
  bool local_host = false;  // the request URI's host is an address (rgsd's own): match the user alone
  // Agents who declined this call and when (a call that comes back; test-workflow's "declined").
  std::map<std::string, Time> declined;
};
struct CallerAcked {
  LegId leg = 0;
};  // the ACK of rgsd's 2xx arrived
struct AnswerFailed {
  LegId leg = 0;
  std::string why;
};  // rgsd could not answer (no RTP port)
struct OfferRinging {
  LegId leg = 0;
};
struct OfferAnswered {
  LegId leg = 0;
  std::string sdp;
};  // an agent answered rgsd's INVITE
struct OfferFailed {
  LegId leg = 0;
  int status = 0;
};  // final failure of rgsd's INVITE
struct LegEnded {
  LegId leg = 0;
  std::string why;
  bool lost = false;
};  // BYE/CANCEL, or died (lost)
struct MediaOffer {
  LegId leg = 0;
  std::string sdp;
};  // a re-INVITE received on a leg
struct MediaAnswer {
  LegId leg = 0;
  int status = 0;
  std::string sdp;
};  // the answer to rgsd's re-INVITE
struct ReferReceived {
  LegId leg = 0;
  std::string target;
};
struct ReferResult {
  LegId leg = 0;
  int status = 0;
};  // the final response to rgsd's REFER
struct ProbeAnswered {
  LegId leg = 0;
  int status = 0;
};  // the final response to an in-dialog OPTIONS
struct PlayDone {
  uint64_t call = 0;
};
struct DigitReceived {
  uint64_t call = 0;
  std::string key;
};  // a key (RFC 4733 or in-band tones, on the call's media) or a spoken word
struct DigitOnLeg {
  LegId leg = 0;
  std::string key;
};  // a key sent in a leg's dialog (SIP INFO): a DigitReceived of its call when the leg is the caller's
// What the recognizer heard the caller say while a question listened for voice keywords (Ask's
// keywords): its words, which may hold a keyword or none.
struct SpeechRecognized {
  uint64_t call = 0;
  std::string text;
};
struct Registered {
  std::string aor, contact, source;
  int expires = 0;
};  // expires 0: unregistered
struct PresenceChanged {
  std::string aor;
  std::string presence;
  int expires = 0;
};  // "" refreshes
struct SignedIn {
  std::string aor, group;
  bool signed_in = true;
};  // group: GUID
// The state of one agent restored at start (rgsd's restart) or set by test-workflow's document.
struct AgentRestored {
  std::string aor, contact;
  Time registered_until;
  std::optional<Presence> presence;
  Time idle_since;
  int calls = 0;                       // calls it is already in (test-workflow's in-call)
  std::vector<std::string> signed_in;  // formal groups (GUIDs)
};

using Event = std::variant<CallArrived, CallerAcked, AnswerFailed, OfferRinging, OfferAnswered, OfferFailed, LegEnded,
                           MediaOffer, MediaAnswer, ReferReceived, ReferResult, ProbeAnswered, PlayDone, DigitReceived,
                           DigitOnLeg, SpeechRecognized, Registered, PresenceChanged, SignedIn, AgentRestored>;

// ---- Commands --------------------------------------------------------------------------------

// A final or provisional response to the caller's INVITE (404, 480, 488, 302 with `contact`, 180).
struct Respond {
  LegId leg = 0;
  int status = 0;
  std::string contact, warning;
};
// Answer the caller with rgsd's own media (a port for `codec`, sending to `remote`); the adapter
// reports AnswerFailed when it cannot (no free port).
struct AnswerCaller {
  uint64_t call = 0;
  LegId leg = 0;
  int codec = 0;
  SdpOffer remote;
  uint64_t session = 0, version = 0;
};
// Stop rgsd's media for the call (the media path leaves rgsd).
struct StopMedia {
  uint64_t call = 0;
};
// Stop rgsd's prompts and music and relay the call's RTP between the caller and the agent, whose
// media is `agent` (an anonymous workflow: the caller never sees the agent's address).
struct RelayMedia {
  uint64_t call = 0;
  SdpOffer agent;
};
// Answer the caller with `sdp` (an agent's answer; sip.answer_delay), as a 200 to its INVITE.
struct AnswerWith {
  LegId leg = 0;
  std::string sdp;
};
struct Play {
  uint64_t call = 0;
  Prompt prompt;
  std::string purpose;
  std::string language;
};  // then PlayDone
// Play `preamble` (if any) and the question's prompt, then listen for a key (DigitReceived); then PlayDone.
// With keywords, listen to the caller's voice for them too (SpeechRecognized), from now until
// the next Ask, StopListening or StopMedia of the call; without, stop listening.
struct Ask {
  uint64_t call = 0;
  const Question* question = nullptr;
  int attempt = 1;
  std::optional<Prompt> preamble;
  std::string language;
  std::vector<std::string> keywords;  // core/speech.h VoiceKeywords, in a speech language only
};
// The call left its questions: stop listening to the caller's voice.
struct StopListening {
  uint64_t call = 0;
};
struct OfferAgent {
  uint64_t call = 0;
  LegId leg = 0;  // the new leg's id (from the flow's leg numbers; see NewLeg)
  std::string agent, contact, from, from_display, sdp, group_name;
  std::vector<std::string> headers;
  // An anonymous workflow's call (reference 1.4, Anonymous): `sdp` is empty and the agent is
  // offered rgsd's own media instead, a relay port in the caller's codec, which RelayMedia joins
  // to the caller's once the agent answers.
  bool relay = false;
  int codec = 0, telephone_event = -1;
  uint64_t session = 0, version = 0;
};
struct CancelOffer {
  LegId leg = 0;
};
struct SendOffer {
  LegId leg = 0;
  std::string sdp;
};  // a re-INVITE on an established leg
// Answers a MediaOffer: with `sdp`, or (own_media) with rgsd's own media, now sent to `remote`.
struct AnswerOffer {
  LegId leg = 0;
  int status = 0;
  std::string sdp;
  bool own_media = false;
  SdpOffer remote;
  uint64_t call = 0, session = 0, version = 0;  // for own_media: rgsd's o= line
  bool relay = false;                           // own_media on the agent's side of a relayed call
};
struct ReferCaller {
  LegId leg = 0;
  std::string target;
};
struct AnswerRefer {
  LegId leg = 0;
  int status = 0;
};
struct NotifyRefer {
  LegId leg = 0;
  int status = 0;
  bool final = true;
};  // RFC 3515 sipfrag
// An OPTIONS request inside the leg's dialog: is the other side still there (FlowOptions::probe)?
struct Probe {
  LegId leg = 0;
};
struct Hangup {
  LegId leg = 0;
  int status_if_unanswered = 480;
};
struct Record {
  CallRecord record;
};
// A call answered or about to be: what is known of it so far (rgsd records it as in progress, so
// that a crash leaves a trace of it).
struct Started {
  CallRecord record;
};
// Registration and sign-in state to keep across restarts (rgsd writes it to the store).
struct SaveAgent {
  std::string aor, contact;
  Time registered_until;
  std::vector<std::string> signed_in;
};
enum class LogLevel { kDebug, kInfo, kWarning };
struct Log {
  LogLevel level = LogLevel::kInfo;
  std::string text;
};
// What test-workflow reports as the call's path (the daemon logs the same facts).
struct Routed {
  uint64_t call = 0;
  const Workflow* workflow = nullptr;
  ScheduleDecision schedule;
  std::optional<LocalMinutes> local;
};
struct IvrNote {
  uint64_t call = 0;
  IvrStep step;
};
// The call reached the queue; while it waits the caller hears `music` (an audio file GUID; ""
// for rgsd's built-in music): the workflow's CustomMusicOnHold, else the pool's
// DefaultMusicOnHold (reference 1.4, 1.1).
struct Queued {
  uint64_t call = 0;
  const Queue* queue = nullptr;
  std::string music;
};
struct LeftQueue {
  uint64_t call = 0;
  const Queue* queue = nullptr;
  std::string reason;
};

using Command = std::variant<Respond, AnswerCaller, StopMedia, RelayMedia, AnswerWith, Play, Ask, StopListening,
                             OfferAgent, CancelOffer, SendOffer, AnswerOffer, ReferCaller, AnswerRefer, NotifyRefer,
                             Probe, Hangup, Record, Started, SaveAgent, Log, Routed, IvrNote, Queued, LeftQueue>;

// ---- Queries (get-agentstate, get-queuestate) ------------------------------------------------

struct AgentStatus {
  std::string agent, group, contact;
  ParticipationPolicy policy = ParticipationPolicy::kInformal;
  bool registered = false, signed_in = false, in_call = false, ringing = false;
  Presence presence = Presence::kOffline;
  Ineligible why = Ineligible::kOffline;
};
struct QueueStatus {
  std::string queue;
  size_t waiting = 0, ringing = 0;
  double longest_wait_seconds = 0;
};

struct FlowOptions {
  int answer_delay = 0;         // seconds callers hear ringing while agents ring first (sip.answer_delay)
  int registration_max = 3600;  // the longest registration kept
  int retry_after = 5;
  bool media = false;                       // rgsd can play prompts and collect keys; without, questions end the call
  std::string media_address = "127.0.0.1";  // rgsd's RTP address, in the o= lines of relayed SDP
  uint64_t first_call = 1;                  // the number of the first call (after the store's last record)
  LegId first_leg = 1ULL << 62;             // leg ids the flow makes for its offers (the SIP edge's are below)
  // Every call's established dialogs are probed this often with an OPTIONS (sip.probe_interval);
  // a 408 or 481 (RFC 5057: the dialog is gone) ends the call as Lost. Zero: never.
  std::chrono::seconds probe{60};
};

// The local time of an instant in an IANA zone; nullopt for an unknown zone (tz/zone.h in rgsd).
using LocalTimeFn = std::function<std::optional<LocalMinutes>(const std::string& zone, Time at)>;

class CallFlow {
 public:
  CallFlow(FlowOptions options, LocalTimeFn local_time);
  ~CallFlow();

  // A new configuration (a store revision). Calls keep their workflow and queue; offers are made
  // from the groups of the current one, and agents it adds are offered waiting calls at once.
  void SetSnapshot(std::shared_ptr<const Snapshot> snapshot, Time now);
  const Snapshot& snapshot() const { return *snapshot_; }

  void Handle(const Event& e, Time now);
  // Runs every timer due at `now` (alert, queue timeout, answer delay, ringback grace, silence,
  // expiries, re-INVITE back-off).
  void Expire(Time now);
  std::optional<Command> Next();
  std::optional<Time> NextDeadline() const;

  // Records every call in progress as interrupted and ends its legs (rgsd's stop).
  void Stop(Time now);

  // Formal sign-in by name or GUID (rgs set-agentstate): kNotFound, kInvalid for informal groups.
  Status SignIn(const std::string& agent, const std::string& group, bool signed_in, Time now);
  // `call`: the reasons as they stand for that call (ringback grace after its declines).
  Result<std::vector<AgentStatus>> AgentStates(const std::string& agent, const std::string& group, Time now,
                                               uint64_t call = 0) const;
  std::vector<QueueStatus> QueueStates(Time now) const;
  size_t calls() const { return calls_.size(); }
  // Whether `aor` may register (RFC 3261 10.3): 0 for an agent of a group of the current revision;
  // 403 for a workflow's own address; 404 for any other.
  int Registrable(const std::string& aor) const;
  // The round-robin position of a group (test-workflow's last-offered).
  void SetRoundRobin(const std::string& group_guid, size_t next) { round_robin_[group_guid] = next; }

 private:
  struct Agent;
  struct Call;
  struct Leg;
  enum class TimerKind {
    kAlert,
    kTimeout,
    kAnswerDelay,
    kGrace,
    kSilence,
    kTransferEnd,
    kBackoff,
    kAgentExpiry,
    kAckWait,
    kProbe
  };
  struct Timer {
    TimerKind kind;
    uint64_t call = 0;
    LegId leg = 0;
    std::string aor;
    Time at{};
  };

  void OnArrival(const CallArrived& e, Time now);
  void OnAcked(LegId leg, Time now);
  void OnAnswered(const OfferAnswered& e, Time now);
  void OnOfferFailed(LegId leg, int status, Time now);
  void OnLegEnded(const LegEnded& e, Time now);
  void OnMediaOffer(const MediaOffer& e, Time now);
  void OnMediaAnswer(const MediaAnswer& e, Time now);
  void OnRefer(const ReferReceived& e, Time now);
  void OnReferResult(const ReferResult& e, Time now);
  void OnDigit(uint64_t call, const std::string& key, Time now);
  void OnSpeech(uint64_t call, const std::string& text, Time now);
  void Reply(Call& c, const Answer* a, const std::string& key, Time now);
  void OnPlayDone(uint64_t call, Time now);
  void OnRegistered(const Registered& e, Time now);
  void OnPresence(const PresenceChanged& e, Time now);
  void OnRestored(const AgentRestored& e, Time now);
  void OnTimer(const Timer& t, Time now);

  void RunAction(Call& c, const std::optional<CallAction>& action, const std::string& purpose, Time now);
  void ContinueAction(Call& c, Time now);
  void AskQuestion(Call& c, Time now);
  void EnterQueue(Call& c, const std::string& queue_guid, Time now);
  bool AnswerIfNeeded(Call& c, bool for_media, Time now);
  bool TryOffer(Call& c, Time now);
  void OfferTo(Call& c, const AgentGroup& g, const std::string& aor, Time now);
  std::vector<std::string> CallContext(const Call& c, Time now) const;
  void NextOffer(Call& c, Time now);
  std::vector<std::string> CancelOffers(Call& c, const std::string& result, Time now);
  void LeaveQueue(Call& c, Time now);
  std::vector<std::string> StopWaiting(Call& c, bool connecting, Time now);
  void EndVisit(Call& c, Outcome outcome, const std::string& reason, Time now, const std::string& agent = {});
  void TransferCaller(Call& c, const std::string& uri, Time now);
  void Finish(Call& c, Outcome outcome, const std::string& detail, Time now);
  void ReleaseAgent(Call& c, Time now);
  void SyncIdle(Call& c);
  void Connect(Call& c, Time now);
  void Offer(Call& c, Leg& to, const std::string& sdp, LegId answer_to, Time now);
  void Flush(Call& c, Leg& leg, Time now);
  void ApplyTimeout(Call& c, Time now);
  void AskAgain(Call& c, const std::optional<Prompt>& preamble, Time now);
  void SetOfferResult(Call& c, const std::string& aor, const std::string& result);
  Leg* LegOf(Call& c, LegId leg);

  Agent& AgentAt(const std::string& aor);
  Call* CallOfLeg(LegId leg);
  AgentView View(const Agent* a, const AgentGroup& g, const Call* c, Time now) const;
  bool Available(const Agent& a, const AgentGroup& g, Time now) const;
  void Touch(const std::string& aor, Time now);
  void AgentFree(const std::string& aor, Time now);
  void Dispatch(const std::vector<std::string>& queues, Time now);
  void DispatchAgent(const std::string& aor, Time now);
  void Save(const Agent& a);
  void Arm(Call& c, TimerKind kind, Time at);
  void ProbeLegs(Call& c, Time now);
  void OnProbeAnswered(const ProbeAnswered& e, Time now);
  void ArmAgent(const std::string& aor, Time at);
  void Emit(Command c) { out_.push_back(std::move(c)); }
  void Say(LogLevel level, std::string text) { out_.push_back(Log{level, std::move(text)}); }
  std::string Label(const Call& c) const;

  FlowOptions options_;
  LocalTimeFn local_time_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::unordered_map<std::string, GroupIndex> groups_;  // live indexes of the current groups
  std::deque<Command> out_;
  std::multimap<Time, Timer> timers_;
  uint64_t next_call_;
  LegId next_leg_;
  uint64_t next_arrival_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Call>> calls_;
  std::unordered_map<LegId, uint64_t> legs_;  // leg -> call
  std::unordered_map<std::string, std::unique_ptr<Agent>> agents_;
  std::unordered_map<std::string, std::map<uint64_t, uint64_t>> waiting_;  // queue -> arrival -> call
  std::unordered_map<std::string, std::set<std::pair<uint64_t, uint64_t>>>
      idle_;                                             // queue -> (arrival, call) ringing nobody
  std::unordered_map<std::string, size_t> round_robin_;  // group GUID -> next index
  // Callers' legs of ended calls whose ACK is still due: their BYE waits for it (RFC 3261 15).
  std::unordered_map<LegId, Time> bye_after_ack_;
};

}  // namespace rgs::core
