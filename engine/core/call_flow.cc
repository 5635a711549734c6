// The call flow: arrival, schedule, prompts, questions, queues, offers, hang-ups, timers. Agents
// are in call_flow_agents.cc, the signalling of connected calls in call_flow_signalling.cc.
#include "core/call_flow.h"

#include "core/call_flow_state.h"
#include "core/speech.h"
#include "core/validate.h"

#include <algorithm>

namespace rgs::core {

using namespace flow;

std::string_view Name(Outcome o) {
  switch (o) {
    case Outcome::kAnswered: return "Answered";
    case Outcome::kAbandoned: return "Abandoned";
    case Outcome::kTransferred: return "Transferred";
    case Outcome::kTerminated: return "Terminated";
    case Outcome::kDisconnected: return "Disconnected";
    case Outcome::kRejected: return "Rejected";
    case Outcome::kFailed: return "Failed";
    case Outcome::kLost: return "Lost";
    case Outcome::kInterrupted: return "Interrupted";
  }
  return "?";
}

CallFlow::CallFlow(FlowOptions options, LocalTimeFn local_time)
    : options_(std::move(options)),
      local_time_(std::move(local_time)),
      snapshot_(std::make_shared<Snapshot>()),
      next_call_(options_.first_call),
      next_leg_(options_.first_leg) {}

CallFlow::~CallFlow() = default;

std::string CallFlow::Label(const Call& c) const { return "call " + std::to_string(c.id); }

std::optional<Command> CallFlow::Next() {
  if (out_.empty()) return std::nullopt;
  Command c = std::move(out_.front());
  out_.pop_front();
  return c;
}

std::optional<Time> CallFlow::NextDeadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

void CallFlow::Arm(Call& c, TimerKind kind, Time at) {
  c.due[kind] = at;
  timers_.emplace(at, Timer{kind, c.id, 0, {}, at});
}

void CallFlow::ArmAgent(const std::string& aor, Time at) {
  timers_.emplace(at, Timer{TimerKind::kAgentExpiry, 0, 0, aor, at});
}

void CallFlow::Expire(Time now) {
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto it = timers_.begin();
    Time at = it->first;
    Timer t = std::move(it->second);
    timers_.erase(it);
    if (t.kind == TimerKind::kAgentExpiry) {
      OnTimer(t, now);
      continue;
    }
    if (t.kind == TimerKind::kAckWait) {
      auto bye = bye_after_ack_.find(t.leg);
      if (bye != bye_after_ack_.end() && bye->second == at) {
        bye_after_ack_.erase(bye);
        Emit(Hangup{t.leg, 480});
      }
      continue;
    }
    auto c = calls_.find(t.call);
    if (c == calls_.end()) continue;
    if (t.kind == TimerKind::kBackoff || t.kind == TimerKind::kGrace) {
      OnTimer(t, now);
      continue;
    }
    auto due = c->second->due.find(t.kind);
    if (due == c->second->due.end() || due->second != at) continue;  // cancelled or re-armed
    c->second->due.erase(due);
    OnTimer(t, now);
  }
}

void CallFlow::Handle(const Event& e, Time now) {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, CallArrived>)
          OnArrival(ev, now);
        else if constexpr (std::is_same_v<T, CallerAcked>)
          OnAcked(ev.leg, now);
        else if constexpr (std::is_same_v<T, AnswerFailed>) {
          if (Call* c = CallOfLeg(ev.leg)) {
            Say(LogLevel::kWarning, Label(*c) + ": " + ev.why + " (503)");
            legs_.erase(ev.leg);
            c->caller.state = Leg::State::kNone;
            Finish(*c, Outcome::kFailed, ev.why, now);
          }
        } else if constexpr (std::is_same_v<T, OfferRinging>) {
        } else if constexpr (std::is_same_v<T, OfferAnswered>)
          OnAnswered(ev, now);
        else if constexpr (std::is_same_v<T, OfferFailed>)
          OnOfferFailed(ev.leg, ev.status, now);
        else if constexpr (std::is_same_v<T, LegEnded>)
          OnLegEnded(ev, now);
        else if constexpr (std::is_same_v<T, MediaOffer>)
          OnMediaOffer(ev, now);
        else if constexpr (std::is_same_v<T, MediaAnswer>)
          OnMediaAnswer(ev, now);
        else if constexpr (std::is_same_v<T, ReferReceived>)
          OnRefer(ev, now);
        else if constexpr (std::is_same_v<T, ReferResult>)
          OnReferResult(ev, now);
        else if constexpr (std::is_same_v<T, ProbeAnswered>)
          OnProbeAnswered(ev, now);
        else if constexpr (std::is_same_v<T, PlayDone>)
          OnPlayDone(ev.call, now);
        else if constexpr (std::is_same_v<T, DigitReceived>)
          OnDigit(ev.call, ev.key, now);
        else if constexpr (std::is_same_v<T, DigitOnLeg>) {
          // An agent's keys (its leg of a call being connected) are not the caller's answers.
          Call* c = CallOfLeg(ev.leg);
          if (c && c->caller.id == ev.leg) OnDigit(c->id, ev.key, now);
        } else if constexpr (std::is_same_v<T, SpeechRecognized>)
          OnSpeech(ev.call, ev.text, now);
        else if constexpr (std::is_same_v<T, Registered>)
          OnRegistered(ev, now);
        else if constexpr (std::is_same_v<T, PresenceChanged>)
          OnPresence(ev, now);
        else if constexpr (std::is_same_v<T, SignedIn>) {
          Status s = SignIn(ev.aor, ev.group, ev.signed_in, now);
          if (!s.ok()) Say(LogLevel::kWarning, s.message());
        } else if constexpr (std::is_same_v<T, AgentRestored>)
          OnRestored(ev, now);
      },
      e);
}

