// Tests of the call flow state machine: scripts of events on a fake clock, and the commands expected back.
#include "core/call_flow.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace rgs::core;
using namespace std::chrono_literals;

namespace {

// ---- configuration -----------------------------------------------------------------------------

// 2026-01-05 was a Monday; the clock starts at 10:00 UTC.
const Time kMonday = Time{std::chrono::sys_days{std::chrono::year{2026} / 1 / 5}};
const Time kMonday10 = kMonday + 10h;

const std::string kAnn = "sip:ann@example.com";
const std::string kBob = "sip:bob@example.com";
const std::string kCat = "sip:cat@example.com";
const std::string kDan = "sip:dan@example.com";
const std::string kSales = "sip:sales@example.com";
const std::string kVoiceMail = "sip:voicemail@example.com";

const std::string kCallerSdp =
    "v=0\r\n"
    "o=caller 100 1 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=sendrecv\r\n";

// An agent's answer offering more than the caller did: G.722 and G.729 besides PCMU.
const std::string kAgentSdp =
    "v=0\r\n"
    "o=agent 200 1 IN IP4 192.0.2.20\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.20\r\n"
    "t=0 0\r\n"
    "m=audio 50000 RTP/AVP 9 0 18 101\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=fmtp:18 annexb=no\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=sendrecv\r\n";

const std::string kAgentHoldSdp =
    "v=0\r\n"
    "o=agent 200 2 IN IP4 192.0.2.20\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.20\r\n"
    "t=0 0\r\n"
    "m=audio 50000 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=sendonly\r\n";

const std::string kCallerHeldSdp =
    "v=0\r\n"
    "o=caller 100 2 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=recvonly\r\n";

// The local time: UTC minutes since the epoch, whatever the zone.
std::optional<LocalMinutes> UtcMinutes(const std::string&, Time at) {
  return std::chrono::duration_cast<std::chrono::minutes>(at.time_since_epoch()).count();
}

// The derived lookups as rgsd builds them; zones taken as written.
void Index(Snapshot& snap) {
  for (const auto& [guid, w] : snap.workflows) snap.zones[guid] = w.time_zone.empty() ? "UTC" : w.time_zone;
  snap.IndexAddresses();
}

CallAction ToQueue(const std::string& queue) {
  CallAction a;
  a.action = ActionKind::kTransferToQueue;
  a.queue = queue;
  return a;
}
CallAction ToUri(const std::string& uri) {
  CallAction a;
  a.action = ActionKind::kTransferToUri;
  a.uri = uri;
  return a;
}
CallAction Terminate() { return CallAction{}; }
CallAction ToQuestion(std::shared_ptr<Question> q) {
  CallAction a;
  a.action = ActionKind::kTransferToQuestion;
  a.question = std::move(q);
  return a;
}

// A snapshot built by hand: by default workflow "Sales" at sip:sales@example.com sends its calls to
// queue "Sales" served by group "Sales agents".
struct Config {
  Snapshot snap;

  explicit Config(RoutingMethod method = RoutingMethod::kParallel,
                  std::vector<std::string> agents = {kAnn, kBob, kCat}) {
    snap.revision = 1;
    snap.settings.agent_ringback_grace_period = 30;
    Group("g-sales", "Sales agents", method, std::move(agents));
    Queue("q-sales", "Sales", {"g-sales"});
    Workflow("w-sales", "Sales", kSales, ToQueue("q-sales"));
  }
  AgentGroup& Group(const std::string& guid, const std::string& name, RoutingMethod method,
                    std::vector<std::string> agents, int alert = 20) {
    AgentGroup& g = snap.groups[guid];
    g.guid = guid;
    g.name = name;
    g.routing_method = method;
    g.agents = std::move(agents);
    g.agent_alert_time = alert;
    return g;
  }
  rgs::core::Queue& Queue(const std::string& guid, const std::string& name, std::vector<std::string> groups) {
    rgs::core::Queue& q = snap.queues[guid];
    q.guid = guid;
    q.name = name;
    q.agent_groups = std::move(groups);
    return q;
  }
  rgs::core::Workflow& Workflow(const std::string& guid, const std::string& name, const std::string& uri,
                                std::optional<CallAction> action) {
    rgs::core::Workflow& w = snap.workflows[guid];
    w.guid = guid;
    w.name = name;
    w.primary_uri = uri;
    w.active = true;
    w.default_action = std::move(action);
    return w;
  }
  AgentGroup& group(const std::string& guid = "g-sales") { return snap.groups.at(guid); }
  rgs::core::Queue& queue(const std::string& guid = "q-sales") { return snap.queues.at(guid); }
  rgs::core::Workflow& workflow(const std::string& guid = "w-sales") { return snap.workflows.at(guid); }
  std::shared_ptr<const Snapshot> Build() const {
    auto s = std::make_shared<Snapshot>(snap);
    Index(*s);
    return s;
  }
};

// ---- commands ------------------------------------------------------------------------------------

using Commands = std::vector<Command>;

template <typename T>
std::vector<T> All(const Commands& cs) {
  std::vector<T> out;
  for (const auto& c : cs)
    if (const T* t = std::get_if<T>(&c)) out.push_back(*t);
  return out;
}
template <typename T>
size_t Count(const Commands& cs) {
  return static_cast<size_t>(
      std::count_if(cs.begin(), cs.end(), [](const Command& c) { return std::holds_alternative<T>(c); }));
}
// The one command of type T (the test fails when there is none or more than one).
template <typename T>
T Only(const Commands& cs) {
  auto all = All<T>(cs);
  REQUIRE(all.size() == 1);
  return all.front();
}
// Position of the first command of type T, or -1.
template <typename T>
long IndexOf(const Commands& cs) {
  for (size_t i = 0; i < cs.size(); ++i)
    if (std::holds_alternative<T>(cs[i])) return static_cast<long>(i);
  return -1;
}
std::vector<std::string> OfferedTo(const Commands& cs) {
  std::vector<std::string> out;
  for (const auto& o : All<OfferAgent>(cs)) out.push_back(o.agent);
  return out;
}
std::vector<LegId> Cancelled(const Commands& cs) {
  std::vector<LegId> out;
  for (const auto& o : All<CancelOffer>(cs)) out.push_back(o.leg);
  return out;
}
LegId LegOf(const Commands& cs, const std::string& agent) {
  for (const auto& o : All<OfferAgent>(cs))
    if (o.agent == agent) return o.leg;
  FAIL("no offer to " << agent);
  return 0;
}
std::vector<std::string> Offers(const QueueVisit& v) {
  std::vector<std::string> out;
  for (const auto& o : v.offers) out.push_back(o.agent + " " + o.result);
  return out;
}

// ---- the harness -------------------------------------------------------------------------------

FlowOptions Options() {
  FlowOptions o;
  o.registration_max = 7 * 86400;
  return o;
}

// A call flow on a fake clock: `now` moves only by Advance, which runs each timer at its own time.
struct Harness {
  CallFlow flow;
  Time now = kMonday10;

  explicit Harness(FlowOptions options = Options()) : flow(std::move(options), UtcMinutes) {}

  void Use(const Config& c) { flow.SetSnapshot(c.Build(), now); }
  void On(const Event& e) { flow.Handle(e, now); }
  Commands Drain() {
    Commands out;
    while (auto c = flow.Next()) out.push_back(std::move(*c));
    return out;
  }
  Commands Do(const Event& e) {
    On(e);
    return Drain();
  }
  Commands Advance(Time::duration d) {
    Time until = now + d;
    while (auto at = flow.NextDeadline()) {
      if (*at > until) break;
      now = std::max(now, *at);
      flow.Expire(now);
    }
    now = until;
    return Drain();
  }
  void Register(const std::string& aor) {
    On(Registered{aor, "sip:" + aor.substr(4, aor.find('@') - 4) + "@192.0.2.50:5060", "", 86400});
  }
  void Presence(const std::string& aor, const std::string& presence) { On(PresenceChanged{aor, presence, 86400}); }
  Commands Call(LegId leg, const std::string& uri = kSales, const std::string& sdp = kCallerSdp) {
    CallArrived a;
    a.leg = leg;
    a.request_uri = uri;
    a.from = "sip:caller" + std::to_string(leg) + "@example.net";
    a.from_display = "Caller " + std::to_string(leg);
    a.call_id = "call-id-" + std::to_string(leg);
    a.sdp = sdp;
    return Do(a);
  }
};

// A call from leg `caller` answered by `agent` and connected; returns the agent's leg.
LegId Connected(Harness& h, LegId caller, const std::string& agent) {
  auto arrived = h.Call(caller);
  h.Do(CallerAcked{caller});
  LegId leg = LegOf(arrived, agent);
  auto answered = h.Do(OfferAnswered{leg, kAgentSdp});
  REQUIRE(Only<SendOffer>(answered).leg == caller);
  auto connected = h.Do(MediaAnswer{caller, 200, kCallerSdp});
  REQUIRE(Count<SendOffer>(connected) == 0);
  REQUIRE(Count<Hangup>(connected) == 0);
  return leg;
}

}  // namespace

