// rgsd's adapter around the call flow.
#include "daemon/acd.h"

#include <algorithm>
#include <random>

#include "daemon/log.h"
#include "tz/zone.h"

namespace rgs::daemon {

using Json = nlohmann::ordered_json;

namespace {

core::Time Now() { return std::chrono::time_point_cast<core::Time::duration>(std::chrono::system_clock::now()); }

std::optional<core::LocalMinutes> LocalTime(const std::string& zone, core::Time at) {
  auto local = tz::ToLocal(zone, std::chrono::floor<std::chrono::seconds>(at));
  if (!local.ok()) return std::nullopt;
  return *local;
}

// 32 random bytes (std::random_device reads the kernel's random source).
std::string NonceSecret() {
  std::random_device random;
  std::string s;
  for (int i = 0; i < 8; ++i) {
    uint32_t v = random();
    s.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  return s;
}

}  // namespace

Acd::Acd(boost::asio::io_context& io, RtpSender& rtp, const AudioLibrary& audio, StoreWorker* records,
         core::FlowOptions options, int retry_after, core::DigestOptions auth, SpeechWorker* speech)
    : io_(io),
      rtp_(rtp),
      audio_(audio),
      records_(records),
      speech_(speech),
      retry_after_(retry_after),
      flow_(std::move(options), LocalTime),
      timer_(io),
      auth_(NonceSecret(), std::move(auth)) {
  rtp_.SetHandlers([this](uint64_t call) { Feed(core::PlayDone{call}); },
                   [this](uint64_t call, char key) {
                     Feed(core::DigitReceived{call, std::string(1, key)});
                   });
  if (speech_)
    rtp_.SetAudioHandler(
        [this](uint64_t call, int codec, const uint8_t* payload, size_t n) { speech_->Feed(call, codec, payload, n); });
}

// Only the callers a question listens to feed the speech worker, and only while it listens.
void Acd::Listen(uint64_t call, std::vector<std::string> keywords) {
  if (!speech_) return;
  rtp_.Listen(call, !keywords.empty());
  speech_->Listen(call, std::move(keywords));
}

void Acd::OnHeard(uint64_t call, const std::string& words) {
  Debug("call " + std::to_string(call) + ": heard '" + words + "'");
  Feed(core::SpeechRecognized{call, words});
}

Acd::~Acd() { timer_.cancel(); }

void Acd::SetSnapshot(std::shared_ptr<const core::Snapshot> snapshot) {
  bool first = flow_.snapshot().revision == 0 && flow_.snapshot().workflows.empty();
  size_t active = 0;
  for (const auto& [g, w] : snapshot->workflows) active += w.active;
  Info(std::string(first ? "serving" : "now serving") + " revision " + std::to_string(snapshot->revision) +
       " of pool " + snapshot->pool + ": " + std::to_string(active) + " active workflow(s) of " +
       std::to_string(snapshot->workflows.size()) + ", " + std::to_string(snapshot->queues.size()) + " queue(s), " +
       std::to_string(snapshot->groups.size()) + " agent group(s); read in " +
       std::to_string(static_cast<int>(snapshot->load_ms + 0.5)) + " ms");
  for (const auto& p : snapshot->problems) Warning(p);
  flow_.SetSnapshot(std::move(snapshot), Now());
  Drain();
}

core::DigestVerdict Acd::Authenticate(const core::DigestRequest& request) {
  const auto& creds = flow_.snapshot().credentials;
  auto it = creds.find(core::NormalizeAddress(request.aor));
  core::DigestVerdict v = auth_.Check(request, it == creds.end() ? nullptr : &it->second, Now());
  if (!v.log.empty()) Warning(v.log);
  return v;
}

void Acd::Restore(const std::vector<core::AgentRestored>& agents) {
  for (const auto& a : agents) flow_.Handle(a, Now());
  if (!agents.empty())
    Info("restored the registrations and sign-ins of " + std::to_string(agents.size()) + " agent(s)");
  Drain();
}

void Acd::Feed(const core::Event& e) {
  flow_.Handle(e, Now());
  Drain();
}

// A prompt's audio; null (skipped, with a warning) when it could not be decoded or rendered
// when its revision was loaded (the warning then said why).
std::shared_ptr<const Clip> Acd::PromptClip(const core::Prompt& prompt, const std::string& language) {
  auto clip = audio_.Find(prompt, language);
  ++(clip ? prompts_.played : prompts_.missing);
  if (!clip)
    Warning("a prompt (" + (prompt.audio.empty() ? "text" : "audio file " + prompt.audio) +
            ") is not ready to play: skipped");
  return clip;
}

// Carries out every command the flow has, then follows its next deadline.
void Acd::Drain() {
  while (auto c = flow_.Next()) Carry(*c);
  ArmTimer();
}

void Acd::ArmTimer() {
  auto next = flow_.NextDeadline();
  if (!next || (armed_ && *armed_ <= *next)) return;
  armed_ = *next;
  timer_.expires_after(std::max(core::Time::duration::zero(), *next - Now()));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    armed_.reset();
    flow_.Expire(Now());
    Drain();
  });
}