// ---- configuration ---------------------------------------------------------------------------

void CallFlow::SetSnapshot(std::shared_ptr<const Snapshot> snapshot, Time now) {
  snapshot_ = std::move(snapshot);
  groups_.clear();
  for (const auto& [guid, g] : snapshot_->groups) {
    GroupIndex idx(g.routing_method, g.agents.size());
    for (size_t i = 0; i < g.agents.size(); ++i) {
      auto a = agents_.find(NormalizeAddress(g.agents[i]));
      if (a != agents_.end()) idx.Update(i, Available(*a->second, g, now), Seconds(a->second->idle_since));
    }
    groups_.emplace(guid, std::move(idx));
  }
  // Agents this revision added to a group may take a waiting call now: the oldest go first.
  std::vector<std::string> queues;
  for (const auto& [queue, set] : idle_)
    if (!set.empty()) queues.push_back(queue);
  Dispatch(queues, now);
}

// ---- arrival ---------------------------------------------------------------------------------

void CallFlow::OnArrival(const CallArrived& in, Time now) {
  auto owned = std::make_unique<Call>();
  Call& c = *owned;
  c.id = next_call_++;
  c.caller.id = in.leg;
  c.caller.state = Leg::State::kEarly;
  c.from = in.from;
  c.from_display = in.from_display;
  c.offer_sdp = in.sdp;
  c.config = snapshot_;
  c.declined = in.declined;
  c.session = static_cast<uint64_t>(Seconds(now)) * 1000 + c.id;
  c.record.id = c.id;
  c.record.call_id = in.call_id;
  c.record.caller = in.from;
  c.record.received = now;
  calls_[c.id] = std::move(owned);
  legs_[in.leg] = c.id;
  if (options_.probe.count() > 0) Arm(c, TimerKind::kProbe, now + options_.probe);

  auto reject = [&](int status, Outcome outcome, const std::string& why, const std::string& said,
                    const std::string& warning = {}) {
    Say(LogLevel::kInfo, Label(c) + " from " + in.from + " to " + said + " (" + std::to_string(status) + ")");
    Emit(Respond{in.leg, status, {}, warning});
    legs_.erase(in.leg);
    c.caller.state = Leg::State::kNone;
    Finish(c, outcome, why, now);
  };
  const Workflow* w = c.config->FindWorkflow(in.request_uri, in.local_host);
  if (!w)
    return reject(404, Outcome::kRejected, "no workflow at " + in.request_uri,
                  in.request_uri + ": no workflow has this address");
  c.workflow = w;
  c.record.workflow = w->guid;
  c.record.workflow_name = w->name;
  if (!w->active)
    return reject(480, Outcome::kRejected, "workflow '" + w->name + "' is inactive",
                  "workflow '" + w->name + "': inactive");
  auto offer = ParseSdp(in.sdp);
  auto codec = offer ? ChooseCodec(*offer) : std::nullopt;
  if (!offer || !codec)
    return reject(488, Outcome::kFailed, "no PCMU, PCMA or G.722 audio at an IP address in the offer",
                  "workflow '" + w->name + "': no PCMU, PCMA or G.722 audio at an IP address offered",
                  "304 rgsd \"an audio offer with PCMU, PCMA or G.722 at an IP address is needed\"");
  c.offer = *offer;
  c.codec = *codec;
  Emit(Started{c.record});

  // Reference 3.1-3.2: the schedule in the workflow's time zone; holiday wins over after-hours.
  auto zone = c.config->zones.count(w->guid) ? c.config->zones.at(w->guid) : std::string("UTC");
  auto local = local_time_ ? local_time_(zone, now) : std::nullopt;
  ScheduleDecision d;
  if (local) {
    std::vector<const HolidaySet*> sets;
    for (const auto& g : w->holiday_sets) sets.push_back(Snapshot::Get(c.config->holiday_sets, g));
    d = DecideSchedule(w->business_hours.empty() ? nullptr : Snapshot::Get(c.config->hours, w->business_hours), sets,
                       *local);
  } else {
    Say(LogLevel::kWarning, "workflow '" + w->name + "': time zone " + zone + " is unknown; taken as open");
  }
  Emit(Routed{c.id, w, d, local});
  Say(LogLevel::kInfo, Label(c) + " from " + in.from + " to workflow '" + w->name + "': " + std::string(Name(d.state)) +
                           (d.holiday ? " (" + d.holiday->name + ")" : ""));
  switch (d.state) {
    case ScheduleState::kHoliday: return RunAction(c, w->holiday_action, "Holiday", now);
    case ScheduleState::kAfterHours: return RunAction(c, w->non_business_hours_action, "AfterHours", now);
    case ScheduleState::kOpen: return RunAction(c, w->default_action, "Welcome", now);
  }
}

// Answers the caller with rgsd's media when it has not been answered yet.
bool CallFlow::AnswerIfNeeded(Call& c, bool /*for_media*/, Time) {
  if (c.answered) return true;
  Emit(AnswerCaller{c.id, c.caller.id, c.codec, c.offer, c.session, c.sdp_version});
  c.answered = true;
  c.caller.state = Leg::State::kAwaitingAck;
  return true;
}