// ---- routing methods (reference 3.6) -------------------------------------------------------------

TEST_CASE("parallel rings every available agent at once and cancels the others when one answers", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn, kBob, kCat, kDan}));
  for (const auto& a : {kAnn, kBob, kCat}) h.Register(a);  // dan is not registered
  h.Presence(kCat, "busy");
  h.Drain();

  auto cs = h.Call(1);
  CHECK(Only<AnswerCaller>(cs).leg == 1);
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kAnn, kBob});
  auto offers = All<OfferAgent>(cs);
  CHECK(offers[0].leg != offers[1].leg);
  for (const auto& o : offers) {
    CHECK(o.call == 1);
    CHECK(o.sdp == kCallerSdp);
    CHECK(o.from == "sip:caller1@example.net");
    CHECK(o.from_display == "Caller 1");
    CHECK(o.group_name == "Sales agents");
  }
  CHECK(offers[0].contact == "sip:ann@192.0.2.50:5060");
  h.Do(CallerAcked{1});

  auto answered = h.Do(OfferAnswered{offers[1].leg, kAgentSdp});
  CHECK(Cancelled(answered) == std::vector<LegId>{offers[0].leg});
  CHECK(Count<OfferAgent>(answered) == 0);
  CHECK(Only<SendOffer>(answered).leg == 1);
}

TEST_CASE("serial offers one agent at a time, from the top of the list for every new call", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kSerial));
  for (const auto& a : {kAnn, kBob, kCat}) h.Register(a);
  h.Drain();

  auto cs = h.Call(1);
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kAnn});
  LegId ann = LegOf(cs, kAnn);
  // Ann does not answer within the alert time: bob next.
  CHECK(h.Advance(19s).empty());
  cs = h.Advance(1s);
  CHECK(Cancelled(cs) == std::vector<LegId>{ann});
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kBob});
  LegId bob = LegOf(cs, kBob);
  h.Do(CallerAcked{1});
  h.Do(OfferAnswered{bob, kAgentSdp});
  h.Do(MediaAnswer{1, 200, kCallerSdp});
  cs = h.Do(LegEnded{1, "BYE"});
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kAnswered);
  CHECK(record.agent == kBob);
  REQUIRE(record.visits.size() == 1);
  CHECK(Offers(record.visits[0]) == std::vector<std::string>{kAnn + " NoAnswer", kBob + " Answered"});

  // The next call starts again at the top, not after bob.
  cs = h.Call(2);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
}

TEST_CASE("round robin starts each call after the agent offered the previous one, skipping the unavailable",
          "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kRoundRobin));
  for (const auto& a : {kAnn, kBob, kCat}) h.Register(a);
  h.Drain();

  CHECK(OfferedTo(h.Call(1)) == std::vector<std::string>{kAnn});
  h.Do(LegEnded{1, "BYE"});
  CHECK(OfferedTo(h.Call(2)) == std::vector<std::string>{kBob});
  h.Do(LegEnded{2, "BYE"});
  h.Presence(kCat, "away");
  h.Drain();
  CHECK(OfferedTo(h.Call(3)) == std::vector<std::string>{kAnn});  // cat is away: round to ann
  h.Do(LegEnded{3, "BYE"});
  h.Presence(kCat, "available");
  h.Drain();
  CHECK(OfferedTo(h.Call(4)) == std::vector<std::string>{kBob});
  h.Do(LegEnded{4, "BYE"});
  CHECK(OfferedTo(h.Call(5)) == std::vector<std::string>{kCat});
}

TEST_CASE("longest idle offers the agent available longest, then the next longest", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kLongestIdle));
  h.Register(kCat);
  h.Advance(10s);
  h.Register(kAnn);
  h.Advance(10s);
  h.Register(kBob);
  h.Advance(10s);
  h.Drain();

  auto cs = h.Call(1);
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kCat});
  cs = h.Advance(20s);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
  cs = h.Advance(20s);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kBob});
  h.Do(LegEnded{1, "BYE"});

  // Cat was busy for a while: idle since she came back, so now the shortest.
  h.Presence(kCat, "busy");
  h.Advance(1s);
  h.Presence(kCat, "available");
  h.Drain();
  cs = h.Call(2);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
}

TEST_CASE("attendant rings agents in a call or busy at once, but not those in do-not-disturb", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kAttendant, {kAnn, kBob, kCat, kDan}));
  h.Register(kAnn);
  h.Register(kBob);
  h.Register(kDan);
  h.Presence(kAnn, "busy");
  h.Presence(kBob, "dnd");
  h.Presence(kDan, "away");
  h.On(AgentRestored{kCat, "sip:cat@192.0.2.50:5060", h.now + 1h, Presence::kAvailable, h.now, 1, {}});
  h.Drain();

  auto cs = h.Call(1);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn, kCat, kDan});
  // A second call rings the same agents while the first still rings them.
  cs = h.Call(2);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn, kCat, kDan});
}

TEST_CASE("parallel skips agents who are in a call, busy, away or in do-not-disturb", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn, kBob, kCat, kDan}));
  h.Register(kAnn);
  h.Register(kBob);
  h.Register(kDan);
  h.Presence(kAnn, "busy");
  h.Presence(kBob, "dnd");
  h.Presence(kDan, "away");
  h.On(AgentRestored{kCat, "sip:cat@192.0.2.50:5060", h.now + 1h, Presence::kAvailable, h.now, 1, {}});
  h.Drain();

  auto cs = h.Call(1);
  CHECK(Count<OfferAgent>(cs) == 0);
  h.Presence(kDan, "inactive");  // idle while available counts as available
  cs = h.Drain();
  CHECK(OfferedTo(cs) == std::vector<std::string>{kDan});
}

// ---- alert time and ringback grace (reference 3.7) ---------------------------------------------

TEST_CASE("a parallel offer unanswered within the alert time moves to the next group", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.Group("g-backup", "Backup", RoutingMethod::kParallel, {kBob}, 15);
  c.queue().agent_groups = {"g-sales", "g-backup"};
  h.Use(c);
  h.Register(kAnn);
  h.Register(kBob);
  h.Drain();

  auto cs = h.Call(1);
  LegId ann = LegOf(cs, kAnn);
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kAnn});
  CHECK(h.Advance(19s).empty());
  cs = h.Advance(1s);
  CHECK(Cancelled(cs) == std::vector<LegId>{ann});
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kBob});
  CHECK(All<OfferAgent>(cs)[0].group_name == "Backup");
  // The backup group's own alert time (15 s), then round to the first group.
  CHECK(Count<CancelOffer>(h.Advance(14s)) == 0);
  cs = h.Advance(1s);
  CHECK(Count<CancelOffer>(cs) == 1);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
}

TEST_CASE("an agent who declines is not offered the same call again until the grace period has passed", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));  // grace period 30 s
  h.Register(kAnn);
  h.Drain();

  auto cs = h.Call(1);
  LegId first = LegOf(cs, kAnn);
  h.Advance(5s);
  cs = h.Do(OfferFailed{first, 486});
  CHECK(Count<OfferAgent>(cs) == 0);
  CHECK(Count<CancelOffer>(cs) == 0);
  cs = h.Advance(29s);
  CHECK(Count<OfferAgent>(cs) == 0);
  cs = h.Advance(1s);
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kAnn});
  CHECK(All<OfferAgent>(cs)[0].leg != first);
  cs = h.Do(LegEnded{1, "BYE"});
  auto record = Only<Record>(cs).record;
  REQUIRE(record.visits.size() == 1);
  CHECK(Offers(record.visits[0]) == std::vector<std::string>{kAnn + " Declined 486", kAnn + " Cancelled"});
}

TEST_CASE("an agent in ringback grace for the oldest waiting call is offered the next waiting call", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();

  LegId first = LegOf(h.Call(1), kAnn);
  CHECK(Count<OfferAgent>(h.Call(2)) == 0);  // ann rings for call 1
  auto cs = h.Do(OfferFailed{first, 603});
  // Call 1 may not ring ann for 30 s; call 2 may, and ann is free.
  REQUIRE(All<OfferAgent>(cs).size() == 1);
  CHECK(All<OfferAgent>(cs)[0].call == 2);
  CHECK(All<OfferAgent>(cs)[0].agent == kAnn);
}

// ---- overflow (reference 3.4) ------------------------------------------------------------------