void Acd::Carry(core::Command& command) {
  std::visit(
      [&](auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, core::Respond>) {
          std::vector<std::string> headers;
          if (!c.contact.empty()) headers.push_back("Contact: <" + c.contact + ">");
          if (!c.warning.empty()) headers.push_back("Warning: " + c.warning);
          sip_->Respond(c.leg, c.status, "", "", headers);
        } else if constexpr (std::is_same_v<T, core::AnswerCaller>) {
          int port = rtp_.Open(c.call, c.remote, c.codec);
          if (!port) {
            sip_->Respond(c.leg, 503, "", "", {"Retry-After: " + std::to_string(retry_after_)});
            flow_.Handle(core::AnswerFailed{c.leg, "no RTP port free in the configured range, or the media at their descriptor limit"}, Now());
            return;
          }
          sip_->Respond(c.leg, 200, "",
                        core::AnswerSdp(rtp_.address(), port, c.codec, c.remote.telephone_event, c.session, c.version));
        } else if constexpr (std::is_same_v<T, core::StopMedia>) {
          Listen(c.call, {});
          rtp_.Close(c.call);
        } else if constexpr (std::is_same_v<T, core::RelayMedia>) {
          rtp_.Relay(c.call, c.agent);
        } else if constexpr (std::is_same_v<T, core::AnswerWith>) {
          sip_->Respond(c.leg, 200, "", c.sdp);
        } else if constexpr (std::is_same_v<T, core::Play>) {
          rtp_.Play(c.call, {PromptClip(c.prompt, c.language)});
        } else if constexpr (std::is_same_v<T, core::Ask>) {
          std::vector<std::shared_ptr<const Clip>> clips;
          if (c.preamble) clips.push_back(PromptClip(*c.preamble, c.language));
          clips.push_back(PromptClip(c.question->prompt, c.language));
          rtp_.Play(c.call, std::move(clips));
          Listen(c.call, std::move(c.keywords));
        } else if constexpr (std::is_same_v<T, core::StopListening>) {
          Listen(c.call, {});
        } else if constexpr (std::is_same_v<T, core::Queued>) {
          rtp_.Loop(c.call, audio_.Music(c.music));
        } else if constexpr (std::is_same_v<T, core::OfferAgent>) {
          sip::Outgoing out;
          out.target = c.contact;
          out.to = c.agent;
          out.from = c.from;
          out.from_display = c.from_display;
          out.sdp = c.sdp;
          out.headers = c.headers;
          if (c.relay) {
            int port = rtp_.OpenRelay(c.call);
            if (!port) {
              Warning("no free RTP port in the configured range to relay an anonymous call to " + c.agent);
              flow_.Handle(core::OfferFailed{c.leg, 500}, Now());
              return;
            }
            out.sdp = core::AnswerSdp(rtp_.address(), port, c.codec, c.telephone_event, c.session, c.version);
          }
          sip_->Invite(c.leg, out);
        } else if constexpr (std::is_same_v<T, core::CancelOffer>) {
          sip_->Hangup(c.leg);
        } else if constexpr (std::is_same_v<T, core::SendOffer>) {
          sip_->ReInvite(c.leg, c.sdp);
        } else if constexpr (std::is_same_v<T, core::AnswerOffer>) {
          std::string sdp = c.sdp;
          if (c.own_media && c.status == 200) {
            int port = c.relay ? rtp_.RetargetRelay(c.call, c.remote) : rtp_.Retarget(c.call, c.remote);
            sdp = core::AnswerSdp(rtp_.address(), port, rtp_.codec(c.call), c.remote.telephone_event, c.session,
                                  c.version, c.relay ? core::AnswerDirection(c.remote.direction) : "sendrecv");
          }
          sip_->AnswerReInvite(c.leg, c.status, sdp);
        } else if constexpr (std::is_same_v<T, core::ReferCaller>) {
          sip_->Refer(c.leg, c.target);
        } else if constexpr (std::is_same_v<T, core::AnswerRefer>) {
          sip_->AnswerRefer(c.leg, c.status);
        } else if constexpr (std::is_same_v<T, core::NotifyRefer>) {
          sip_->NotifyRefer(c.leg, c.status, c.final);
        } else if constexpr (std::is_same_v<T, core::Probe>) {
          sip_->Probe(c.leg);
        } else if constexpr (std::is_same_v<T, core::Hangup>) {
          sip_->Hangup(c.leg, c.status_if_unanswered);
        } else if constexpr (std::is_same_v<T, core::Record>) {
          Listen(c.record.id, {});
          rtp_.Close(c.record.id);
          if (records_) records_->Add(std::move(c.record));
        } else if constexpr (std::is_same_v<T, core::Started>) {
          if (records_) records_->Started(std::move(c.record));
        } else if constexpr (std::is_same_v<T, core::SaveAgent>) {
          if (records_) records_->Save(c);
        } else if constexpr (std::is_same_v<T, core::Log>) {
          switch (c.level) {
            case core::LogLevel::kDebug: Debug(c.text); break;
            case core::LogLevel::kInfo: Info(c.text); break;
            case core::LogLevel::kWarning: Warning(c.text); break;
          }
        }
        // Routed, IvrNote, LeftQueue: the path test-workflow reports; rgsd logs it already.
      },
      command);
}