void CallFlow::RunAction(Call& c, const std::optional<CallAction>& action, const std::string& purpose, Time now) {
  if (!action) {
    // Reference 3.1.4: a condition without its action ends the call.
    return Finish(c, Outcome::kTerminated, purpose + " action not set", now);
  }
  if (++c.depth > kMaxDepth)
    return Finish(c, Outcome::kTerminated,
                  "more than " + std::to_string(kMaxDepth) + " transfers between queues and questions", now);
  c.action = *action;
  c.purpose = purpose;
  if (action->prompt && !action->prompt->empty() && options_.media) {
    AnswerIfNeeded(c, true, now);
    c.state = Call::State::kPlaying;
    Emit(Play{c.id, *action->prompt, purpose, c.workflow->language});
    return;  // goes on with PlayDone
  }
  if (action->prompt && !action->prompt->empty())
    Say(LogLevel::kDebug, Label(c) + ": the " + purpose + " prompt is not played (no media)");
  ContinueAction(c, now);
}

void CallFlow::ContinueAction(Call& c, Time now) {
  switch (c.action.action) {
    case ActionKind::kTerminate: return Finish(c, Outcome::kTerminated, c.purpose + " action: terminate", now);
    case ActionKind::kTransferToQueue: return EnterQueue(c, c.action.queue, now);
    case ActionKind::kTransferToQuestion:
      if (!options_.media || !c.action.question) {
        Say(LogLevel::kWarning,
            Label(c) + ": workflow '" + c.workflow->name + "' asks questions, which need media; call ended");
        return Finish(c, Outcome::kTerminated, "interactive questions need media", now);
      }
      c.question = c.action.question.get();
      c.attempt = 1;
      return AskAgain(c, std::nullopt, now);
    case ActionKind::kTransferToUri:
    case ActionKind::kTransferToVoiceMailUri:
    case ActionKind::kTransferToPstn: return TransferCaller(c, c.action.uri, now);
  }
}

void CallFlow::OnPlayDone(uint64_t id, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  Call& c = *it->second;
  if (c.state == Call::State::kPlaying) {
    c.state = Call::State::kEntering;
    ContinueAction(c, now);
  } else if (c.state == Call::State::kAsking) {
    Arm(c, TimerKind::kSilence, now + kSilence);
  }
}

// ---- questions (reference 3.3) ---------------------------------------------------------------

void CallFlow::AskAgain(Call& c, const std::optional<Prompt>& preamble, Time now) {
  AnswerIfNeeded(c, true, now);
  c.state = Call::State::kAsking;
  c.due.erase(TimerKind::kSilence);
  Emit(IvrNote{c.id, {IvrStep::Kind::kAsked, c.question, nullptr, "", c.attempt}});
  std::vector<std::string> keywords;
  if (SpeechLanguage(c.workflow->language)) keywords = VoiceKeywords(*c.question);
  Emit(Ask{c.id, c.question, c.attempt, preamble, c.workflow->language, std::move(keywords)});
}

void CallFlow::OnDigit(uint64_t id, const std::string& key, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end() || it->second->state != Call::State::kAsking) return;
  Call& c = *it->second;
  Reply(c, key.empty() ? nullptr : MatchAnswer(*c.question, key), key, now);
}

// A spoken reply is answered like a key: the answer of the keyword it holds, else (words, but no
// keyword) an invalid answer. An utterance with no words (noise the recognizer kept nothing of)
// is no reply.
void CallFlow::OnSpeech(uint64_t id, const std::string& text, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end() || it->second->state != Call::State::kAsking) return;
  Call& c = *it->second;
  if (!SpeechLanguage(c.workflow->language)) return;  // never listened: keypad only
  std::string said = NormalizeKeyword(text);
  if (said.empty()) return;
  std::string keyword = SpokenKeyword(VoiceKeywords(*c.question), said);
  Reply(c, keyword.empty() ? nullptr : MatchAnswer(*c.question, keyword), text, now);
}

// The caller's reply to the question asked: answer `a`, else an invalid answer, or silence
// (input "").
void CallFlow::Reply(Call& c, const Answer* a, const std::string& key, Time now) {
  const Question& q = *c.question;
  if (a) {
    c.due.erase(TimerKind::kSilence);
    Emit(IvrNote{c.id, {IvrStep::Kind::kAnswered, &q, a, key, c.attempt}});
    Say(LogLevel::kInfo, Label(c) + ": question '" + q.name + "' answered '" + a->name + "'");
    c.answers.emplace_back(q.name, a->name);
    if (a->action.action == ActionKind::kTransferToQuestion && a->action.question) {
      if (++c.depth > kMaxDepth) return Finish(c, Outcome::kTerminated, "questions nested too deeply", now);
      c.question = a->action.question.get();
      c.attempt = 1;
      return AskAgain(c, a->action.prompt, now);
    }
    c.state = Call::State::kEntering;
    Emit(StopListening{c.id});
    return RunAction(c, a->action, "Answer", now);
  }
  bool silence = key.empty();
  c.due.erase(TimerKind::kSilence);
  Emit(IvrNote{c.id, {silence ? IvrStep::Kind::kNoAnswer : IvrStep::Kind::kInvalid, &q, nullptr, key, c.attempt}});
  if (c.attempt >= kIvrAttempts) {
    Emit(IvrNote{c.id, {IvrStep::Kind::kDisconnected, &q, nullptr, "", c.attempt}});
    return Finish(c, Outcome::kDisconnected,
                  "no valid answer to question '" + q.name + "' after " + std::to_string(kIvrAttempts) + " tries", now);
  }
  ++c.attempt;
  AskAgain(c, silence ? q.no_answer_prompt : q.invalid_answer_prompt, now);
}