TEST_CASE("the newest call overflows once the queue holds the threshold; terminate ends it as Terminated",
          "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});  // ann never registers: calls wait
  c.queue().overflow_threshold = 2;
  c.queue().overflow_candidate = OverflowCandidate::kNewestCall;
  c.queue().overflow_action = Terminate();
  h.Use(c);

  CHECK(Count<LeftQueue>(h.Call(1)) == 0);
  CHECK(Count<LeftQueue>(h.Call(2)) == 0);
  auto cs = h.Call(3);
  auto left = Only<LeftQueue>(cs);
  CHECK(left.call == 3);
  CHECK(left.reason == "Overflow");
  CHECK(Count<AnswerCaller>(cs) == 0);
  CHECK(Only<Hangup>(cs).leg == 3);
  auto record = Only<Record>(cs).record;
  CHECK(record.id == 3);
  CHECK(record.outcome == Outcome::kTerminated);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kTerminated);
  CHECK(record.visits[0].reason == "Overflow");
  CHECK(record.visits[0].queue_name == "Sales");
  CHECK(h.flow.calls() == 2);
}

TEST_CASE("the oldest call overflows to an address and the new call joins the queue; the visit is Transferred",
          "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.queue().overflow_threshold = 1;
  c.queue().overflow_candidate = OverflowCandidate::kOldestCall;
  c.queue().overflow_action = ToUri(kVoiceMail);
  h.Use(c);

  h.Call(1);
  h.Do(CallerAcked{1});
  h.Advance(10s);
  auto cs = h.Call(2);
  CHECK(Only<LeftQueue>(cs).call == 1);
  CHECK(Only<LeftQueue>(cs).reason == "Overflow");
  auto refer = Only<ReferCaller>(cs);
  CHECK(refer.leg == 1);
  CHECK(refer.target == kVoiceMail);
  CHECK(Only<AnswerCaller>(cs).leg == 2);
  CHECK(Only<Queued>(cs).call == 2);
  CHECK(Count<Record>(cs) == 0);

  cs = h.Do(ReferResult{1, 202});
  auto record = Only<Record>(cs).record;
  CHECK(record.id == 1);
  CHECK(record.outcome == Outcome::kTransferred);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kTransferred);
  CHECK(record.visits[0].reason == "Overflow");
  CHECK(record.visits[0].wait_ms == 10000);
  CHECK(h.flow.calls() == 1);
  CHECK(h.flow.QueueStates(h.now)[0].waiting == 1);
}

TEST_CASE("a call overflowing to another queue is offered to that queue's agents", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.queue().overflow_threshold = 1;
  c.queue().overflow_action = ToQueue("q-backup");
  c.Group("g-backup", "Backup", RoutingMethod::kParallel, {kBob});
  c.Queue("q-backup", "Backup", {"g-backup"});
  h.Use(c);
  h.Register(kBob);
  h.Drain();

  h.Call(1);
  auto cs = h.Call(2);
  CHECK(Only<LeftQueue>(cs).call == 2);
  auto queued = All<Queued>(cs);
  REQUIRE(queued.size() == 2);
  CHECK(queued[1].queue->name == "Backup");
  CHECK(OfferedTo(cs) == std::vector<std::string>{kBob});
  cs = h.Do(LegEnded{2, "BYE"});
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kAbandoned);
  REQUIRE(record.visits.size() == 2);
  CHECK(record.visits[0].outcome == Outcome::kTransferred);
  CHECK(record.visits[0].reason == "Overflow");
  CHECK(record.visits[1].queue_name == "Backup");
  CHECK(record.visits[1].outcome == Outcome::kAbandoned);
}

// ---- timeout (reference 3.4) -------------------------------------------------------------------

TEST_CASE("a call waiting past the queue's timeout runs the timeout action", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.queue().timeout_threshold = 30;
  c.queue().timeout_action = ToUri(kVoiceMail);
  h.Use(c);

  h.Call(1);
  h.Do(CallerAcked{1});
  CHECK(Count<LeftQueue>(h.Advance(29s)) == 0);
  auto cs = h.Advance(1s);
  CHECK(Only<LeftQueue>(cs).reason == "Timeout");
  CHECK(Only<ReferCaller>(cs).target == kVoiceMail);
  auto record = Only<Record>(h.Do(ReferResult{1, 202})).record;
  CHECK(record.outcome == Outcome::kTransferred);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kTransferred);
  CHECK(record.visits[0].reason == "Timeout");
  CHECK(record.visits[0].wait_ms == 30000);
}

TEST_CASE("a queue timeout with a terminate action, or none, ends the call as Terminated", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.queue().timeout_threshold = 20;
  SECTION("terminate") { c.queue().timeout_action = Terminate(); }
  SECTION("no action") { c.queue().timeout_action.reset(); }
  h.Use(c);
  h.Call(1);
  h.Do(CallerAcked{1});
  auto cs = h.Advance(20s);
  CHECK(Only<Hangup>(cs).leg == 1);
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kTerminated);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kTerminated);
  CHECK(record.visits[0].reason == "Timeout");
}

TEST_CASE("a ringing call is not cut off by the queue timeout; the timeout runs when the offer ends", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});  // alert 20 s
  c.queue().timeout_threshold = 30;
  c.queue().timeout_action = Terminate();
  h.Use(c);
  h.Register(kAnn);
  h.Drain();

  h.Call(1);
  auto cs = h.Advance(20s);  // unanswered: ann rings again from 20 s to 40 s
  REQUIRE(OfferedTo(cs) == std::vector<std::string>{kAnn});
  LegId again = LegOf(cs, kAnn);

  SECTION("the alert time ends the offer") {
    cs = h.Advance(10s);  // 30 s: the timeout is due, ann still rings
    CHECK(Count<CancelOffer>(cs) == 0);
    CHECK(Count<LeftQueue>(cs) == 0);
    cs = h.Advance(9s);
    CHECK(cs.empty());
    cs = h.Advance(1s);
    CHECK(Cancelled(cs) == std::vector<LegId>{again});
    CHECK(Only<LeftQueue>(cs).reason == "Timeout");
    CHECK(Count<OfferAgent>(cs) == 0);
    auto record = Only<Record>(cs).record;
    CHECK(record.visits[0].wait_ms == 40000);
    CHECK(record.visits[0].outcome == Outcome::kTerminated);
  }
  SECTION("the agent declines") {
    h.Advance(15s);
    cs = h.Do(OfferFailed{again, 486});
    CHECK(Only<LeftQueue>(cs).reason == "Timeout");
    CHECK(Count<OfferAgent>(cs) == 0);
    auto record = Only<Record>(cs).record;
    CHECK(record.outcome == Outcome::kTerminated);
    CHECK(record.visits[0].wait_ms == 35000);
    CHECK(Offers(record.visits[0]) == std::vector<std::string>{kAnn + " NoAnswer", kAnn + " Declined 486"});
  }
  SECTION("the agent answers") {
    h.Advance(15s);
    cs = h.Do(OfferAnswered{again, kAgentSdp});
    CHECK(Count<LeftQueue>(cs) == 0);
    CHECK(Count<Record>(cs) == 0);
    CHECK(Count<Hangup>(cs) == 0);
  }
}

// ---- hours and holidays (reference 3.1-3.2) ----------------------------------------------------

TEST_CASE("the schedule chooses the default, after-hours or holiday action in the workflow's local time",
          "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  HoursOfBusiness& hours = c.snap.hours["h-office"];
  hours.guid = "h-office";
  hours.name = "Office";
  hours.hours[static_cast<int>(Weekday::kMonday)][0] = TimeRange{"", 9 * 60, 17 * 60};
  HolidaySet& set = c.snap.holiday_sets["s-2026"];
  set.guid = "s-2026";
  set.name = "2026";
  const LocalMinutes jan12 =
      std::chrono::duration_cast<std::chrono::minutes>((kMonday + 24h * 7).time_since_epoch()).count();
  set.holidays.push_back({"Company day", jan12, jan12 + 24 * 60});
  c.workflow().business_hours = "h-office";
  c.workflow().holiday_sets = {"s-2026"};
  c.workflow().non_business_hours_action = ToUri("sip:afterhours@example.com");
  c.workflow().holiday_action = Terminate();

  SECTION("open: Monday 10:00") {
    h.Use(c);
    auto cs = h.Call(1);
    auto routed = Only<Routed>(cs);
    CHECK(routed.schedule.state == ScheduleState::kOpen);
    CHECK(routed.local == UtcMinutes("UTC", h.now));
    CHECK(Only<Queued>(cs).queue->name == "Sales");
  }
  SECTION("after hours: Monday 17:00, the close is not open") {
    h.now = kMonday + 17h;
    h.Use(c);
    auto cs = h.Call(1);
    CHECK(Only<Routed>(cs).schedule.state == ScheduleState::kAfterHours);
    auto respond = Only<Respond>(cs);
    CHECK(respond.status == 302);
    CHECK(respond.contact == "sip:afterhours@example.com");
    CHECK(Count<Queued>(cs) == 0);
    CHECK(Only<Record>(cs).record.outcome == Outcome::kTransferred);
  }
  SECTION("after hours: Sunday 10:00, a day without ranges") {
    h.now = kMonday10 - 24h;
    h.Use(c);
    CHECK(Only<Routed>(h.Call(1)).schedule.state == ScheduleState::kAfterHours);
  }
  SECTION("holiday wins over open hours") {
    h.now = kMonday10 + 24h * 7;
    h.Use(c);
    auto cs = h.Call(1);
    auto routed = Only<Routed>(cs);
    CHECK(routed.schedule.state == ScheduleState::kHoliday);
    REQUIRE(routed.schedule.holiday != nullptr);
    CHECK(routed.schedule.holiday->name == "Company day");
    CHECK(Count<Queued>(cs) == 0);
    CHECK(Only<Hangup>(cs).leg == 1);
    CHECK(Only<Record>(cs).record.outcome == Outcome::kTerminated);
  }
  SECTION("a holiday without its action ends the call") {
    c.workflow().holiday_action.reset();
    h.now = kMonday10 + 24h * 7;
    h.Use(c);
    auto record = Only<Record>(h.Call(1)).record;
    CHECK(record.outcome == Outcome::kTerminated);
    CHECK(record.detail == "Holiday action not set");
  }
}