// ---- sip::Events -------------------------------------------------------------------------------

void Acd::OnRegister(const sip::Registration& r) { Feed(core::Registered{r.aor, r.contact, r.source, r.expires}); }
void Acd::OnPublish(const sip::Publication& p) { Feed(core::PresenceChanged{p.aor, p.presence, p.expires}); }

void Acd::OnInvite(const sip::Invite& in) { Feed(sip::Arrival(in)); }

void Acd::OnAcked(sip::LegId leg) { Feed(core::CallerAcked{leg}); }
void Acd::OnAnswered(sip::LegId leg, const std::string& sdp) { Feed(core::OfferAnswered{leg, sdp}); }
void Acd::OnRinging(sip::LegId leg) { Feed(core::OfferRinging{leg}); }
void Acd::OnFailed(sip::LegId leg, int status, const std::string&) { Feed(core::OfferFailed{leg, status}); }
void Acd::OnEnded(sip::LegId leg, const std::string& why, bool lost) { Feed(core::LegEnded{leg, why, lost}); }
void Acd::OnReInvite(sip::LegId leg, const std::string& sdp) { Feed(core::MediaOffer{leg, sdp}); }
void Acd::OnReInviteAnswered(sip::LegId leg, int status, const std::string& sdp) {
  Feed(core::MediaAnswer{leg, status, sdp});
}
void Acd::OnRefer(sip::LegId leg, const std::string& target) { Feed(core::ReferReceived{leg, target}); }
void Acd::OnReferred(sip::LegId leg, int status) { Feed(core::ReferResult{leg, status}); }
void Acd::OnProbed(sip::LegId leg, int status) { Feed(core::ProbeAnswered{leg, status}); }
void Acd::OnKey(sip::LegId leg, char key) { Feed(core::DigitOnLeg{leg, std::string(1, key)}); }

void Acd::Stop() {
  flow_.Stop(Now());
  Drain();
}

// ---- control ----------------------------------------------------------------------------------

Status Acd::SignIn(const std::string& agent, const std::string& group, bool signed_in) {
  Status s = flow_.SignIn(agent, group, signed_in, Now());
  Drain();
  return s;
}

Result<Json> Acd::AgentStates(const std::string& agent, const std::string& group) {
  auto states = flow_.AgentStates(agent, group, Now());
  if (!states.ok()) return states.status();
  Json out = Json::array();
  for (const auto& s : *states) {
    Json j;
    j["Agent"] = s.agent;
    j["AgentGroup"] = s.group;
    j["ParticipationPolicy"] = std::string(core::Name(s.policy));
    j["Registered"] = s.registered;
    j["Contact"] = s.contact.empty() ? Json() : Json(s.contact);
    j["Presence"] = std::string(core::Name(s.presence));
    j["SignedIn"] = s.signed_in;
    j["InCall"] = s.in_call;
    j["Ringing"] = s.ringing;
    j["CanTakeCall"] = s.why == core::Ineligible::kNone;
    j["Reason"] = s.why == core::Ineligible::kNone ? Json() : Json(std::string(core::Describe(s.why)));
    out.push_back(std::move(j));
  }
  return out;
}

Json Acd::QueueStates() {
  Json out = Json::array();
  for (const auto& q : flow_.QueueStates(Now()))
    out.push_back({{"Queue", q.queue},
                   {"Waiting", q.waiting},
                   {"Ringing", q.ringing},
                   {"LongestWaitSeconds", q.longest_wait_seconds}});
  return out;
}

}  // namespace rgs::daemon