// ---- queues (reference 3.4) ------------------------------------------------------------------

void CallFlow::EnterQueue(Call& c, const std::string& guid, Time now) {
  const Queue* q = Snapshot::Get(c.config->queues, guid);
  if (!q) return Finish(c, Outcome::kTerminated, "the target queue " + guid + " does not exist", now);
  // The agents are those of the current revision.
  bool any_agent = std::any_of(q->agent_groups.begin(), q->agent_groups.end(), [&](const std::string& g) {
    const AgentGroup* group = Snapshot::Get(snapshot_->groups, g);
    return group && !group->agents.empty();
  });
  c.visit = QueueVisit{};
  c.visit->queue = q->guid;
  c.visit->queue_name = q->name;
  c.visit->entered = now;
  Emit(Queued{c.id, q,
              !c.workflow->custom_music_on_hold.empty() ? c.workflow->custom_music_on_hold
                                                        : c.config->settings.default_music_on_hold});
  if (!any_agent) {
    EndVisit(c, Outcome::kDisconnected, "NoAgents", now);
    return Finish(c, Outcome::kDisconnected, "queue '" + q->name + "' has no agents: the call is disconnected", now);
  }
  auto& waiting = waiting_[q->guid];
  if (q->overflow_threshold && static_cast<int>(waiting.size()) >= *q->overflow_threshold) {
    if (q->overflow_candidate == OverflowCandidate::kNewestCall || waiting.empty()) {
      Say(LogLevel::kInfo,
          Label(c) + ": queue '" + q->name + "' holds " + std::to_string(waiting.size()) + " call(s): overflow");
      EndVisit(c, VisitOutcome(q->overflow_action), "Overflow", now);
      Emit(LeftQueue{c.id, q, "Overflow"});
      return RunAction(c, q->overflow_action, "Overflow", now);
    }
    Call& oldest = *calls_.at(waiting.begin()->second);
    Say(LogLevel::kInfo, Label(oldest) + ": queue '" + q->name + "' is full; the oldest call overflows");
    LeaveQueue(oldest, now);
    EndVisit(oldest, VisitOutcome(q->overflow_action), "Overflow", now);
    Emit(LeftQueue{oldest.id, q, "Overflow"});
    RunAction(oldest, q->overflow_action, "Overflow", now);
  }
  if (!c.answered) {
    if (options_.answer_delay == 0) {
      AnswerIfNeeded(c, false, now);
    } else if (!c.due.count(TimerKind::kAnswerDelay)) {
      // sip.answer_delay: the caller hears ringing while agents ring; rgsd answers only if nobody
      // has when the delay is over.
      Emit(Respond{c.caller.id, 180, {}, {}});
      Arm(c, TimerKind::kAnswerDelay, now + std::chrono::seconds(options_.answer_delay));
    }
  }
  c.state = Call::State::kWaiting;
  c.queue = q;
  c.group_index = 0;
  c.timed_out = false;
  c.tried.clear();
  if (!c.first_queued) c.first_queued = now;
  c.arrival = next_arrival_++;
  waiting[c.arrival] = c.id;
  Say(LogLevel::kInfo,
      Label(c) + ": waiting in queue '" + q->name + "' (" + std::to_string(waiting.size()) + " waiting)");
  if (q->timeout_threshold) Arm(c, TimerKind::kTimeout, now + std::chrono::seconds(*q->timeout_threshold));
  TryOffer(c, now);
}

void CallFlow::SyncIdle(Call& c) {
  bool idle = c.state == Call::State::kWaiting && c.offers.empty();
  if (idle == c.idle) return;
  auto& set = idle_[c.queue->guid];
  if (idle)
    set.emplace(c.arrival, c.id);
  else
    set.erase({c.arrival, c.id});
  c.idle = idle;
}

// Offers the call in its current group, else in the next one (AgentGroupIDList order, round the
// list) that has an agent who can take it. false when no group has one: the call waits.
bool CallFlow::TryOffer(Call& c, Time now) {
  if (c.state != Call::State::kWaiting || !c.offers.empty()) return true;
  const auto& ids = c.queue->agent_groups;
  for (size_t k = 0; k < ids.size(); ++k) {
    const std::string& guid = ids[c.group_index % ids.size()];
    const AgentGroup* g = Snapshot::Get(snapshot_->groups, guid);
    auto idx = groups_.find(guid);
    if (g && idx != groups_.end() && idx->second.available_count() > 0) {
      int grace = c.config->settings.agent_ringback_grace_period;
      auto skip = [&](size_t i) {
        std::string aor = NormalizeAddress(g->agents[i]);
        if (c.tried.count(aor)) return true;
        auto d = c.declined.find(aor);
        return d != c.declined.end() && now - d->second < std::chrono::seconds(grace);
      };
      c.simultaneous = g->routing_method == RoutingMethod::kParallel || g->routing_method == RoutingMethod::kAttendant;
      std::vector<size_t> chosen;
      if (c.simultaneous) {
        chosen = idx->second.All(skip);
      } else if (long i = idx->second.Next(round_robin_[guid] % std::max<size_t>(g->agents.size(), 1), skip); i >= 0) {
        chosen.push_back(static_cast<size_t>(i));
        if (g->routing_method == RoutingMethod::kRoundRobin)
          round_robin_[guid] = (static_cast<size_t>(i) + 1) % g->agents.size();
      }
      if (!chosen.empty()) {
        for (size_t i : chosen) OfferTo(c, *g, NormalizeAddress(g->agents[i]), now);
        SyncIdle(c);
        Arm(c, TimerKind::kAlert, now + std::chrono::seconds(g->agent_alert_time));
        return true;
      }
    }
    // Nobody (more) in this group: the next group, a new pass.
    c.group_index = (c.group_index + 1) % ids.size();
    c.tried.clear();
  }
  SyncIdle(c);
  return false;
}