// ---- sign-in, late agents, waiting callers first, restart --------------------------------------

TEST_CASE("a formal agent is offered calls only once signed in to the group", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn, kBob});
  c.group().participation_policy = ParticipationPolicy::kFormal;
  c.Group("g-informal", "Informal", RoutingMethod::kParallel, {kCat});
  h.Use(c);
  h.Register(kAnn);
  h.Register(kBob);
  h.Drain();

  CHECK(Count<OfferAgent>(h.Call(1)) == 0);
  auto s = h.flow.SignIn("sip:Ann@Example.com", "sales AGENTS", true, h.now);
  CHECK(s.ok());
  auto cs = h.Drain();
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
  auto saved = Only<SaveAgent>(cs);
  CHECK(saved.aor == kAnn);
  CHECK(saved.signed_in == std::vector<std::string>{"g-sales"});

  CHECK(h.flow.SignIn(kCat, "Informal", true, h.now).code() == rgs::Code::kInvalid);
  CHECK(h.flow.SignIn(kAnn, "No such group", true, h.now).code() == rgs::Code::kNotFound);
  CHECK(h.flow.SignIn(kDan, "Sales agents", true, h.now).code() == rgs::Code::kNotFound);

  // Signed in by the event too; signed out, not offered.
  h.Drain();
  cs = h.Do(SignedIn{kBob, "g-sales", true});
  CHECK(Count<OfferAgent>(cs) == 0);  // call 1 rings ann
  h.Do(SignedIn{kAnn, "g-sales", false});
  h.Do(LegEnded{1, "BYE"});
  cs = h.Call(2);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kBob});
}

TEST_CASE("an agent a new revision adds to a group is offered the call already waiting before a newer one",
          "[call_flow]") {
  Harness h;
  Config before(RoutingMethod::kParallel, {kAnn});  // ann is not registered
  h.Use(before);
  h.Register(kBob);
  h.Drain();
  CHECK(Count<OfferAgent>(h.Call(1)) == 0);
  h.Advance(5s);
  CHECK(Count<OfferAgent>(h.Call(2)) == 0);

  Config after = before;
  after.snap.revision = 2;
  after.group().agents = {kAnn, kBob};
  h.flow.SetSnapshot(after.Build(), h.now);
  auto cs = h.Drain();
  auto offers = All<OfferAgent>(cs);
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].call == 1);
  CHECK(offers[0].agent == kBob);
}

TEST_CASE("an agent who becomes free is offered the call that has waited longest", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  Connected(h, 1, kAnn);
  CHECK(Count<OfferAgent>(h.Call(2)) == 0);
  h.Advance(3s);
  CHECK(Count<OfferAgent>(h.Call(3)) == 0);
  h.Advance(3s);
  auto cs = h.Do(LegEnded{1, "BYE"});
  CHECK(Only<Record>(cs).record.outcome == Outcome::kAnswered);
  auto offers = All<OfferAgent>(cs);
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].call == 2);
  CHECK(offers[0].agent == kAnn);
}

TEST_CASE("an agent restored after a restart is offered calls", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn, kBob});
  c.Group("g-formal", "Formal", RoutingMethod::kParallel, {kCat}).participation_policy = ParticipationPolicy::kFormal;
  c.Queue("q-formal", "Formal", {"g-formal"});
  c.Workflow("w-formal", "Formal", "sip:formal@example.com", ToQueue("q-formal"));
  h.Use(c);
  h.Call(1);
  h.Call(2, "sip:formal@example.com");

  SECTION("registered") {
    auto cs = h.Do(AgentRestored{kAnn, "sip:ann@192.0.2.50:5060", h.now + 1h, Presence::kAvailable, h.now - 1h, 0, {}});
    auto offer = Only<OfferAgent>(cs);
    CHECK(offer.call == 1);
    CHECK(offer.agent == kAnn);
    CHECK(offer.contact == "sip:ann@192.0.2.50:5060");
  }
  SECTION("signed in to a formal group") {
    auto cs = h.Do(AgentRestored{kCat, "sip:cat@192.0.2.50:5060", h.now + 1h, std::nullopt, h.now, 0, {"g-formal"}});
    auto offer = Only<OfferAgent>(cs);
    CHECK(offer.call == 2);
    CHECK(offer.agent == kCat);
  }
  SECTION("with a registration that has expired") {
    auto cs = h.Do(AgentRestored{kAnn, "sip:ann@192.0.2.50:5060", h.now - 1s, Presence::kAvailable, h.now, 0, {}});
    CHECK(Count<OfferAgent>(cs) == 0);
  }
  SECTION("in a call") {
    auto cs = h.Do(AgentRestored{kAnn, "sip:ann@192.0.2.50:5060", h.now + 1h, Presence::kAvailable, h.now, 1, {}});
    CHECK(Count<OfferAgent>(cs) == 0);
  }
}

// ---- connecting ----------------------------------------------------------------------------------

TEST_CASE("the caller is re-INVITEd to the agent only after the ACK of rgsd's answer", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();

  auto cs = h.Call(1);
  auto answer = Only<AnswerCaller>(cs);
  CHECK(answer.leg == 1);
  CHECK(answer.codec == 0);
  LegId ann = LegOf(cs, kAnn);
  h.Advance(2s);

  SECTION("the ACK comes after the agent answers") {
    cs = h.Do(OfferAnswered{ann, kAgentSdp});
    CHECK(Count<SendOffer>(cs) == 0);
    CHECK(Count<StopMedia>(cs) == 1);
    CHECK(Count<Hangup>(cs) == 0);
    cs = h.Do(CallerAcked{1});
    auto offer = Only<SendOffer>(cs);
    CHECK(offer.leg == 1);
    CHECK(offer.sdp.find("m=audio 50000 RTP/AVP 0 101\r\n") != std::string::npos);
  }
  SECTION("the ACK came first") {
    CHECK(h.Do(CallerAcked{1}).empty());
    cs = h.Do(OfferAnswered{ann, kAgentSdp});
    CHECK(Only<SendOffer>(cs).leg == 1);
  }
  CHECK(Count<SendOffer>(h.Do(CallerAcked{1})) == 0);  // a repeated ACK sends nothing more
  h.Advance(1s);
  cs = h.Do(MediaAnswer{1, 200, kCallerSdp});
  CHECK(Count<SendOffer>(cs) == 0);
  h.Advance(60s);
  auto record = Only<Record>(h.Do(LegEnded{1, "BYE"})).record;
  CHECK(record.outcome == Outcome::kAnswered);
  CHECK(record.agent == kAnn);
  REQUIRE(record.answered.has_value());
  CHECK(*record.answered == kMonday10 + 3s);
  CHECK(record.wait_ms == 2000);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kAnswered);
  CHECK(record.visits[0].agent == kAnn);
}

TEST_CASE("a re-INVITE answered 491 is sent again after a back-off", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = LegOf(h.Call(1), kAnn);
  h.Do(CallerAcked{1});
  auto sent = Only<SendOffer>(h.Do(OfferAnswered{ann, kAgentSdp}));

  auto cs = h.Do(MediaAnswer{1, 491, ""});
  CHECK(Count<SendOffer>(cs) == 0);
  CHECK(Count<Record>(cs) == 0);
  auto deadline = h.flow.NextDeadline();
  REQUIRE(deadline.has_value());
  // On the caller's dialog (not rgsd's Call-ID) the wait is 0-2 s (RFC 3261 §14.1).
  CHECK(*deadline > h.now);
  CHECK(*deadline <= h.now + 2s);
  CHECK(Count<SendOffer>(h.Advance(*deadline - h.now - 1ms)) == 0);
  cs = h.Advance(1ms);
  auto again = Only<SendOffer>(cs);
  CHECK(again.leg == 1);
  CHECK(again.sdp == sent.sdp);
  cs = h.Do(MediaAnswer{1, 200, kCallerSdp});
  CHECK(Count<Record>(cs) == 0);
  CHECK(Only<Record>(h.Do(LegEnded{ann, "BYE"})).record.outcome == Outcome::kAnswered);
}

