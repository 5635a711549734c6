// rgsd's adapter around the call flow (core/call_flow.h): SIP events become core events, core
// commands become SIP requests, RTP sessions, call records and log lines, and one Asio timer
// follows the core's next deadline. No routing decision is taken here. Runs on the daemon's loop.
#pragma once

#include <memory>
#include <string>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "core/call_flow.h"
#include "daemon/media.h"
#include "daemon/records.h"
#include "daemon/speech.h"
#include "sip/endpoint.h"

namespace rgs::daemon {

class Acd final : public sip::Events {
 public:
  // records: where calls and agents' state are written (null: nowhere).
  // auth: the digest challenges offered to agents and their limits.
  // speech: recognizes voice answers (null: keypad only); it must outlive the Acd.
  Acd(boost::asio::io_context& io, RtpSender& rtp, const AudioLibrary& audio, StoreWorker* records,
      core::FlowOptions options, int retry_after, core::DigestOptions auth = {}, SpeechWorker* speech = nullptr);
  ~Acd() override;

  void SetEndpoint(sip::SipEndpoint* endpoint) { sip_ = endpoint; }
  void SetSnapshot(std::shared_ptr<const core::Snapshot> snapshot);
  const core::Snapshot& snapshot() const { return flow_.snapshot(); }
  // Agents' registrations and sign-ins as the store kept them when rgsd last ran.
  void Restore(const std::vector<core::AgentRestored>& agents);

  // Control requests (rgs set-agentstate / get-agentstate / get-queuestate).
  Status SignIn(const std::string& agent, const std::string& group, bool signed_in);
  Result<nlohmann::ordered_json> AgentStates(const std::string& agent, const std::string& group);
  nlohmann::ordered_json QueueStates();
  size_t calls() const { return flow_.calls(); }
  // Prompts given to callers since rgsd started, and those skipped as not ready (the status).
  struct PromptCounts {
    uint64_t played = 0, missing = 0;
  };
  PromptCounts prompts() const { return prompts_; }
  const AudioLibrary& audio() const { return audio_; }
  const RtpSender& rtp() const { return rtp_; }
  const core::DigestAuthenticator& authenticator() const { return auth_; }
  uint64_t unwritten() const { return records_ ? records_->unwritten() : 0; }

  // Records every call in progress as interrupted (the SIP side hangs them up).
  void Stop();
  // The words the speech worker heard a caller say to a question.
  void OnHeard(uint64_t call, const std::string& words);

  // sip::Events
  int Registrable(const std::string& aor) override { return flow_.Registrable(aor); }
  core::DigestVerdict Authenticate(const core::DigestRequest& request) override;
  void OnRegister(const sip::Registration& r) override;
  void OnPublish(const sip::Publication& p) override;
  void OnInvite(const sip::Invite& invite) override;
  void OnAcked(sip::LegId leg) override;
  void OnAnswered(sip::LegId leg, const std::string& sdp) override;
  void OnRinging(sip::LegId leg) override;
  void OnFailed(sip::LegId leg, int status, const std::string& phrase) override;
  void OnEnded(sip::LegId leg, const std::string& why, bool lost) override;
  void OnReInvite(sip::LegId leg, const std::string& sdp) override;
  void OnReInviteAnswered(sip::LegId leg, int status, const std::string& sdp) override;
  void OnRefer(sip::LegId leg, const std::string& target) override;
  void OnReferred(sip::LegId leg, int status) override;
  void OnProbed(sip::LegId leg, int status) override;
  void OnKey(sip::LegId leg, char key) override;

 private:
  std::shared_ptr<const Clip> PromptClip(const core::Prompt& prompt, const std::string& language);
  void Feed(const core::Event& e);
  void Drain();
  void Carry(core::Command& c);
  void ArmTimer();
  void Listen(uint64_t call, std::vector<std::string> keywords);

  boost::asio::io_context& io_;
  RtpSender& rtp_;
  const AudioLibrary& audio_;
  StoreWorker* records_;
  SpeechWorker* speech_;
  int retry_after_;
  core::CallFlow flow_;
  sip::SipEndpoint* sip_ = nullptr;
  boost::asio::steady_timer timer_;
  std::optional<core::Time> armed_;
  core::DigestAuthenticator auth_;  // its nonce secret is new at every start
  PromptCounts prompts_;
};

}  // namespace rgs::daemon