namespace {

// A quoted-string (RFC 3261 §25.1) of at most `max` bytes of `text`: quotes and backslashes
// escaped, control characters as spaces, cut at a character boundary.
std::string SipQuoted(std::string_view text, size_t max = 200) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < max;) {
    size_t n = std::max<size_t>(1, Utf8At(text, i));
    if (i + n > max) break;
    unsigned char ch = static_cast<unsigned char>(text[i]);
    if (ch < 0x20 || ch == 0x7f)
      out += ' ';
    else if (ch == '"' || ch == '\\')
      out += std::string("\\") + static_cast<char>(ch);
    else
      out.append(text.substr(i, n));
    i += n;
  }
  return out + "\"";
}

}  // namespace

// What the agent's phone is told of the call (reference 3.12, DisableCallContext): the Subject
// always; unless the pool disables call context, the workflow, the queue, each question answered
// and the seconds waited, in headers (phones show or ignore them; no body part beside the SDP,
// which many phones refuse).
std::vector<std::string> CallFlow::CallContext(const Call& c, Time now) const {
  std::vector<std::string> h = {"Subject: " + c.workflow->name};
  if (c.config->settings.disable_call_context) return h;
  h.push_back("X-RGS-Workflow: " + SipQuoted(c.workflow->name));
  h.push_back("X-RGS-Queue: " + SipQuoted(c.queue->name));
  for (const auto& [question, answer] : c.answers)
    h.push_back("X-RGS-Answer: " + SipQuoted(question) + ";answer=" + SipQuoted(answer));
  h.push_back("X-RGS-Wait: " + std::to_string(c.first_queued ? Ms(now - *c.first_queued) / 1000 : 0));
  return h;
}

void CallFlow::OfferTo(Call& c, const AgentGroup& g, const std::string& aor, Time now) {
  Agent& a = AgentAt(aor);
  LegId leg = next_leg_++;
  legs_[leg] = c.id;
  c.offers[leg] = aor;
  c.tried.insert(aor);
  a.ringing.insert(c.id);
  Touch(aor, now);
  OfferAgent o;
  o.call = c.id;
  o.leg = leg;
  o.agent = aor;
  o.contact = a.contact;
  // The agent sees the caller (the caller only ever talks SIP with rgsd).
  o.from = c.from;
  o.from_display = c.from_display;
  o.group_name = g.name;
  if (c.workflow->anonymous) {
    // The agent is offered rgsd's relay, never the caller's address (nor the caller the agent's).
    o.relay = true;
    o.codec = c.codec;
    o.telephone_event = c.offer.telephone_event;
    o.session = c.session + 1;
    o.version = ++c.agent_sdp_version;
  } else {
    o.sdp = c.offer_sdp;
  }
  o.headers = CallContext(c, now);
  c.visit->offers.push_back({aor, now, "Offered"});
  Say(LogLevel::kInfo,
      Label(c) + ": offered to " + aor + " (group '" + g.name + "', " + std::string(Name(g.routing_method)) + ")");
  Emit(std::move(o));
}

void CallFlow::SetOfferResult(Call& c, const std::string& aor, const std::string& result) {
  if (!c.visit) return;
  for (auto it = c.visit->offers.rbegin(); it != c.visit->offers.rend(); ++it)
    if (it->agent == aor && it->result == "Offered") {
      it->result = result;
      return;
    }
}

// Ends every offer of the call; returns the agents, free again (the caller dispatches them).
std::vector<std::string> CallFlow::CancelOffers(Call& c, const std::string& result, Time now) {
  auto offers = std::move(c.offers);
  c.offers.clear();
  std::vector<std::string> freed;
  for (const auto& [leg, aor] : offers) {
    Emit(CancelOffer{leg});
    legs_.erase(leg);
    if (auto a = agents_.find(aor); a != agents_.end()) a->second->ringing.erase(c.id);
    Touch(aor, now);
    SetOfferResult(c, aor, result);
    freed.push_back(aor);
  }
  c.due.erase(TimerKind::kAlert);
  return freed;
}

// The ringing offers ended unanswered: the timeout if it is due, else the next agent of the group
// (one-at-a-time methods) or the next group (Parallel, Attendant).
void CallFlow::NextOffer(Call& c, Time now) {
  if (c.state != Call::State::kWaiting) return;
  c.due.erase(TimerKind::kAlert);
  if (c.timed_out) return ApplyTimeout(c, now);
  if (c.simultaneous && !c.queue->agent_groups.empty()) {
    c.group_index = (c.group_index + 1) % c.queue->agent_groups.size();
    c.tried.clear();
  }
  TryOffer(c, now);
}