TEST_CASE("a caller's re-INVITE crossing rgsd's connect re-INVITE is answered 491", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = LegOf(h.Call(1), kAnn);
  h.Do(CallerAcked{1});
  h.Do(OfferAnswered{ann, kAgentSdp});
  auto cs = h.Do(MediaOffer{1, kCallerHeldSdp});
  auto answer = Only<AnswerOffer>(cs);
  CHECK(answer.leg == 1);
  CHECK(answer.status == 491);
  CHECK(Count<SendOffer>(cs) == 0);
}

TEST_CASE("connecting the caller fails after 5 re-INVITEs in a row answered 491", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = LegOf(h.Call(1), kAnn);
  h.Do(CallerAcked{1});
  REQUIRE(Count<SendOffer>(h.Do(OfferAnswered{ann, kAgentSdp})) == 1);
  for (int i = 1; i <= 5; ++i) {
    CHECK(Count<Record>(h.Do(MediaAnswer{1, 491, ""})) == 0);
    CHECK(Count<SendOffer>(h.Advance(2s)) == 1);
  }
  auto cs = h.Do(MediaAnswer{1, 491, ""});
  CHECK(Count<SendOffer>(h.Advance(5s)) == 0);
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kFailed);
  auto hangups = All<Hangup>(cs);
  REQUIRE(hangups.size() == 2);
  CHECK(hangups[0].leg == 1);
  CHECK(hangups[1].leg == ann);
}

TEST_CASE("a relayed offer answered 491 by the agent is sent again after 2.1 to 4 s", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = Connected(h, 1, kAnn);
  auto sent = Only<SendOffer>(h.Do(MediaOffer{1, kCallerHeldSdp}));
  CHECK(sent.leg == ann);
  CHECK(h.Do(MediaAnswer{ann, 491, ""}).size() <= 1);  // a debug line at most
  auto deadline = h.flow.NextDeadline();
  REQUIRE(deadline.has_value());
  // rgsd made the agent's dialog (its Call-ID): RFC 3261 §14.1 waits 2.1-4 s.
  CHECK(*deadline >= h.now + 2100ms);
  CHECK(*deadline <= h.now + 4s);
  CHECK(Count<SendOffer>(h.Advance(*deadline - h.now - 1ms)) == 0);
  auto again = Only<SendOffer>(h.Advance(1ms));
  CHECK(again.leg == ann);
  CHECK(again.sdp == sent.sdp);
  auto answer = Only<AnswerOffer>(h.Do(MediaAnswer{ann, 200, kAgentHoldSdp}));
  CHECK(answer.leg == 1);
  CHECK(answer.status == 200);
}

TEST_CASE("the connect offer sent to the caller keeps only encodings the caller offered, under rgsd's origin",
          "[call_flow]") {
  FlowOptions o = Options();
  o.media_address = "198.51.100.7";
  Harness h(o);
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = LegOf(h.Call(1), kAnn);
  h.Do(CallerAcked{1});
  auto sdp = Only<SendOffer>(h.Do(OfferAnswered{ann, kAgentSdp})).sdp;
  CHECK(sdp.find("m=audio 50000 RTP/AVP 0 101\r\n") != std::string::npos);
  CHECK(sdp.find("G722") == std::string::npos);
  CHECK(sdp.find("G729") == std::string::npos);
  CHECK(sdp.find("a=fmtp:18") == std::string::npos);
  CHECK(sdp.find("a=rtpmap:0 PCMU/8000\r\n") != std::string::npos);
  CHECK(sdp.find("a=fmtp:101 0-16\r\n") != std::string::npos);
  CHECK(sdp.find("c=IN IP4 192.0.2.20\r\n") != std::string::npos);  // media flows to the agent
  CHECK(sdp.find("o=agent") == std::string::npos);
  CHECK(sdp.find("o=rgsd ") != std::string::npos);
  CHECK(sdp.find(" IN IP4 198.51.100.7\r\n") != std::string::npos);
}

TEST_CASE("an agent's hold is relayed to the caller and the caller's answer back to the agent", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = Connected(h, 1, kAnn);

  auto cs = h.Do(MediaOffer{ann, kAgentHoldSdp});
  auto relayed = Only<SendOffer>(cs);
  CHECK(relayed.leg == 1);
  CHECK(relayed.sdp.find("a=sendonly\r\n") != std::string::npos);
  CHECK(relayed.sdp.find("o=rgsd ") != std::string::npos);
  CHECK(Count<AnswerOffer>(cs) == 0);

  // Another offer from the agent before the caller answered crosses: 491.
  auto crossed = Only<AnswerOffer>(h.Do(MediaOffer{ann, kAgentSdp}));
  CHECK(crossed.leg == ann);
  CHECK(crossed.status == 491);

  cs = h.Do(MediaAnswer{1, 200, kCallerHeldSdp});
  auto answer = Only<AnswerOffer>(cs);
  CHECK(answer.leg == ann);
  CHECK(answer.status == 200);
  CHECK(answer.sdp == kCallerHeldSdp);
  CHECK_FALSE(answer.own_media);

  // And the caller's own re-INVITE goes the other way, its answer under rgsd's origin.
  cs = h.Do(MediaOffer{1, kCallerHeldSdp});
  auto to_agent = Only<SendOffer>(cs);
  CHECK(to_agent.leg == ann);
  CHECK(to_agent.sdp == kCallerHeldSdp);
  cs = h.Do(MediaAnswer{ann, 200, kAgentSdp});
  auto back = Only<AnswerOffer>(cs);
  CHECK(back.leg == 1);
  CHECK(back.status == 200);
  CHECK(back.sdp.find("o=rgsd ") != std::string::npos);
  CHECK(back.sdp.find("m=audio 50000") != std::string::npos);
}

TEST_CASE("an anonymous workflow's call is relayed: neither side sees the other's media address", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.workflow().anonymous = true;
  h.Use(c);
  h.Register(kAnn);
  h.Drain();
  auto arrived = h.Call(1);
  h.Do(CallerAcked{1});
  auto offer = Only<OfferAgent>(arrived);
  CHECK(offer.relay);
  CHECK(offer.sdp.empty());  // the adapter offers rgsd's relay port, never the caller's SDP
  CHECK(offer.codec == 0);
  CHECK(offer.telephone_event == 101);

  // The agent answers: the relay joins the two, and the caller gets no re-INVITE.
  auto cs = h.Do(OfferAnswered{offer.leg, kAgentSdp});
  auto relay = Only<RelayMedia>(cs);
  CHECK(relay.call == 1);
  CHECK(relay.agent.address == "192.0.2.20");
  CHECK(relay.agent.port == 50000);
  CHECK(Count<SendOffer>(cs) == 0);
  CHECK(Count<StopMedia>(cs) == 0);

  // The agent holds: answered by the relay (recvonly to its sendonly); the caller hears of nothing.
  cs = h.Do(MediaOffer{offer.leg, kAgentHoldSdp});
  auto answer = Only<AnswerOffer>(cs);
  CHECK(answer.leg == offer.leg);
  CHECK(answer.status == 200);
  CHECK(answer.own_media);
  CHECK(answer.relay);
  CHECK(answer.remote.direction == "sendonly");
  CHECK(AnswerDirection(answer.remote.direction) == "recvonly");
  CHECK(answer.version > offer.version);
  CHECK(Count<SendOffer>(cs) == 0);

  // The caller's re-INVITE is answered with rgsd's own media, not relayed to the agent.
  cs = h.Do(MediaOffer{1, kCallerHeldSdp});
  CHECK(Only<AnswerOffer>(cs).own_media);
  CHECK_FALSE(Only<AnswerOffer>(cs).relay);
  CHECK(Count<SendOffer>(cs) == 0);

  // An answer the relay cannot use ends the call.
  Harness h2;
  h2.Use(c);
  h2.Register(kAnn);
  h2.Drain();
  auto second = Only<OfferAgent>(h2.Call(2));
  cs = h2.Do(OfferAnswered{second.leg, "v=0\r\n"});
  CHECK(Only<Record>(cs).record.outcome == Outcome::kFailed);
}

TEST_CASE("a re-INVITE from a waiting caller is answered with rgsd's own media", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Call(1);
  h.Do(CallerAcked{1});
  auto answer = Only<AnswerOffer>(h.Do(MediaOffer{1, kCallerHeldSdp}));
  CHECK(answer.leg == 1);
  CHECK(answer.status == 200);
  CHECK(answer.own_media);
  CHECK(answer.remote.direction == "recvonly");
  CHECK(answer.call == 1);

  std::string g729 = kCallerSdp;
  g729.replace(g729.find("RTP/AVP 0 8 101"), 15, "RTP/AVP 18");
  CHECK(Only<AnswerOffer>(h.Do(MediaOffer{1, g729})).status == 488);
  CHECK(Only<AnswerOffer>(h.Do(MediaOffer{99, kCallerSdp})).status == 481);
}

