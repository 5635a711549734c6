// The call flow's signalling of answered calls: transfers (REFER, RFC 3515), the connect
// re-INVITE, and offers relayed between caller and agent, one transaction at a time per dialog.
#include "core/call_flow.h"

#include "core/call_flow_state.h"

namespace rgs::core {

using namespace flow;

// ---- transfer --------------------------------------------------------------------------------

// Callers rgsd has not answered are redirected (302 with the target as Contact); answered ones
// are sent a REFER (RFC 3515), and the call ends when they hang up.
void CallFlow::TransferCaller(Call& c, const std::string& uri, Time now) {
  Say(LogLevel::kInfo, Label(c) + ": transferred to " + uri);
  c.record.detail = "transferred to " + uri;
  if (!c.answered) {
    Emit(Respond{c.caller.id, 302, uri, {}});
    legs_.erase(c.caller.id);
    c.caller.state = Leg::State::kNone;
    return Finish(c, Outcome::kTransferred, c.record.detail, now);
  }
  Emit(StopMedia{c.id});
  c.state = Call::State::kTransferring;
  Emit(ReferCaller{c.caller.id, uri});
  Arm(c, TimerKind::kTransferEnd, now + kTransferLinger);
}

void CallFlow::OnRefer(const ReferReceived& e, Time now) {
  Call* cp = CallOfLeg(e.leg);
  if (!cp || e.leg != cp->agent_leg.id || cp->state != Call::State::kConnected) {
    // Only the agent of a connected call may transfer it.
    Say(LogLevel::kInfo, "REFER to " + e.target + " refused: only the agent connected to a call may transfer it (403)");
    Emit(AnswerRefer{e.leg, 403});
    return;
  }
  Call& c = *cp;
  Emit(AnswerRefer{e.leg, 202});
  Emit(NotifyRefer{e.leg, 100, false});
  Say(LogLevel::kInfo, Label(c) + ": " + c.agent + " transfers the caller to " + e.target);
  c.agent_transfer = true;
  c.record.detail = "the agent transferred the caller to " + e.target;
  c.state = Call::State::kTransferring;
  Emit(ReferCaller{c.caller.id, e.target});
  Arm(c, TimerKind::kTransferEnd, now + kTransferLinger);
}

void CallFlow::OnReferResult(const ReferResult& e, Time now) {
  Call* cp = CallOfLeg(e.leg);
  if (!cp || cp->state != Call::State::kTransferring || e.leg != cp->caller.id) return;
  Call& c = *cp;
  bool ok = e.status >= 200 && e.status < 300;
  if (c.agent_transfer && c.agent_leg.state != Leg::State::kNone)
    Emit(NotifyRefer{c.agent_leg.id, ok ? 200 : e.status, true});
  if (ok) {
    // The caller calls the target itself (RFC 3515): rgsd's part of the call is over.
    return Finish(c, c.agent_transfer ? Outcome::kAnswered : Outcome::kTransferred, c.record.detail, now);
  }
  if (c.agent_transfer) {
    Say(LogLevel::kInfo,
        Label(c) + ": the caller refused the transfer (" + std::to_string(e.status) + "); still connected");
    c.agent_transfer = false;
    c.state = Call::State::kConnected;
    c.due.erase(TimerKind::kTransferEnd);
    return;
  }
  c.record.detail += " (REFER refused: " + std::to_string(e.status) + ")";
  Finish(c, Outcome::kFailed, c.record.detail, now);
}

// ---- signalling: connect and mid-call offers -------------------------------------------------

void CallFlow::Offer(Call& c, Leg& to, const std::string& sdp, LegId answer_to, Time now) {
  to.pending = sdp;
  to.pending_answer_to = answer_to;
  Flush(c, to, now);
}

void CallFlow::Flush(Call&, Leg& leg, Time) {
  if (!leg.pending || leg.state != Leg::State::kConfirmed) return;
  leg.sent = std::move(*leg.pending);
  leg.answer_to = leg.pending_answer_to;
  leg.pending.reset();
  leg.state = Leg::State::kSentOffer;
  Emit(SendOffer{leg.id, leg.sent});
}

// ---- liveness --------------------------------------------------------------------------------

// A caller or agent whose phone vanished (no BYE: power, network) would hold its place in a queue
// or an agent forever; every established dialog of a call is asked with an OPTIONS each
// FlowOptions::probe. RFC 4028 session timers are not negotiated: the probe works with every phone.
void CallFlow::ProbeLegs(Call& c, Time now) {
  for (const Leg* leg : {&c.caller, &c.agent_leg})
    if (leg->state != Leg::State::kNone && leg->state != Leg::State::kEarly && leg->state != Leg::State::kAwaitingAck)
      Emit(Probe{leg->id});
  Arm(c, TimerKind::kProbe, now + options_.probe);
}

// Any answer but 408 (no answer at all) and 481 (no such dialog) means the phone is there
// (RFC 5057 §5.1: a 405 or 501 to the OPTIONS too).
void CallFlow::OnProbeAnswered(const ProbeAnswered& e, Time now) {
  if (e.status != 408 && e.status != 481) return;
  Call* cp = CallOfLeg(e.leg);
  if (!cp) return;
  Emit(Hangup{e.leg, 480});  // so that the SIP stack ends the dialog on its side too
  OnLegEnded(LegEnded{e.leg, "no answer to OPTIONS: " + std::to_string(e.status), true}, now);
}

void CallFlow::OnAcked(LegId id, Time now) {
  if (auto bye = bye_after_ack_.find(id); bye != bye_after_ack_.end()) {
    bye_after_ack_.erase(bye);
    Emit(Hangup{id, 480});
    return;
  }
  Call* cp = CallOfLeg(id);
  if (!cp || id != cp->caller.id || cp->caller.state != Leg::State::kAwaitingAck) return;
  cp->caller.state = Leg::State::kConfirmed;
  Flush(*cp, cp->caller, now);
}

void CallFlow::OnMediaOffer(const MediaOffer& e, Time now) {
  Call* cp = CallOfLeg(e.leg);
  Leg* from = cp ? LegOf(*cp, e.leg) : nullptr;
  if (!from) {
    Emit(AnswerOffer{e.leg, 481, {}, false, {}});
    return;
  }
  Call& c = *cp;
  // RFC 3261 §14.2: an offer crossing one of ours on the same dialog, or arriving while the other
  // side cannot take it now, is answered 491; the phone tries again after its back-off.
  if (from->state != Leg::State::kConfirmed && from->state != Leg::State::kAwaitingAck) {
    Emit(AnswerOffer{e.leg, 491, {}, false, {}});
    return;
  }
  if (from == &c.agent_leg && c.workflow->anonymous) {
    // The agent's hold, resume or move in a relayed call: answered by rgsd, whose relay follows
    // the agent's new address; the caller is told nothing.
    auto offer = ParseSdp(e.sdp);
    if (!offer) {
      Emit(AnswerOffer{e.leg, 488, {}, false, {}});
      return;
    }
    Say(LogLevel::kInfo, Label(c) + ": " + c.agent + " offers " + offer->direction + " media; answered by the relay");
    Emit(AnswerOffer{e.leg, 200, {}, true, *offer, c.id, c.session + 1, ++c.agent_sdp_version, true});
    return;
  }
  if (from == &c.caller && (c.agent_leg.state == Leg::State::kNone || c.workflow->anonymous)) {
    // rgsd holds the caller's media (waiting, prompts): answered with rgsd's own, sent where the
    // new offer says (a hold, a moved address).
    auto offer = ParseSdp(e.sdp);
    if (!e.sdp.empty() && (!offer || !ChooseCodec(*offer))) {
      Emit(AnswerOffer{e.leg, 488, {}, false, {}});
      return;
    }
    if (offer) c.offer = *offer;
    Emit(AnswerOffer{e.leg, 200, {}, true, c.offer, c.id, c.session, ++c.sdp_version});
    return;
  }
  Leg& to = from == &c.caller ? c.agent_leg : c.caller;
  if (c.state != Call::State::kConnected || to.state != Leg::State::kConfirmed || to.pending) {
    Emit(AnswerOffer{e.leg, 491, {}, false, {}});
    return;
  }
  // Relayed to the other side (hold, resume, a media move), and answered with its answer.
  from->state = Leg::State::kReceivedOffer;
  std::string sdp = &to == &c.caller ? WithOrigin(e.sdp, options_.media_address, c.session, ++c.sdp_version) : e.sdp;
  if (auto parsed = ParseSdp(e.sdp))
    Say(LogLevel::kInfo, Label(c) + ": " + (from == &c.caller ? "the caller" : c.agent) + " offers " +
                             parsed->direction + " media; relayed");
  Offer(c, to, sdp, e.leg, now);
}

void CallFlow::OnMediaAnswer(const MediaAnswer& e, Time now) {
  Call* cp = CallOfLeg(e.leg);
  Leg* leg = cp ? LegOf(*cp, e.leg) : nullptr;
  if (!leg || leg->state != Leg::State::kSentOffer) return;
  Call& c = *cp;
  Leg* other = leg == &c.caller ? &c.agent_leg : &c.caller;
  LegId answer_to = leg->answer_to;
  if (e.status == 491 && ++leg->glare <= kMaxGlare) {
    // RFC 3261 §14.1: glare. Try again after a random time: 2.1-4 s on the dialog rgsd made (its
    // Call-ID), 0-2 s on the caller's. "Random" from the call and the try, so that runs repeat.
    long span = leg->ours ? 1900 : 2000, base = leg->ours ? 2100 : 0;
    long wait = base + static_cast<long>((c.id * 7919 + static_cast<uint64_t>(leg->glare) * 104729) %
                                         static_cast<uint64_t>(span));
    leg->state = Leg::State::kGlare;
    leg->pending = leg->sent;
    leg->pending_answer_to = answer_to;
    leg->backoff_until = now + Millis(wait);
    timers_.emplace(*leg->backoff_until, Timer{TimerKind::kBackoff, c.id, leg->id, {}, *leg->backoff_until});
    Say(LogLevel::kDebug, Label(c) + ": re-INVITE crossed another (491); again in " + std::to_string(wait) + " ms");
    return;
  }
  leg->glare = 0;
  leg->state = Leg::State::kConfirmed;
  bool ok = e.status >= 200 && e.status < 300;
  if (answer_to) {
    // The answer to a relayed offer goes back to the side that made it.
    if (other->state == Leg::State::kReceivedOffer && other->id == answer_to) {
      std::string sdp =
          other == &c.caller && ok ? WithOrigin(e.sdp, options_.media_address, c.session, ++c.sdp_version) : e.sdp;
      Emit(AnswerOffer{answer_to, ok ? 200 : e.status, ok ? sdp : std::string(), false, {}});
      other->state = Leg::State::kConfirmed;
      Flush(c, *other, now);
    }
  } else if (c.state == Call::State::kConnecting) {
    if (!ok) {
      Say(LogLevel::kWarning, Label(c) + ": the re-INVITE connecting the caller failed: " + std::to_string(e.status));
      return Finish(c, Outcome::kFailed, "connecting the caller failed: " + std::to_string(e.status), now);
    }
    c.state = Call::State::kConnected;
    c.record.answered = now;
    Say(LogLevel::kInfo, Label(c) + ": connected to " + c.agent);
  }
  Flush(c, *leg, now);
}

}  // namespace rgs::core