void CallFlow::ApplyTimeout(Call& c, Time now) {
  const Queue* q = c.queue;
  Say(LogLevel::kInfo,
      Label(c) + ": timeout in queue '" + q->name + "' after " + std::to_string(*q->timeout_threshold) + " s");
  LeaveQueue(c, now);
  EndVisit(c, VisitOutcome(q->timeout_action), "Timeout", now);
  Emit(LeftQueue{c.id, q, "Timeout"});
  RunAction(c, q->timeout_action, "Timeout", now);
}

void CallFlow::LeaveQueue(Call& c, Time now) {
  if (c.state != Call::State::kWaiting) return;
  for (const auto& aor : StopWaiting(c, false, now)) AgentFree(aor, now);
}

// Takes the call out of its queue: its other offers cancelled (their agents are returned, for the
// caller to dispatch), its queue timers stopped. `connecting`: an agent answered it.
std::vector<std::string> CallFlow::StopWaiting(Call& c, bool connecting, Time now) {
  std::vector<std::string> freed = CancelOffers(c, "Cancelled", now);
  c.due.erase(TimerKind::kTimeout);
  c.due.erase(TimerKind::kAnswerDelay);
  waiting_[c.queue->guid].erase(c.arrival);
  c.state = connecting ? Call::State::kConnecting : Call::State::kEntering;
  SyncIdle(c);
  return freed;
}

void CallFlow::EndVisit(Call& c, Outcome outcome, const std::string& reason, Time now, const std::string& agent) {
  if (!c.visit) return;
  c.visit->left = now;
  c.visit->outcome = outcome;
  c.visit->reason = reason;
  c.visit->agent = agent;
  c.visit->wait_ms = Ms(c.visit->left - c.visit->entered);
  c.record.visits.push_back(std::move(*c.visit));
  c.visit.reset();
}

// ---- offers answered, declined, failed -------------------------------------------------------

CallFlow::Call* CallFlow::CallOfLeg(LegId leg) {
  auto it = legs_.find(leg);
  if (it == legs_.end()) return nullptr;
  auto c = calls_.find(it->second);
  return c == calls_.end() ? nullptr : c->second.get();
}

CallFlow::Leg* CallFlow::LegOf(Call& c, LegId leg) {
  if (leg == c.caller.id && c.caller.state != Leg::State::kNone) return &c.caller;
  if (leg == c.agent_leg.id && c.agent_leg.state != Leg::State::kNone) return &c.agent_leg;
  return nullptr;
}

void CallFlow::OnAnswered(const OfferAnswered& e, Time now) {
  Call* cp = CallOfLeg(e.leg);
  if (!cp || cp->state != Call::State::kWaiting || !cp->offers.count(e.leg)) {
    // Answered after the call went on (another agent, a hang-up): released at once.
    if (cp) legs_.erase(e.leg);
    Emit(Hangup{e.leg, 480});
    return;
  }
  Call& c = *cp;
  std::string aor = c.offers[e.leg];
  c.offers.erase(e.leg);
  AgentAt(aor).ringing.erase(c.id);
  SetOfferResult(c, aor, "Answered");
  std::vector<std::string> freed = StopWaiting(c, true, now);
  Agent& a = AgentAt(aor);
  a.calls++;
  Touch(aor, now);
  c.agent_leg = Leg{};
  c.agent_leg.id = e.leg;
  c.agent_leg.state = Leg::State::kConfirmed;
  c.agent_leg.ours = true;
  c.agent = aor;
  c.agent_sdp = e.sdp;
  c.record.agent = aor;
  c.record.wait_ms = c.first_queued ? Ms(now - *c.first_queued) : 0;
  EndVisit(c, Outcome::kAnswered, "", now, aor);
  if (c.workflow->anonymous) {
    // rgsd relays the media: the caller keeps rgsd's address and never hears of the agent's.
    auto agent = ParseSdp(e.sdp);
    if (!agent) {
      Emit(Hangup{e.leg, 480});
      return Finish(c, Outcome::kFailed, "the agent's answer has no audio stream rgsd can relay", now);
    }
    AnswerIfNeeded(c, true, now);
    Emit(RelayMedia{c.id, *agent});
    c.state = Call::State::kConnected;
    c.record.answered = now;
    Say(LogLevel::kInfo, Label(c) + ": answered by " + aor + "; connected (media relayed: anonymous workflow)");
    for (const auto& other : freed) AgentFree(other, now);
    std::vector<std::string> queue{c.queue->guid};
    return Dispatch(queue, now);
  }
  Emit(StopMedia{c.id});
  // The caller gets the agent's session under rgsd's origin, in codecs the caller offered.
  std::string sdp = WithOrigin(KeepEncodings(e.sdp, c.offer), options_.media_address, c.session, ++c.sdp_version);
  if (!c.answered) {
    // Not answered yet (sip.answer_delay): the caller is answered with the agent's session.
    Emit(AnswerWith{c.caller.id, sdp});
    c.answered = true;
    c.caller.state = Leg::State::kAwaitingAck;
    c.state = Call::State::kConnected;
    c.record.answered = now;
    Say(LogLevel::kInfo, Label(c) + ": answered by " + aor + "; connected");
  } else {
    Say(LogLevel::kInfo, Label(c) + ": answered by " + aor + "; connecting the caller");
    Offer(c, c.caller, sdp, 0, now);
  }
  for (const auto& other : freed) AgentFree(other, now);
  std::vector<std::string> queue{c.queue->guid};
  Dispatch(queue, now);
}

