// The call distributor: every caller from INVITE to hang-up, the queues, the agents (registration,
// presence, sign-in) and the offers. It runs on the daemon's thread; decisions come from the
// routing core (core/router.h), the same code `rgs test-workflow` runs; SIP is reached through
// sip::SipEndpoint only.
#pragma once

#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "core/distributor.h"
#include "core/router.h"
#include "daemon/media.h"
#include "daemon/records.h"
#include "daemon/snapshot.h"
#include "sip/endpoint.h"

namespace rgs::daemon {

using Clock = std::chrono::steady_clock;

class Acd final : public sip::Events {
 public:
  Acd(boost::asio::io_context& io, RtpSender& rtp, std::function<void(CallRecord)> record, int registration_max,
      int retry_after, int answer_delay);
  ~Acd() override;

  void SetEndpoint(sip::SipEndpoint* endpoint) { sip_ = endpoint; }
  void SetSnapshot(std::shared_ptr<const Snapshot> snapshot);
  const Snapshot& snapshot() const { return *snapshot_; }

  // Control requests (rgs set-agentstate / get-agentstate / get-queuestate).
  Status SignIn(const std::string& agent, const std::string& group, bool signed_in);
  Result<nlohmann::ordered_json> AgentStates(const std::string& agent, const std::string& group);
  nlohmann::ordered_json QueueStates();
  size_t calls() const { return calls_.size(); }

  // Records every call in progress as ended by the daemon's stop (the SIP side hangs them up).
  void Stop();

  // sip::Events
  void OnRegister(const sip::Registration& r) override;
  void OnPublish(const sip::Publication& p) override;
  void OnInvite(const sip::Invite& invite) override;
  void OnAnswered(sip::LegId leg, const std::string& sdp) override;
  void OnRinging(sip::LegId leg) override;
  void OnFailed(sip::LegId leg, int status, const std::string& phrase) override;
  void OnEnded(sip::LegId leg, const std::string& why) override;
  void OnReInvite(sip::LegId leg, const std::string& sdp) override;
  void OnReferred(sip::LegId leg, int status) override;

 private:
  struct Agent {
    std::string aor;
    std::string contact;
    Clock::time_point registered_until{};
    core::Presence presence = core::Presence::kAvailable;
    Clock::time_point published_until{};
    bool published = false;
    int calls = 0;                      // connected rgsd calls
    std::set<uint64_t> ringing;         // calls offered to this agent now
    Clock::time_point idle_since = Clock::now();
    Clock::time_point unreachable_until{};   // its contact failed: offline until then
    std::set<std::string> signed_in;    // formal groups (GUIDs)
    bool registered(Clock::time_point now) const { return !contact.empty() && now < registered_until; }
  };

  enum class State { kEntering, kWaiting, kConnecting, kConnected, kTransferring };

  // A configuration with the live indexes of its groups; calls hold the one they started with.
  struct Runtime {
    std::shared_ptr<const Snapshot> snap;
    std::unordered_map<std::string, core::GroupIndex> groups;
  };

  struct Call {
    uint64_t id = 0;
    sip::LegId caller = 0;
    std::string call_id, from, from_display, request_uri, offer_sdp;
    SdpOffer offer;
    int codec = 0;
    std::shared_ptr<Runtime> rt;
    std::shared_ptr<const Snapshot> config;
    const core::Workflow* workflow = nullptr;
    State state = State::kEntering;
    bool answered = false;   // rgsd answered the caller
    int rtp_port = 0;
    uint64_t session = 0, sdp_version = 1;
    // the queue
    const core::Queue* queue = nullptr;
    std::list<Call*>::iterator pos;
    size_t group_index = 0;
    const core::AgentGroup* group = nullptr;
    std::set<size_t> tried;        // agents of the current group offered in this pass
    bool simultaneous = false;
    uint64_t arrival = 0;          // order of entry into the queue
    bool idle = false;             // waiting and ringing nobody
    std::map<sip::LegId, std::string> offers;   // ringing legs -> agent address
    std::unique_ptr<boost::asio::steady_timer> alert, timeout, answer;
    bool timed_out = false;
    std::map<std::string, Clock::time_point> declined;
    int depth = 0;
    // connected
    sip::LegId agent_leg = 0;
    std::string agent, agent_sdp;
    int reinvite_tries = 0;
    std::optional<Clock::time_point> first_queued;
    CallRecord record;
    std::optional<QueueVisit> visit;
  };

  enum class Role { kCaller, kOffer };
  struct LegRef {
    uint64_t call;
    Role role;
  };

  Call* CallOf(sip::LegId leg, Role* role);
  Agent& AgentAt(const std::string& aor);
  void RunAction(Call& c, const std::optional<core::CallAction>& action, const std::string& purpose);
  void EnterQueue(Call& c, const std::string& queue_guid);
  bool AnswerCaller(Call& c);
  void OnAnswerDelay(uint64_t id);
  bool TryOffer(Call& c);
  void StartAlert(Call& c);
  void OfferTo(Call& c, size_t index);
  void NextOffer(Call& c);
  void SyncIdle(Call& c);
  bool Declined(const Call& c, const std::string& aor, Clock::time_point now) const;
  bool Available(const std::string& aor, const core::AgentGroup& g, Clock::time_point now);
  void Touch(const std::string& aor);
  double Seconds(Clock::time_point t) const;
  void OnAlert(uint64_t id);
  void OnTimeout(uint64_t id);
  void ApplyTimeout(Call& c);
  std::vector<std::string> CancelOffers(Call& c, const std::string& result);
  void LeaveQueue(Call& c);
  void EndVisit(Call& c, const std::string& outcome, const std::string& reason, const std::string& agent = {});
  void Transfer(Call& c, const std::string& uri);
  void Finish(Call& c, const std::string& outcome, const std::string& detail);
  void Destroy(uint64_t id);
  void AgentFree(const std::string& aor);
  void DispatchAgent(const std::string& aor);
  void Dispatch(const std::string& queue_guid);
  void SetOfferResult(Call& c, const std::string& aor, const std::string& result);
  core::AgentView View(const std::string& aor, const core::AgentGroup& g, const Call* c, Clock::time_point now);
  void Sweep();
  std::string Label(const Call& c) const;

  boost::asio::io_context& io_;
  RtpSender& rtp_;
  std::function<void(CallRecord)> record_;
  int registration_max_;
  int retry_after_;
  int answer_delay_;
  static constexpr std::chrono::seconds kUnreachable{30};
  sip::SipEndpoint* sip_ = nullptr;
  std::shared_ptr<const Snapshot> snapshot_;
  std::shared_ptr<Runtime> current_;
  std::vector<std::shared_ptr<Runtime>> runtimes_;
  std::unordered_map<std::string, core::IdleCalls> idle_;   // by queue GUID
  uint64_t next_arrival_ = 1;
  const Clock::time_point epoch_ = Clock::now();
  uint64_t next_call_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Call>> calls_;
  std::unordered_map<sip::LegId, LegRef> legs_;
  std::unordered_map<std::string, Agent> agents_;
  std::unordered_map<std::string, std::list<Call*>> waiting_;   // by queue GUID, oldest first
  std::unordered_map<std::string, size_t> round_robin_;         // by group GUID: the next index
  boost::asio::steady_timer sweep_;
};

}  // namespace rgs::daemon