// ---- transfers -----------------------------------------------------------------------------------

TEST_CASE("an agent's REFER transfers the caller; once the caller accepts, the agent is released", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = Connected(h, 1, kAnn);

  auto cs = h.Do(ReferReceived{ann, "sip:expert@example.com"});
  CHECK(Only<AnswerRefer>(cs).leg == ann);
  CHECK(Only<AnswerRefer>(cs).status == 202);
  auto refer = Only<ReferCaller>(cs);
  CHECK(refer.leg == 1);
  CHECK(refer.target == "sip:expert@example.com");
  CHECK(Count<Hangup>(cs) == 0);

  cs = h.Do(ReferResult{1, 202});
  auto notify = All<NotifyRefer>(cs);
  REQUIRE(notify.size() == 1);
  CHECK(notify[0].leg == ann);
  CHECK(notify[0].status == 200);
  CHECK(notify[0].final);
  auto hangups = All<Hangup>(cs);
  CHECK(std::any_of(hangups.begin(), hangups.end(), [&](const Hangup& x) { return x.leg == ann; }));
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kAnswered);
  CHECK(record.agent == kAnn);

  // Ann is free again.
  CHECK(OfferedTo(h.Call(2)) == std::vector<std::string>{kAnn});
}

TEST_CASE("a transfer the caller refuses leaves the agent connected", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = Connected(h, 1, kAnn);
  h.Do(ReferReceived{ann, "sip:expert@example.com"});
  auto cs = h.Do(ReferResult{1, 603});
  auto notify = Only<NotifyRefer>(cs);
  CHECK(notify.leg == ann);
  CHECK(notify.status == 603);
  CHECK(Count<Hangup>(cs) == 0);
  CHECK(Count<Record>(cs) == 0);
  cs = h.Advance(60s);  // the transfer's linger timer no longer ends the call (the liveness probe goes on)
  CHECK(Count<Record>(cs) == 0);
  CHECK(Count<Hangup>(cs) == 0);
  CHECK(Only<Record>(h.Do(LegEnded{1, "BYE"})).record.outcome == Outcome::kAnswered);
}

TEST_CASE("a REFER from the caller is refused with 403", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  SECTION("while waiting") {
    h.Call(1);
    h.Do(CallerAcked{1});
  }
  SECTION("while connected") { Connected(h, 1, kAnn); }
  auto cs = h.Do(ReferReceived{1, "sip:elsewhere@example.com"});
  auto answer = Only<AnswerRefer>(cs);
  CHECK(answer.leg == 1);
  CHECK(answer.status == 403);
  CHECK(Count<ReferCaller>(cs) == 0);
  CHECK(Count<Record>(cs) == 0);
}

TEST_CASE("a transfer with no result ends as Transferred after the linger time", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.queue().timeout_threshold = 10;
  c.queue().timeout_action = ToUri(kVoiceMail);
  h.Use(c);
  h.Call(1);
  h.Do(CallerAcked{1});
  CHECK(Count<ReferCaller>(h.Advance(10s)) == 1);
  CHECK(Count<Record>(h.Advance(31s)) == 0);
  CHECK(Only<Record>(h.Advance(1s)).record.outcome == Outcome::kTransferred);
}

TEST_CASE("a transfer the caller refuses without an agent ends the call as Failed", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.queue().timeout_threshold = 10;
  c.queue().timeout_action = ToUri(kVoiceMail);
  h.Use(c);
  h.Call(1);
  h.Do(CallerAcked{1});
  h.Advance(10s);
  auto record = Only<Record>(h.Do(ReferResult{1, 403})).record;
  CHECK(record.outcome == Outcome::kFailed);
}

// ---- IVR (reference 3.3) -------------------------------------------------------------------------

namespace {

std::shared_ptr<Question> SalesQuestion() {
  auto q = std::make_shared<Question>();
  q->name = "Department";
  q->prompt.text = "Press 1 for sales.";
  q->invalid_answer_prompt = Prompt{"That is not an option.", ""};
  q->no_answer_prompt = Prompt{"Please press a key.", ""};
  Answer sales;
  sales.name = "Sales";
  sales.dtmf = "1";
  sales.voice = {"sales"};
  sales.action = ToQueue("q-sales");
  q->answers.push_back(sales);
  return q;
}

FlowOptions WithMedia() {
  FlowOptions o = Options();
  o.media = true;
  return o;
}

}  // namespace

TEST_CASE("a question's answer sends the caller to its queue after the welcome prompt", "[call_flow]") {
  Harness h(WithMedia());
  Config c(RoutingMethod::kParallel, {kAnn});
  CallAction ask = ToQuestion(SalesQuestion());
  ask.prompt = Prompt{"Welcome.", ""};
  c.workflow().default_action = ask;
  h.Use(c);
  h.Register(kAnn);
  h.Drain();

  auto cs = h.Call(1);
  CHECK(Only<AnswerCaller>(cs).leg == 1);
  auto play = Only<Play>(cs);
  CHECK(play.call == 1);
  CHECK(play.prompt.text == "Welcome.");
  CHECK(play.purpose == "Welcome");
  CHECK(Count<Ask>(cs) == 0);

  cs = h.Do(PlayDone{1});
  auto asked = Only<Ask>(cs);
  REQUIRE(asked.question != nullptr);
  CHECK(asked.question->name == "Department");
  CHECK(asked.attempt == 1);
  CHECK_FALSE(asked.preamble.has_value());
  CHECK(Only<IvrNote>(cs).step.kind == IvrStep::Kind::kAsked);
  h.Do(PlayDone{1});  // the question's silence timer starts

  SECTION("by key") { cs = h.Do(DigitReceived{1, "1"}); }
  SECTION("by word") { cs = h.Do(DigitReceived{1, "SALES"}); }
  auto notes = All<IvrNote>(cs);
  REQUIRE(!notes.empty());
  CHECK(notes[0].step.kind == IvrStep::Kind::kAnswered);
  CHECK(notes[0].step.answer->name == "Sales");
  CHECK(Only<Queued>(cs).call == 1);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
  // The call context tells the agent's phone the answer given (reference 3.12).
  CHECK(Only<OfferAgent>(cs).headers ==
        std::vector<std::string>{"Subject: " + c.workflow().name, "X-RGS-Workflow: \"" + c.workflow().name + "\"",
                                 "X-RGS-Queue: \"Sales\"", "X-RGS-Answer: \"Department\";answer=\"Sales\"",
                                 "X-RGS-Wait: 0"});
  CHECK(Count<AnswerCaller>(cs) == 0);  // answered already
  // The silence timer of the question is gone.
  CHECK(Count<Ask>(h.Advance(15s)) == 0);
}

TEST_CASE("the call context quotes names and is left out when the pool disables it", "[call_flow]") {
  Harness h(WithMedia());
  Config c(RoutingMethod::kParallel, {kAnn});
  auto q = SalesQuestion();
  q->name = "Say \"which\"\\line\r\nX-Injected: 1";
  c.workflow().default_action = ToQuestion(q);
  bool disabled = GENERATE(false, true);
  c.snap.settings.disable_call_context = disabled;
  h.Use(c);
  h.Register(kAnn);
  h.Drain();
  h.Call(1);
  h.Do(PlayDone{1});
  h.Advance(3s);
  auto headers = Only<OfferAgent>(h.Do(DigitReceived{1, "1"})).headers;
  if (disabled) {
    CHECK(headers == std::vector<std::string>{"Subject: " + c.workflow().name});
  } else {
    REQUIRE(headers.size() == 5);
    CHECK(headers[3] == "X-RGS-Answer: \"Say \\\"which\\\"\\\\line  X-Injected: 1\";answer=\"Sales\"");
    CHECK(headers[4] == "X-RGS-Wait: 0");
  }
}

TEST_CASE("a key sent as SIP INFO on the caller's leg answers the question; on another leg it does not",
          "[call_flow]") {
  Harness h(WithMedia());
  Config c(RoutingMethod::kParallel, {kAnn});
  c.workflow().default_action = ToQuestion(SalesQuestion());
  h.Use(c);
  h.Register(kAnn);
  h.Drain();

  auto cs = h.Call(40);  // call 1 on leg 40
  uint64_t call = Only<Ask>(cs).call;
  REQUIRE(call != 40);
  h.Do(CallerAcked{40});
  CHECK(h.Do(DigitOnLeg{call, "1"}).empty());  // no leg has the call's number
  CHECK(h.Do(DigitOnLeg{41, "1"}).empty());
  cs = h.Do(DigitOnLeg{40, "1"});
  CHECK(All<IvrNote>(cs).at(0).step.answer->name == "Sales");
  CHECK(Only<Queued>(cs).call == call);
  LegId agent = LegOf(cs, kAnn);
  // Keys on the agent's leg while it rings are not the caller's.
  CHECK(h.Do(DigitOnLeg{agent, "2"}).empty());
}