void CallFlow::OnOfferFailed(LegId leg, int status, Time now) {
  Call* cp = CallOfLeg(leg);
  if (!cp) return;
  Call& c = *cp;
  auto it = c.offers.find(leg);
  if (it == c.offers.end()) return;
  legs_.erase(leg);
  std::string aor = it->second;
  c.offers.erase(it);
  AgentAt(aor).ringing.erase(c.id);
  bool decline = IsDecline(status);
  SetOfferResult(c, aor, std::string(decline ? "Declined " : "Failed ") + std::to_string(status));
  Say(LogLevel::kInfo,
      Label(c) + ": " + aor + (decline ? " declined" : " failed") + " (" + std::to_string(status) + ")");
  if (!decline && (status == 408 || status == 503 || status >= 900 || status == 0)) {
    // The contact did not answer at all (a timeout or transport error): offline for a while, or
    // until it registers again.
    Agent& a = AgentAt(aor);
    a.unreachable_until = now + kUnreachable;
    ArmAgent(aor, a.unreachable_until);
    Say(LogLevel::kWarning, "agent " + aor + " unreachable at its registered contact; not offered calls for " +
                                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kUnreachable).count()) +
                                " s");
  }
  if (c.state == Call::State::kWaiting) {
    // Reference 3.7: not offered this call again until the ringback grace period has passed. A
    // failed offer counts as a decline, so that a failing agent is never offered in a loop.
    c.declined[aor] = now;
    Time at = now + std::chrono::seconds(c.config->settings.agent_ringback_grace_period);
    timers_.emplace(at, Timer{TimerKind::kGrace, c.id, 0, {}, at});
    if (c.offers.empty()) NextOffer(c, now);
  }
  AgentFree(aor, now);
}

// ---- legs ending -----------------------------------------------------------------------------

void CallFlow::OnLegEnded(const LegEnded& e, Time now) {
  bye_after_ack_.erase(e.leg);
  Call* cp = CallOfLeg(e.leg);
  if (!cp) return;
  Call& c = *cp;
  legs_.erase(e.leg);
  if (e.leg == c.caller.id) {
    c.caller.state = Leg::State::kNone;
    switch (c.state) {
      case Call::State::kWaiting:
        Say(LogLevel::kInfo,
            Label(c) + (e.lost ? ": the caller's side stopped responding (" : ": the caller hung up while waiting (") +
                e.why + ")");
        LeaveQueue(c, now);
        EndVisit(c, e.lost ? Outcome::kLost : Outcome::kAbandoned, "", now);
        c.record.wait_ms = c.first_queued ? Ms(now - *c.first_queued) : 0;
        return Finish(c, e.lost ? Outcome::kLost : Outcome::kAbandoned,
                      e.lost ? "the caller's side stopped responding while waiting (" + e.why + ")"
                             : "the caller hung up while waiting",
                      now);
      case Call::State::kConnecting:
      case Call::State::kConnected:
        if (e.lost) {
          Say(LogLevel::kInfo, Label(c) + ": the caller's side stopped responding (" + e.why + ")");
          return Finish(c, Outcome::kLost, "the caller's side stopped responding (" + e.why + ")", now);
        }
        Say(LogLevel::kInfo, Label(c) + ": the caller hung up (" + e.why + ")");
        return Finish(c, Outcome::kAnswered, "the caller hung up", now);
      case Call::State::kTransferring:
        return Finish(c, c.agent_transfer ? Outcome::kAnswered : Outcome::kTransferred, c.record.detail, now);
      default:
        return Finish(c, e.lost ? Outcome::kLost : Outcome::kAbandoned,
                      (e.lost ? "the caller's side stopped responding (" : "the caller hung up (") + e.why + ")", now);
    }
  }
  if (e.leg == c.agent_leg.id) {
    c.agent_leg.state = Leg::State::kNone;
    if (c.state == Call::State::kTransferring) {
      ReleaseAgent(c, now);  // the agent left after transferring the caller
      return;
    }
    if (e.lost) {
      Say(LogLevel::kInfo, Label(c) + ": " + c.agent + "'s side stopped responding (" + e.why + ")");
      return Finish(c, Outcome::kLost, "the agent's side stopped responding (" + e.why + ")", now);
    }
    Say(LogLevel::kInfo, Label(c) + ": " + c.agent + " hung up (" + e.why + ")");
    return Finish(c, c.state == Call::State::kConnected ? Outcome::kAnswered : Outcome::kFailed, "the agent hung up",
                  now);
  }
  // An offer that ended without a final response (a transport failure).
  if (c.offers.count(e.leg)) {
    legs_[e.leg] = c.id;  // OnOfferFailed finds it
    OnOfferFailed(e.leg, 0, now);
  }
}

void CallFlow::ReleaseAgent(Call& c, Time now) {
  if (c.agent.empty()) return;
  if (c.agent_leg.state != Leg::State::kNone) Emit(Hangup{c.agent_leg.id, 480});
  legs_.erase(c.agent_leg.id);
  c.agent_leg.state = Leg::State::kNone;
  Agent& a = AgentAt(c.agent);
  if (a.calls > 0) a.calls--;
  a.idle_since = now;
  std::string aor = std::move(c.agent);
  c.agent.clear();
  AgentFree(aor, now);
}