TEST_CASE("a question asked again after wrong keys and silence disconnects the caller after 5 attempts",
          "[call_flow]") {
  Harness h(WithMedia());
  Config c(RoutingMethod::kParallel, {kAnn});
  c.workflow().default_action = ToQuestion(SalesQuestion());
  h.Use(c);

  auto cs = h.Call(1);
  CHECK(Only<Ask>(cs).attempt == 1);
  h.Do(CallerAcked{1});  // answered, and acknowledged: the BYE at the end need not wait
  // Silence is timed from the end of the prompt.
  CHECK(Count<Ask>(h.Advance(30s)) == 0);
  h.Do(PlayDone{1});

  cs = h.Do(DigitReceived{1, "9"});  // attempt 1: wrong key
  auto ask = Only<Ask>(cs);
  CHECK(ask.attempt == 2);
  REQUIRE(ask.preamble.has_value());
  CHECK(ask.preamble->text == "That is not an option.");
  CHECK(All<IvrNote>(cs)[0].step.kind == IvrStep::Kind::kInvalid);

  h.Do(PlayDone{1});
  CHECK(Count<Ask>(h.Advance(9s)) == 0);
  cs = h.Advance(1s);  // attempt 2: 10 s of silence
  ask = Only<Ask>(cs);
  CHECK(ask.attempt == 3);
  REQUIRE(ask.preamble.has_value());
  CHECK(ask.preamble->text == "Please press a key.");
  CHECK(All<IvrNote>(cs)[0].step.kind == IvrStep::Kind::kNoAnswer);

  h.Do(PlayDone{1});
  CHECK(Only<Ask>(h.Do(DigitReceived{1, "#"})).attempt == 4);  // attempt 3
  h.Do(PlayDone{1});
  CHECK(Only<Ask>(h.Advance(10s)).attempt == 5);  // attempt 4
  h.Do(PlayDone{1});
  cs = h.Do(DigitReceived{1, "7"});  // attempt 5
  CHECK(Count<Ask>(cs) == 0);
  auto notes = All<IvrNote>(cs);
  REQUIRE(notes.size() == 2);
  CHECK(notes[1].step.kind == IvrStep::Kind::kDisconnected);
  CHECK(Only<Hangup>(cs).leg == 1);
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kDisconnected);
  CHECK(h.flow.calls() == 0);
}

TEST_CASE("a spoken reply answers a question like a key; other words are an invalid answer", "[call_flow]") {
  Harness h(WithMedia());
  Config c(RoutingMethod::kParallel, {kAnn});
  c.workflow().default_action = ToQuestion(SalesQuestion());
  h.Use(c);
  auto ask = Only<Ask>(h.Call(1));
  CHECK(ask.keywords == std::vector<std::string>{"sales"});  // en-US: the core asks to listen
  h.Do(CallerAcked{1});
  CHECK(h.Do(SpeechRecognized{1, ""}).empty());  // noise with no words: no reply

  auto cs = h.Do(SpeechRecognized{1, "uh what"});
  CHECK(All<IvrNote>(cs)[0].step.kind == IvrStep::Kind::kInvalid);
  CHECK(All<IvrNote>(cs)[0].step.input == "uh what");
  CHECK(Only<Ask>(cs).attempt == 2);
  CHECK(Count<StopListening>(cs) == 0);

  cs = h.Do(SpeechRecognized{1, "I want sales please"});
  auto notes = All<IvrNote>(cs);
  REQUIRE(!notes.empty());
  CHECK(notes[0].step.kind == IvrStep::Kind::kAnswered);
  CHECK(notes[0].step.answer->name == "Sales");
  CHECK(Count<StopListening>(cs) == 1);
  CHECK(Only<Queued>(cs).call == 1);
  CHECK(h.Do(SpeechRecognized{1, "sales"}).empty());  // no longer asking
}

TEST_CASE("a workflow in another language than en-US answers by keypad only", "[call_flow]") {
  Harness h(WithMedia());
  Config c(RoutingMethod::kParallel, {kAnn});
  c.workflow().default_action = ToQuestion(SalesQuestion());
  c.workflow().language = "de-DE";
  h.Use(c);
  CHECK(Only<Ask>(h.Call(1)).keywords.empty());
  CHECK(h.Do(SpeechRecognized{1, "sales"}).empty());
  CHECK(Count<Queued>(h.Do(DigitReceived{1, "1"})) == 1);
}

TEST_CASE("a question without media ends the call as Terminated", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.workflow().default_action = ToQuestion(SalesQuestion());
  h.Use(c);
  auto cs = h.Call(1);
  CHECK(Count<Ask>(cs) == 0);
  CHECK(Only<Record>(cs).record.outcome == Outcome::kTerminated);
}

TEST_CASE("an answer leading to another question asks it with the answer's prompt first", "[call_flow]") {
  Harness h(WithMedia());
  Config c(RoutingMethod::kParallel, {kAnn});
  auto first = std::make_shared<Question>();
  first->name = "Language";
  Answer english;
  english.name = "English";
  english.dtmf = "1";
  english.action = ToQuestion(SalesQuestion());
  english.action.prompt = Prompt{"English it is.", ""};
  first->answers.push_back(english);
  c.workflow().default_action = ToQuestion(first);
  h.Use(c);
  h.Call(1);
  h.Do(PlayDone{1});
  auto ask = Only<Ask>(h.Do(DigitReceived{1, "1"}));
  CHECK(ask.question->name == "Department");
  CHECK(ask.attempt == 1);
  REQUIRE(ask.preamble.has_value());
  CHECK(ask.preamble->text == "English it is.");
}

// ---- outcomes ------------------------------------------------------------------------------------

TEST_CASE("a call to no workflow is rejected 404 and one to an inactive workflow 480", "[call_flow]") {
  Harness h;
  Config c(RoutingMethod::kParallel, {kAnn});
  c.Workflow("w-closed", "Closed", "sip:closed@example.com", ToQueue("q-sales")).active = false;
  h.Use(c);

  auto cs = h.Call(1, "sip:nobody@example.com");
  CHECK(Only<Respond>(cs).status == 404);
  CHECK(Count<Hangup>(cs) == 0);
  CHECK(Count<Started>(cs) == 0);
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kRejected);
  CHECK(record.call_id == "call-id-1");

  cs = h.Call(2, "sip:Closed@Example.com;user=phone");
  CHECK(Only<Respond>(cs).status == 480);
  CHECK(Count<Hangup>(cs) == 0);
  record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kRejected);
  CHECK(record.workflow_name == "Closed");
  CHECK(h.flow.calls() == 0);
}

TEST_CASE("a call without PCMU, PCMA or G.722 at an IP address fails with 488", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  std::string sdp = kCallerSdp;
  SECTION("no common codec") { sdp.replace(sdp.find("RTP/AVP 0 8 101"), 15, "RTP/AVP 18 3"); }
  SECTION("a host name, not an address") {
    sdp.replace(sdp.find("c=IN IP4 192.0.2.10"), 19, "c=IN IP4 phone.example.net");
  }
  SECTION("no audio") {
    sdp = "v=0\r\no=x 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\n";
  }
  auto cs = h.Call(1, kSales, sdp);
  auto respond = Only<Respond>(cs);
  CHECK(respond.status == 488);
  CHECK_FALSE(respond.warning.empty());
  CHECK(Count<AnswerCaller>(cs) == 0);
  CHECK(Only<Record>(cs).record.outcome == Outcome::kFailed);
}

TEST_CASE("a caller who hangs up while waiting is Abandoned and the ringing agents are cancelled", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn, kBob}));
  h.Register(kAnn);
  h.Register(kBob);
  h.Drain();
  auto cs = h.Call(1);
  auto legs = std::vector<LegId>{LegOf(cs, kAnn), LegOf(cs, kBob)};
  h.Advance(7s);
  cs = h.Do(LegEnded{1, "CANCEL"});
  auto cancelled = Cancelled(cs);
  std::sort(cancelled.begin(), cancelled.end());
  CHECK(cancelled == legs);
  CHECK(Count<Hangup>(cs) == 0);
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kAbandoned);
  CHECK(record.wait_ms == 7000);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kAbandoned);
  // An answer that comes too late is hung up.
  cs = h.Do(OfferAnswered{legs[0], kAgentSdp});
  CHECK(Only<Hangup>(cs).leg == legs[0]);
}

TEST_CASE("a queue with no agents disconnects the call", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {}));
  auto cs = h.Call(1);
  CHECK(Only<Queued>(cs).call == 1);
  CHECK(Only<Hangup>(cs).leg == 1);
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kDisconnected);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kDisconnected);
  CHECK(record.visits[0].reason == "NoAgents");
}

TEST_CASE("a call rgsd cannot answer fails, and stopping rgsd interrupts the calls in progress", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  h.Call(1);
  auto cs = h.Do(AnswerFailed{1, "no free RTP port"});
  CHECK(Count<CancelOffer>(cs) == 1);
  CHECK(Only<Record>(cs).record.outcome == Outcome::kFailed);

  LegId ann = LegOf(h.Call(2), kAnn);
  h.Call(3);
  h.flow.Stop(h.now);
  cs = h.Drain();
  CHECK(Count<OfferAgent>(cs) == 0);  // nothing is offered while stopping
  CHECK(Cancelled(cs) == std::vector<LegId>{ann});
  auto records = All<Record>(cs);
  REQUIRE(records.size() == 2);
  for (const auto& r : records) {
    CHECK(r.record.outcome == Outcome::kInterrupted);
    REQUIRE(r.record.visits.size() == 1);
    CHECK(r.record.visits[0].reason == "Shutdown");
  }
  CHECK(h.flow.calls() == 0);
}

TEST_CASE("with an answer delay the caller hears ringing and is answered with the agent's session", "[call_flow]") {
  FlowOptions o = Options();
  o.answer_delay = 5;
  Harness h(o);
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();

  SECTION("the agent answers within the delay") {
    auto cs = h.Call(1);
    CHECK(Only<Respond>(cs).status == 180);
    CHECK(Count<AnswerCaller>(cs) == 0);
    LegId ann = LegOf(cs, kAnn);
    h.Advance(3s);
    cs = h.Do(OfferAnswered{ann, kAgentSdp});
    auto with = Only<AnswerWith>(cs);
    CHECK(with.leg == 1);
    CHECK(with.sdp.find("m=audio 50000 RTP/AVP 0 101\r\n") != std::string::npos);
    CHECK(Count<SendOffer>(cs) == 0);
    CHECK(Count<AnswerCaller>(h.Advance(5s)) == 0);
  }
  SECTION("nobody answers within the delay") {
    h.Call(1);
    CHECK(Count<AnswerCaller>(h.Advance(4s)) == 0);
    CHECK(Only<AnswerCaller>(h.Advance(1s)).leg == 1);
  }
}

TEST_CASE("an agent whose contact does not respond is taken as offline for a while", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId first = LegOf(h.Call(1), kAnn);
  auto cs = h.Do(OfferFailed{first, 408});
  CHECK(Count<OfferAgent>(cs) == 0);
  CHECK(Count<OfferAgent>(h.Call(2)) == 0);  // ann is unreachable, not only in grace for call 1
  cs = h.Advance(30s);
  auto offers = All<OfferAgent>(cs);
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].agent == kAnn);
}

TEST_CASE("an agent's registration and published presence expire", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.On(Registered{kAnn, "sip:ann@192.0.2.50:5060", "", 60});
  h.On(PresenceChanged{kAnn, "away", 30});
  h.Drain();
  CHECK(Count<OfferAgent>(h.Call(1)) == 0);
  auto cs = h.Advance(30s);  // away expires: taken as available
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
  h.Do(LegEnded{1, "BYE"});
  cs = h.Advance(30s);  // the registration expires
  CHECK(Only<SaveAgent>(cs).contact.empty());
  CHECK(Count<OfferAgent>(h.Call(2)) == 0);
  auto states = h.flow.AgentStates(kAnn, "", h.now);
  REQUIRE(states.ok());
  REQUIRE(states->size() == 1);
  CHECK_FALSE((*states)[0].registered);
  CHECK((*states)[0].why == Ineligible::kOffline);
}

TEST_CASE("agent and queue states report registration, ringing and waiting calls", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn, kBob}));
  h.Register(kAnn);
  h.Drain();
  h.Call(1);
  h.Advance(4s);
  auto states = h.flow.AgentStates("", "Sales agents", h.now);
  REQUIRE(states.ok());
  REQUIRE(states->size() == 2);
  CHECK((*states)[0].agent == kAnn);
  CHECK((*states)[0].ringing);
  CHECK((*states)[0].registered);
  CHECK((*states)[1].why == Ineligible::kOffline);
  CHECK(h.flow.AgentStates(kDan, "", h.now).status().code() == rgs::Code::kNotFound);
  CHECK(h.flow.AgentStates("", "Nobody", h.now).status().code() == rgs::Code::kNotFound);
  auto queues = h.flow.QueueStates(h.now);
  REQUIRE(queues.size() == 1);
  CHECK(queues[0].waiting == 1);
  CHECK(queues[0].ringing == 1);
  CHECK(queues[0].longest_wait_seconds == Approx(4.0));
}

TEST_CASE("an agent who hangs up ends the call as Answered and is offered the next call", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = Connected(h, 1, kAnn);
  h.Call(2);
  auto cs = h.Do(LegEnded{ann, "BYE"});
  CHECK(Only<Hangup>(cs).leg == 1);
  CHECK(Only<Record>(cs).record.outcome == Outcome::kAnswered);
  CHECK(Only<OfferAgent>(cs).call == 2);
}

TEST_CASE("a call that ends before the caller's ACK sends its BYE only once the ACK arrives", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  auto arrived = h.Call(1);
  REQUIRE(Count<AnswerCaller>(arrived) == 1);
  // The agent answers, then hangs up, all before the caller's ACK.
  LegId ann = LegOf(arrived, kAnn);
  auto answered = h.Do(OfferAnswered{ann, kAgentSdp});
  CHECK(Count<SendOffer>(answered) == 0);  // the connect waits for the ACK too
  auto ended = h.Do(LegEnded{ann, "bye", false});
  CHECK(Count<Hangup>(ended) == 0);  // RFC 3261 15: no BYE before the ACK
  CHECK(Only<Record>(ended).record.outcome == Outcome::kFailed);
  CHECK(Only<Hangup>(h.Do(CallerAcked{1})).leg == 1);
}

TEST_CASE("a BYE waiting for an ACK that never comes goes after 64*T1", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  auto arrived = h.Call(1);
  LegId ann = LegOf(arrived, kAnn);
  h.Do(OfferAnswered{ann, kAgentSdp});
  h.Do(LegEnded{ann, "bye", false});
  CHECK(Count<Hangup>(h.Advance(31s)) == 0);
  CHECK(Only<Hangup>(h.Advance(2s)).leg == 1);
}

// ---- liveness ------------------------------------------------------------------------------------

TEST_CASE("a waiting caller's dialog is probed with OPTIONS and a 408 ends the call as Lost", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Presence(kAnn, "busy");
  h.Drain();
  auto cs = h.Call(1);
  REQUIRE(Count<OfferAgent>(cs) == 0);
  // Not before the caller's ACK: the dialog is not established yet.
  CHECK(Count<Probe>(h.Advance(60s)) == 0);
  h.Do(CallerAcked{1});
  cs = h.Advance(60s);
  CHECK(Only<Probe>(cs).leg == 1);
  // Any other answer means the phone is there.
  CHECK(h.Do(ProbeAnswered{1, 200}).empty());
  CHECK(h.Do(ProbeAnswered{1, 405}).empty());
  cs = h.Advance(60s);
  CHECK(Only<Probe>(cs).leg == 1);
  cs = h.Do(ProbeAnswered{1, 408});
  CHECK(Only<Hangup>(cs).leg == 1);
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kLost);
  CHECK(record.detail.find("OPTIONS") != std::string::npos);
  REQUIRE(record.visits.size() == 1);
  CHECK(record.visits[0].outcome == Outcome::kLost);
  CHECK(Count<Probe>(h.Advance(300s)) == 0);  // the call is over
}

TEST_CASE("a connected call whose agent's dialog is gone (481) ends as Lost and frees the agent", "[call_flow]") {
  Harness h;
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  LegId ann = Connected(h, 1, kAnn);
  auto cs = h.Advance(60s);
  auto probes = All<Probe>(cs);
  REQUIRE(probes.size() == 2);
  CHECK(probes[0].leg == 1);
  CHECK(probes[1].leg == ann);
  cs = h.Do(ProbeAnswered{ann, 481});
  auto hangups = All<Hangup>(cs);
  REQUIRE(hangups.size() == 2);
  CHECK(hangups[0].leg == ann);
  CHECK(hangups[1].leg == 1);  // the caller is told
  auto record = Only<Record>(cs).record;
  CHECK(record.outcome == Outcome::kLost);
  CHECK(record.agent == kAnn);
  CHECK(record.detail.find("agent") != std::string::npos);
  // Ann takes the next call.
  cs = h.Call(2);
  CHECK(OfferedTo(cs) == std::vector<std::string>{kAnn});
}

TEST_CASE("no probe is sent when the interval is 0", "[call_flow]") {
  FlowOptions o = Options();
  o.probe = std::chrono::seconds(0);
  Harness h(o);
  h.Use(Config(RoutingMethod::kParallel, {kAnn}));
  h.Register(kAnn);
  h.Drain();
  Connected(h, 1, kAnn);
  CHECK(Count<Probe>(h.Advance(600s)) == 0);
}