void CallFlow::Finish(Call& c, Outcome outcome, const std::string& detail, Time now) {
  if (c.state == Call::State::kWaiting) {
    LeaveQueue(c, now);
    EndVisit(c, outcome == Outcome::kAnswered ? Outcome::kAnswered : Outcome::kAbandoned, "", now);
  }
  if (c.caller.state == Leg::State::kAwaitingAck) {
    // RFC 3261 15: no BYE before the ACK of rgsd's 2xx. It goes when the ACK arrives, or when
    // the ACK can no longer come.
    Time at = now + kAckWait;
    bye_after_ack_[c.caller.id] = at;
    timers_.emplace(at, Timer{TimerKind::kAckWait, 0, c.caller.id, {}, at});
  } else if (c.caller.state != Leg::State::kNone) {
    Emit(Hangup{c.caller.id, 480});
  }
  c.caller.state = Leg::State::kNone;
  legs_.erase(c.caller.id);
  ReleaseAgent(c, now);
  for (const auto& [leg, aor] : c.offers) legs_.erase(leg);
  Emit(StopMedia{c.id});
  c.record.outcome = outcome;
  c.record.detail = detail;
  c.record.ended = now;
  Say(outcome == Outcome::kAnswered ? LogLevel::kDebug : LogLevel::kInfo,
      Label(c) + ": ended: " + std::string(Name(outcome)) + (detail.empty() ? "" : " (" + detail + ")"));
  if (c.idle) idle_[c.queue->guid].erase({c.arrival, c.id});
  Emit(Record{std::move(c.record)});
  calls_.erase(c.id);
}

void CallFlow::Stop(Time now) {
  std::vector<uint64_t> ids;
  for (const auto& [id, c] : calls_) ids.push_back(id);
  for (uint64_t id : ids) {
    auto it = calls_.find(id);
    if (it == calls_.end()) continue;
    Call& c = *it->second;
    if (c.state == Call::State::kWaiting) {
      LeaveQueue(c, now);
      EndVisit(c, Outcome::kInterrupted, "Shutdown", now);
    }
    Finish(c, Outcome::kInterrupted, "rgsd stopped", now);
  }
}

// ---- timers ----------------------------------------------------------------------------------

void CallFlow::OnTimer(const Timer& t, Time now) {
  if (t.kind == TimerKind::kAgentExpiry) {
    auto it = agents_.find(t.aor);
    if (it == agents_.end()) return;
    Agent& a = *it->second;
    if (!a.contact.empty() && now >= a.registered_until) {
      a.contact.clear();
      Say(LogLevel::kInfo, "agent " + a.aor + " registration expired");
      Save(a);
      Touch(a.aor, now);
    }
    if (a.published && now >= a.published_until) {
      a.published = false;
      Say(LogLevel::kInfo,
          "agent " + a.aor + " presence " + std::string(Name(a.presence)) + " expired; taken as available");
      if (a.presence != Presence::kAvailable) {
        a.presence = Presence::kAvailable;
        a.idle_since = now;
        AgentFree(a.aor, now);
      }
    }
    if (a.unreachable_until != Time{} && now >= a.unreachable_until) {
      a.unreachable_until = {};
      AgentFree(a.aor, now);
    }
    return;
  }
  Call& c = *calls_.at(t.call);
  switch (t.kind) {
    case TimerKind::kAlert: {
      if (c.state != Call::State::kWaiting) return;
      std::vector<std::string> freed = CancelOffers(c, "NoAnswer", now);
      for (const auto& aor : freed) Say(LogLevel::kInfo, Label(c) + ": " + aor + " did not answer in time");
      NextOffer(c, now);
      for (const auto& aor : freed) AgentFree(aor, now);
      return;
    }
    case TimerKind::kTimeout:
      if (c.state != Call::State::kWaiting) return;
      // Reference 3.4: a call ringing an agent is not cut off; the timeout runs when the offer ends.
      if (!c.offers.empty()) {
        c.timed_out = true;
        return;
      }
      return ApplyTimeout(c, now);
    case TimerKind::kAnswerDelay:
      if (c.state == Call::State::kWaiting && !c.answered) AnswerIfNeeded(c, false, now);
      return;
    case TimerKind::kGrace:
      if (c.state == Call::State::kWaiting) {
        std::vector<std::string> queue{c.queue->guid};
        Dispatch(queue, now);
      }
      return;
    case TimerKind::kSilence: return OnDigit(c.id, "", now);
    case TimerKind::kTransferEnd:
      if (c.state == Call::State::kTransferring)
        Finish(c, c.agent_transfer ? Outcome::kAnswered : Outcome::kTransferred, c.record.detail, now);
      return;
    case TimerKind::kBackoff: {
      Leg* leg = LegOf(c, t.leg);
      if (!leg || leg->state != Leg::State::kGlare || leg->backoff_until != t.at) return;
      leg->state = Leg::State::kConfirmed;
      leg->backoff_until.reset();
      Flush(c, *leg, now);
      return;
    }
    case TimerKind::kProbe: return ProbeLegs(c, now);
    case TimerKind::kAgentExpiry:
    case TimerKind::kAckWait: return;
  }
}

}  // namespace rgs::core
