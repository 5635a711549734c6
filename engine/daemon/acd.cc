// The call distributor (reference 3.1-3.7).
#include "daemon/acd.h"

#include <algorithm>

#include "daemon/log.h"
#include "tz/zone.h"

namespace rgs::daemon {

using Json = nlohmann::ordered_json;

namespace {

long long Millis(Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

bool HostIsAddress(const std::string& uri) {
  size_t at = uri.find('@');
  size_t start = at == std::string::npos ? uri.find(':') + 1 : at + 1;
  if (start >= uri.size()) return false;
  if (uri[start] == '[') return true;
  size_t end = uri.find_first_of(":;>?", start);
  std::string host = uri.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
}

bool IsDecline(int status) { return status == 486 || status == 600 || status == 603 || status == 480; }

}  // namespace

Acd::Acd(boost::asio::io_context& io, RtpSender& rtp, std::function<void(CallRecord)> record, int registration_max,
         int retry_after, int answer_delay)
    : io_(io),
      rtp_(rtp),
      record_(std::move(record)),
      registration_max_(registration_max),
      retry_after_(retry_after),
      answer_delay_(answer_delay),
      sweep_(io) {
  snapshot_ = std::make_shared<Snapshot>();
  Sweep();
}

Acd::~Acd() { sweep_.cancel(); }

void Acd::SetSnapshot(std::shared_ptr<const Snapshot> snapshot) {
  bool first = snapshot_->revision == 0 && snapshot_->workflows.empty();
  snapshot_ = std::move(snapshot);
  // The live indexes of this configuration's groups; configurations no call uses any more go.
  auto rt = std::make_shared<Runtime>();
  rt->snap = snapshot_;
  auto now = Clock::now();
  for (const auto& [guid, g] : snapshot_->groups) {
    core::GroupIndex idx(g.routing_method, g.agents.size());
    for (size_t i = 0; i < g.agents.size(); ++i) {
      std::string aor = NormalizeAddress(g.agents[i]);
      auto a = agents_.find(aor);
      if (a != agents_.end()) idx.Update(i, Available(aor, g, now), Seconds(a->second.idle_since));
    }
    rt->groups.emplace(guid, std::move(idx));
  }
  std::erase_if(runtimes_, [](const std::shared_ptr<Runtime>& r) { return r.use_count() == 1; });
  runtimes_.push_back(rt);
  current_ = rt;
  size_t active = 0;
  for (const auto& [g, w] : snapshot_->workflows) active += w.active;
  Info(std::string(first ? "serving" : "now serving") + " revision " + std::to_string(snapshot_->revision) + " of pool " +
       snapshot_->pool + ": " + std::to_string(active) + " active workflow(s) of " +
       std::to_string(snapshot_->workflows.size()) + ", " + std::to_string(snapshot_->queues.size()) + " queue(s), " +
       std::to_string(snapshot_->groups.size()) + " agent group(s); read in " +
       std::to_string(static_cast<int>(snapshot_->load_ms + 0.5)) + " ms");
  for (const auto& p : snapshot_->problems) Warning(p);
  // Waiting calls keep their configuration, but agents it now lists elsewhere may be free.
  for (const auto& [guid, list] : waiting_)
    if (!list.empty()) Dispatch(guid);
}

std::string Acd::Label(const Call& c) const { return "call " + std::to_string(c.id); }

Acd::Agent& Acd::AgentAt(const std::string& aor) {
  auto it = agents_.find(aor);
  if (it == agents_.end()) {
    it = agents_.emplace(aor, Agent{}).first;
    it->second.aor = aor;
  }
  return it->second;
}

Acd::Call* Acd::CallOf(sip::LegId leg, Role* role) {
  auto it = legs_.find(leg);
  if (it == legs_.end()) return nullptr;
  auto c = calls_.find(it->second.call);
  if (c == calls_.end()) return nullptr;
  *role = it->second.role;
  return c->second.get();
}

// ---- registrations and presence -------------------------------------------------------------

void Acd::OnRegister(const sip::Registration& r) {
  Agent& a = AgentAt(NormalizeAddress(r.aor));
  auto now = Clock::now();
  bool was = a.registered(now);
  if (r.expires <= 0) {
    a.contact.clear();
    a.registered_until = now;
    Touch(a.aor);
    if (was) Info("agent " + a.aor + " unregistered");
    return;
  }
  bool moved = was && a.contact != r.contact;
  a.contact = r.contact;
  a.registered_until = now + std::chrono::seconds(std::min(r.expires, registration_max_));
  a.unreachable_until = {};
  if (!was || moved) {
    a.idle_since = now;
    Info("agent " + a.aor + " registered at " + r.contact + " for " + std::to_string(r.expires) + " s (" + r.source + ")");
    AgentFree(a.aor);
  }
}

void Acd::OnPublish(const sip::Publication& p) {
  Agent& a = AgentAt(NormalizeAddress(p.aor));
  auto now = Clock::now();
  core::Presence before = a.presence;
  if (p.expires == 0) {
    a.published = false;
    a.presence = core::Presence::kAvailable;
  } else {
    if (!p.presence.empty()) {
      auto pr = core::ParsePresence(p.presence);
      if (pr) a.presence = *pr;
    }
    a.published = true;
    a.published_until = now + std::chrono::seconds(p.expires);
  }
  if (a.presence == before) return;
  Info("agent " + a.aor + " presence " + std::string(core::Name(a.presence)));
  if (a.presence == core::Presence::kAvailable || a.presence == core::Presence::kInactive) a.idle_since = now;
  AgentFree(a.aor);
}

void Acd::Sweep() {
  auto now = Clock::now();
  for (auto& [aor, a] : agents_) {
    if (a.unreachable_until != Clock::time_point{} && now >= a.unreachable_until) {
      a.unreachable_until = {};
      AgentFree(aor);
    }
    if (!a.contact.empty() && now >= a.registered_until) {
      a.contact.clear();
      Touch(aor);
      Info("agent " + aor + " registration expired");
    }
    if (a.published && now >= a.published_until) {
      a.published = false;
      bool changed = a.presence != core::Presence::kAvailable;
      a.presence = core::Presence::kAvailable;
      if (changed) {
        a.idle_since = now;
        AgentFree(aor);
      }
    }
  }
  sweep_.expires_after(std::chrono::seconds(1));
  sweep_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Sweep();
  });
}

// ---- entry ------------------------------------------------------------------------------------

void Acd::OnInvite(const sip::Invite& in) {
  auto c = std::make_unique<Call>();
  Call& call = *c;
  call.id = next_call_++;
  call.caller = in.leg;
  call.call_id = in.call_id;
  call.from = in.from;
  call.from_display = in.from_display;
  call.request_uri = in.request_uri;
  call.offer_sdp = in.sdp;
  call.rt = current_;
  call.config = current_->snap;
  call.session = (static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) & 0xffffffffffULL) + call.id;
  call.record.call_id = in.call_id;
  call.record.caller = in.from;
  call.record.received = std::chrono::system_clock::now();
  calls_[call.id] = std::move(c);
  legs_[in.leg] = {call.id, Role::kCaller};

  const core::Workflow* w = call.config->FindWorkflow(in.request_uri, HostIsAddress(in.request_uri));
  if (!w) {
    Info(Label(call) + " from " + in.from + " to " + in.request_uri + ": no workflow has this address (404)");
    sip_->Respond(in.leg, 404, "Not Found");
    legs_.erase(in.leg);
    Finish(call, "Rejected", "no workflow at " + in.request_uri);
    return;
  }
  call.workflow = w;
  call.record.workflow = w->guid;
  call.record.workflow_name = w->name;
  if (!w->active) {
    Info(Label(call) + " from " + in.from + " to workflow '" + w->name + "': inactive (480)");
    sip_->Respond(in.leg, 480, "Temporarily Unavailable");
    legs_.erase(in.leg);
    Finish(call, "Rejected", "workflow '" + w->name + "' is inactive");
    return;
  }
  auto offer = ParseSdp(in.sdp);
  auto codec = offer ? ChooseCodec(*offer) : std::nullopt;
  if (!offer || !codec) {
    Info(Label(call) + " from " + in.from + ": no PCMU or PCMA audio offered (488)");
    sip_->Respond(in.leg, 488, "Not Acceptable Here", "", {"Warning: 304 rgsd \"an audio offer with PCMU or PCMA is needed\""});
    legs_.erase(in.leg);
    Finish(call, "Failed", "no PCMU or PCMA audio in the offer");
    return;
  }
  call.offer = *offer;
  call.codec = *codec;

  // Reference 3.1-3.2: the schedule in the workflow's time zone; holiday wins over after-hours.
  auto zone = call.config->zones.count(w->guid) ? call.config->zones.at(w->guid) : std::string("UTC");
  auto local = tz::ToLocal(zone, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  core::ScheduleDecision d;
  if (local.ok()) {
    std::vector<const core::HolidaySet*> sets;
    for (const auto& g : w->holiday_sets) sets.push_back(Snapshot::Get(call.config->holiday_sets, g));
    d = core::DecideSchedule(w->business_hours.empty() ? nullptr : Snapshot::Get(call.config->hours, w->business_hours),
                             sets, *local);
  } else {
    Warning("workflow '" + w->name + "': time zone " + zone + ": " + local.status().message() + "; taken as open");
  }
  Info(Label(call) + " from " + in.from + " to workflow '" + w->name + "': " + std::string(core::Name(d.state)) +
       (d.holiday ? " (" + d.holiday->name + ")" : ""));
  switch (d.state) {
    case core::ScheduleState::kHoliday: RunAction(call, w->holiday_action, "Holiday"); break;
    case core::ScheduleState::kAfterHours: RunAction(call, w->non_business_hours_action, "AfterHours"); break;
    case core::ScheduleState::kOpen: RunAction(call, w->default_action, "Welcome"); break;
  }
}

void Acd::RunAction(Call& c, const std::optional<core::CallAction>& action, const std::string& purpose) {
  if (!action) {
    // Reference 3.1.4: a condition without its action ends the call.
    Finish(c, "Terminated", purpose + " action not set");
    return;
  }
  if (++c.depth > 16) {
    Finish(c, "Terminated", "more than 16 transfers between queues");
    return;
  }
  switch (action->action) {
    case core::ActionKind::kTerminate:
      Finish(c, "Terminated", purpose + " action: terminate");
      return;
    case core::ActionKind::kTransferToQueue:
      EnterQueue(c, action->queue);
      return;
    case core::ActionKind::kTransferToQuestion:
      Warning(Label(c) + ": workflow '" + c.workflow->name + "' asks questions, which rgsd does not play yet; call ended");
      Finish(c, "Terminated", "interactive questions are not served yet");
      return;
    case core::ActionKind::kTransferToUri:
    case core::ActionKind::kTransferToVoiceMailUri:
    case core::ActionKind::kTransferToPstn:
      Transfer(c, action->uri);
      return;
  }
}

// Reference 3.4: overflow on arrival, then the agent groups in order.
void Acd::EnterQueue(Call& c, const std::string& guid) {
  const core::Queue* q = Snapshot::Get(c.config->queues, guid);
  if (!q) {
    Finish(c, "Terminated", "the target queue " + guid + " does not exist");
    return;
  }
  bool any_agent = false;
  for (const auto& g : q->agent_groups) {
    const core::AgentGroup* group = Snapshot::Get(c.config->groups, g);
    any_agent = any_agent || (group && !group->agents.empty());
  }
  auto now = Clock::now();
  c.visit = QueueVisit{};
  c.visit->queue = q->guid;
  c.visit->queue_name = q->name;
  c.visit->entered = std::chrono::system_clock::now();
  if (!any_agent) {
    EndVisit(c, "Disconnected", "NoAgents");
    Finish(c, "Terminated", "queue '" + q->name + "' has no agents");
    return;
  }
  auto& waiting = waiting_[q->guid];
  if (q->overflow_threshold && static_cast<int>(waiting.size()) >= *q->overflow_threshold) {
    if (q->overflow_candidate == core::OverflowCandidate::kNewestCall || waiting.empty()) {
      Info(Label(c) + ": queue '" + q->name + "' holds " + std::to_string(waiting.size()) + " call(s): overflow");
      EndVisit(c, "Transferred", "Overflow");
      RunAction(c, q->overflow_action, "Overflow");
      return;
    }
    Call& oldest = *waiting.front();
    Info(Label(oldest) + ": queue '" + q->name + "' is full; the oldest call overflows");
    LeaveQueue(oldest);
    EndVisit(oldest, "Transferred", "Overflow");
    RunAction(oldest, q->overflow_action, "Overflow");
  }
  if (!c.answered) {
    if (answer_delay_ == 0) {
      if (!AnswerCaller(c)) return;
    } else if (!c.answer) {
      // sip.answer_delay: the caller hears ringing while agents ring; rgsd answers (and the
      // caller hears the waiting tone) only if nobody has answered when the delay is over.
      sip_->Respond(c.caller, 180, "Ringing");
      c.answer = std::make_unique<boost::asio::steady_timer>(io_, std::chrono::seconds(answer_delay_));
      uint64_t id = c.id;
      c.answer->async_wait([this, id](const boost::system::error_code& ec) {
        if (!ec) OnAnswerDelay(id);
      });
    }
  }
  c.state = State::kWaiting;
  c.queue = q;
  c.group_index = 0;
  c.group = nullptr;
  c.timed_out = false;
  if (!c.first_queued) c.first_queued = now;
  c.pos = waiting.insert(waiting.end(), &c);
  c.arrival = next_arrival_++;
  c.tried.clear();
  Info(Label(c) + ": waiting in queue '" + q->name + "' (" + std::to_string(waiting.size()) + " waiting)");
  if (q->timeout_threshold) {
    c.timeout = std::make_unique<boost::asio::steady_timer>(io_, std::chrono::seconds(*q->timeout_threshold));
    uint64_t id = c.id;
    c.timeout->async_wait([this, id](const boost::system::error_code& ec) {
      if (!ec) OnTimeout(id);
    });
  }
  TryOffer(c);
}

void Acd::OnAnswerDelay(uint64_t id) {
  auto it = calls_.find(id);
  if (it == calls_.end() || it->second->answered || it->second->state != State::kWaiting) return;
  AnswerCaller(*it->second);
}

bool Acd::AnswerCaller(Call& c) {
  c.rtp_port = rtp_.Open(c.id, c.offer, c.codec);
  if (!c.rtp_port) {
    Warning(Label(c) + ": no free RTP port in the configured range (503)");
    sip_->Respond(c.caller, 503, "Service Unavailable", "", {"Retry-After: " + std::to_string(retry_after_)});
    legs_.erase(c.caller);
    Finish(c, "Failed", "no free RTP port");
    return false;
  }
  sip_->Respond(c.caller, 200, "OK",
                AnswerSdp(rtp_.address(), c.rtp_port, c.codec, c.offer.telephone_event, c.session, c.sdp_version));
  c.answered = true;
  return true;
}

// ---- offers (reference 3.5-3.7) ----------------------------------------------------------------

core::AgentView Acd::View(const std::string& aor, const core::AgentGroup& g, const Call* c, Clock::time_point now) {
  core::AgentView v;
  v.uri = aor;
  auto it = agents_.find(aor);
  if (it == agents_.end()) {
    v.registered = false;
    v.signed_in = false;
    return v;
  }
  const Agent& a = it->second;
  v.registered = a.registered(now) && now >= a.unreachable_until;
  v.signed_in = a.signed_in.count(g.guid) > 0;
  v.presence = a.presence;
  // An agent being offered another call is not offered a second one, except by Attendant groups.
  bool ringing_other = false;
  for (uint64_t id : a.ringing)
    if (!c || id != c->id) ringing_other = true;
  v.in_call = a.calls > 0;
  v.ringing = ringing_other;
  v.idle_seconds = std::chrono::duration<double>(now - a.idle_since).count();
  if (c) {
    auto d = c->declined.find(aor);
    if (d != c->declined.end()) v.declined_seconds_ago = std::chrono::duration<double>(now - d->second).count();
  }
  return v;
}

double Acd::Seconds(Clock::time_point t) const { return std::chrono::duration<double>(t - epoch_).count(); }

// Whether agent `aor` could be offered a call of group `g` now, whatever the call.
bool Acd::Available(const std::string& aor, const core::AgentGroup& g, Clock::time_point now) {
  core::AgentView v = View(aor, g, nullptr, now);
  return core::Eligibility(v, g.participation_policy, g.routing_method, 0) == core::Ineligible::kNone;
}

// An agent's state changed: the indexes of every group listing it, in every configuration calls
// still use, follow.
void Acd::Touch(const std::string& aor) {
  auto now = Clock::now();
  auto a = agents_.find(aor);
  double idle = a == agents_.end() ? 0 : Seconds(a->second.idle_since);
  for (const auto& rt : runtimes_) {
    auto it = rt->snap->groups_of_agent.find(aor);
    if (it == rt->snap->groups_of_agent.end()) continue;
    for (const auto& [guid, pos] : it->second) {
      const core::AgentGroup* g = Snapshot::Get(rt->snap->groups, guid);
      if (g) rt->groups[guid].Update(pos, Available(aor, *g, now), idle);
    }
  }
}

bool Acd::Declined(const Call& c, const std::string& aor, Clock::time_point now) const {
  auto d = c.declined.find(aor);
  return d != c.declined.end() &&
         now - d->second < std::chrono::seconds(c.config->settings.agent_ringback_grace_period);
}

void Acd::SyncIdle(Call& c) {
  bool idle = c.state == State::kWaiting && c.offers.empty();
  if (idle == c.idle) return;
  auto& set = idle_[c.queue->guid];
  if (idle) set.Add(c.arrival, c.id);
  else set.Remove(c.arrival, c.id);
  c.idle = idle;
}

// Offers the call in the current group, else the next one (AgentGroupIDList order with
// wrap-around) that has an agent who can take it. false when no group has one: the call waits
// for an agent to come free. The indexes answer in O(log n); no group is scanned.
bool Acd::TryOffer(Call& c) {
  if (c.state != State::kWaiting || !c.offers.empty()) return true;
  const auto& ids = c.queue->agent_groups;
  auto now = Clock::now();
  for (size_t k = 0; k < ids.size(); ++k) {
    const std::string& guid = ids[c.group_index % ids.size()];
    const core::AgentGroup* g = Snapshot::Get(c.config->groups, guid);
    auto idx = c.rt->groups.find(guid);
    if (g && idx != c.rt->groups.end() && idx->second.available_count() > 0) {
      auto skip = [&](size_t i) {
        return c.tried.count(i) > 0 || Declined(c, NormalizeAddress(g->agents[i]), now);
      };
      c.group = g;
      c.simultaneous = g->routing_method == core::RoutingMethod::kParallel ||
                       g->routing_method == core::RoutingMethod::kAttendant;
      if (c.simultaneous) {
        std::vector<size_t> all = idx->second.All(skip);
        if (!all.empty()) {
          for (size_t i : all) OfferTo(c, i);
          StartAlert(c);
          return true;
        }
      } else {
        long i = idx->second.Next(round_robin_[guid], skip);
        if (i >= 0) {
          c.tried.insert(static_cast<size_t>(i));
          OfferTo(c, static_cast<size_t>(i));
          StartAlert(c);
          return true;
        }
      }
    }
    // Nobody (more) in this group: the next group, a new pass.
    c.group_index = (c.group_index + 1) % ids.size();
    c.tried.clear();
  }
  c.group = nullptr;
  SyncIdle(c);
  return false;
}

void Acd::StartAlert(Call& c) {
  SyncIdle(c);
  c.alert = std::make_unique<boost::asio::steady_timer>(io_, std::chrono::seconds(c.group->agent_alert_time));
  uint64_t id = c.id;
  c.alert->async_wait([this, id](const boost::system::error_code& ec) {
    if (!ec) OnAlert(id);
  });
}

void Acd::OfferTo(Call& c, size_t index) {
  const std::string aor = NormalizeAddress(c.group->agents[index]);
  Agent& a = AgentAt(aor);
  if (c.group->routing_method == core::RoutingMethod::kRoundRobin)
    round_robin_[c.group->guid] = (index + 1) % c.group->agents.size();
  sip::LegId leg = sip_->NewLegId();
  legs_[leg] = {c.id, Role::kOffer};
  c.offers[leg] = aor;
  a.ringing.insert(c.id);
  Touch(aor);
  sip::Outgoing out;
  out.target = a.contact;
  out.to = aor;
  const core::Workflow& w = *c.workflow;
  // The agent sees the caller. (An anonymous workflow hides the agent from the caller, which
  // rgsd's re-INVITE does for every workflow: the caller only ever talks SIP with rgsd.)
  out.from = c.from;
  out.from_display = c.from_display;
  out.sdp = c.offer_sdp;
  out.headers = {"Subject: " + w.name, "X-RGS-Workflow: " + w.name, "X-RGS-Queue: " + c.queue->name};
  if (!c.config->settings.disable_call_context)
    out.headers.push_back("X-RGS-Wait: " + std::to_string(c.first_queued ? Millis(Clock::now() - *c.first_queued) / 1000 : 0));
  c.visit->offers.push_back({aor, std::chrono::system_clock::now(), "Offered"});
  if (Logging(LogLevel::kInfo))
    Info(Label(c) + ": offered to " + aor + " (group '" + c.group->name + "', " + std::string(core::Name(c.group->routing_method)) + ")");
  sip_->Invite(leg, out);
}

void Acd::SetOfferResult(Call& c, const std::string& aor, const std::string& result) {
  if (!c.visit) return;
  for (auto it = c.visit->offers.rbegin(); it != c.visit->offers.rend(); ++it)
    if (it->agent == aor && it->result == "Offered") {
      it->result = result;
      return;
    }
}

// Ends every offer of the call; the agents are free again (the caller dispatches them).
std::vector<std::string> Acd::CancelOffers(Call& c, const std::string& result) {
  auto offers = std::move(c.offers);
  c.offers.clear();
  std::vector<std::string> freed;
  for (const auto& [leg, aor] : offers) {
    sip_->Hangup(leg);
    legs_.erase(leg);
    auto it = agents_.find(aor);
    if (it != agents_.end()) it->second.ringing.erase(c.id);
    Touch(aor);
    SetOfferResult(c, aor, result);
    freed.push_back(aor);
  }
  if (c.alert) c.alert->cancel();
  return freed;
}

void Acd::OnAlert(uint64_t id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  Call& c = *it->second;
  if (c.state != State::kWaiting) return;
  std::vector<std::string> freed = CancelOffers(c, "NoAnswer");
  NextOffer(c);
  for (const auto& aor : freed) AgentFree(aor);
}

// The ringing offer ended unanswered: the timeout if it is due, else the next agent of the
// group (one-at-a-time methods) or the next group (Parallel, Attendant).
void Acd::NextOffer(Call& c) {
  if (c.state != State::kWaiting) return;
  if (c.alert) c.alert->cancel();
  if (c.timed_out) {
    ApplyTimeout(c);
    return;
  }
  if (c.simultaneous && !c.queue->agent_groups.empty()) {
    c.group_index = (c.group_index + 1) % c.queue->agent_groups.size();
    c.tried.clear();
  }
  c.group = nullptr;
  TryOffer(c);
}

void Acd::OnTimeout(uint64_t id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  Call& c = *it->second;
  if (c.state != State::kWaiting) return;
  // Reference 3.4 [3P]: a call ringing an agent is not cut off; the timeout runs when the offer ends.
  if (!c.offers.empty()) {
    c.timed_out = true;
    return;
  }
  ApplyTimeout(c);
}

void Acd::ApplyTimeout(Call& c) {
  const core::Queue* q = c.queue;
  Info(Label(c) + ": timeout in queue '" + q->name + "' after " + std::to_string(*q->timeout_threshold) + " s");
  LeaveQueue(c);
  EndVisit(c, "Transferred", "Timeout");
  RunAction(c, q->timeout_action, "Timeout");
}

void Acd::LeaveQueue(Call& c) {
  if (c.state != State::kWaiting) return;
  std::vector<std::string> freed = CancelOffers(c, "Cancelled");
  if (c.timeout) c.timeout->cancel();
  waiting_[c.queue->guid].erase(c.pos);
  c.state = State::kEntering;
  SyncIdle(c);
  for (const auto& aor : freed) AgentFree(aor);
}

void Acd::EndVisit(Call& c, const std::string& outcome, const std::string& reason, const std::string& agent) {
  if (!c.visit) return;
  c.visit->left = std::chrono::system_clock::now();
  c.visit->outcome = outcome;
  c.visit->reason = reason;
  c.visit->agent = agent;
  c.visit->wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(c.visit->left - c.visit->entered).count();
  c.record.visits.push_back(std::move(*c.visit));
  c.visit.reset();
}

// ---- SIP results ------------------------------------------------------------------------------

void Acd::OnRinging(sip::LegId) {}

void Acd::OnAnswered(sip::LegId leg, const std::string& sdp) {
  Role role;
  Call* cp = CallOf(leg, &role);
  if (!cp) {
    sip_->Hangup(leg);   // an offer answered after the call went away
    return;
  }
  Call& c = *cp;
  if (role == Role::kCaller) {
    if (c.state == State::kConnecting) {
      c.state = State::kConnected;
      c.record.answered = std::chrono::system_clock::now();
      Info(Label(c) + ": connected to " + c.agent);
    }
    return;
  }
  if (leg == c.agent_leg) return;   // the agent's answer to a relayed re-INVITE
  if (c.state != State::kWaiting || !c.offers.count(leg)) {
    sip_->Hangup(leg);
    legs_.erase(leg);
    return;
  }
  std::string aor = c.offers[leg];
  c.offers.erase(leg);
  AgentAt(aor).ringing.erase(c.id);
  SetOfferResult(c, aor, "Answered");
  std::vector<std::string> freed = CancelOffers(c, "Cancelled");
  if (c.timeout) c.timeout->cancel();
  waiting_[c.queue->guid].erase(c.pos);
  Agent& a = AgentAt(aor);
  a.calls++;
  Touch(aor);
  c.agent_leg = leg;
  c.agent = aor;
  c.agent_sdp = sdp;
  c.state = State::kConnecting;
  SyncIdle(c);
  c.record.agent = aor;
  c.record.wait_ms = c.first_queued ? Millis(Clock::now() - *c.first_queued) : 0;
  EndVisit(c, "Answered", "", aor);
  rtp_.Close(c.id);
  c.rtp_port = 0;
  if (!c.answered) {
    // Not answered yet (sip.answer_delay): the caller is answered with the agent's session.
    if (c.answer) c.answer->cancel();
    sip_->Respond(c.caller, 200, "OK", WithOrigin(sdp, rtp_.address(), c.session, c.sdp_version));
    c.answered = true;
    c.state = State::kConnected;
    c.record.answered = std::chrono::system_clock::now();
    Info(Label(c) + ": answered by " + aor + "; connected");
    for (const auto& other : freed) AgentFree(other);
    Dispatch(c.queue->guid);
    return;
  }
  Info(Label(c) + ": answered by " + aor + "; connecting the caller");
  // RFC 3725: the caller gets the agent's session description, under rgsd's origin.
  sip_->ReInvite(c.caller, WithOrigin(sdp, rtp_.address(), c.session, ++c.sdp_version));
  for (const auto& other : freed) AgentFree(other);
  Dispatch(c.queue->guid);
}

void Acd::OnFailed(sip::LegId leg, int status, const std::string& phrase) {
  Role role;
  Call* cp = CallOf(leg, &role);
  if (!cp) return;
  Call& c = *cp;
  if (role == Role::kCaller || leg == c.agent_leg) {
    if (c.state == State::kConnecting && role == Role::kCaller && (status == 491 || status == 500 || status == 503) &&
        c.reinvite_tries < 3) {
      // The caller's ACK of rgsd's 200 has not arrived yet, or requests crossed (RFC 3261
      // 14.1): the re-INVITE is tried again shortly.
      ++c.reinvite_tries;
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(100 * c.reinvite_tries));
      uint64_t id = c.id;
      timer->async_wait([this, id, timer](const boost::system::error_code& ec) {
        auto ci = calls_.find(id);
        if (ec || ci == calls_.end() || ci->second->state != State::kConnecting) return;
        Call& call = *ci->second;
        sip_->ReInvite(call.caller, WithOrigin(call.agent_sdp, rtp_.address(), call.session, ++call.sdp_version));
      });
      return;
    }
    if (c.state == State::kConnecting) {
      Warning(Label(c) + ": the re-INVITE connecting the caller failed: " + std::to_string(status) + " " + phrase);
      Finish(c, "Failed", "connecting the caller failed: " + std::to_string(status));
    }
    return;   // a refused re-INVITE on a connected call changes nothing
  }
  legs_.erase(leg);
  auto it = c.offers.find(leg);
  if (it == c.offers.end()) return;
  std::string aor = it->second;
  c.offers.erase(it);
  AgentAt(aor).ringing.erase(c.id);
  std::string result = (IsDecline(status) ? "Declined " : "Failed ") + std::to_string(status);
  SetOfferResult(c, aor, result);
  Info(Label(c) + ": " + aor + " " + (IsDecline(status) ? "declined" : "failed") + " (" + std::to_string(status) + " " + phrase + ")");
  if (!IsDecline(status) && (status == 408 || status == 503 || status >= 900)) {
    // The contact did not answer at all (a local timeout or transport error): the agent is taken
    // as offline for kUnreachable, or until it registers again.
    AgentAt(aor).unreachable_until = Clock::now() + kUnreachable;
    Touch(aor);
    Warning("agent " + aor + " unreachable at its registered contact; not offered calls for " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kUnreachable).count()) + " s");
  }
  if (c.state == State::kWaiting) {
    // Reference 3.7: not offered this call again until the ringback grace period has passed. A
    // failed offer counts as a decline, so that a failing agent is never offered in a loop.
    c.declined[aor] = Clock::now();
    auto timer = std::make_shared<boost::asio::steady_timer>(
        io_, std::chrono::seconds(c.config->settings.agent_ringback_grace_period));
    uint64_t id = c.id;
    timer->async_wait([this, id, timer](const boost::system::error_code& ec) {
      if (ec) return;
      auto ci = calls_.find(id);
      if (ci != calls_.end() && ci->second->state == State::kWaiting) Dispatch(ci->second->queue->guid);
    });
  }
  if (c.state == State::kWaiting && c.offers.empty()) NextOffer(c);
  AgentFree(aor);
}

void Acd::OnEnded(sip::LegId leg, const std::string& why) {
  Role role;
  Call* cp = CallOf(leg, &role);
  if (!cp) return;
  Call& c = *cp;
  legs_.erase(leg);
  if (role == Role::kCaller) {
    switch (c.state) {
      case State::kWaiting:
        Info(Label(c) + ": the caller hung up while waiting (" + why + ")");
        LeaveQueue(c);
        EndVisit(c, "Abandoned", "");
        c.record.wait_ms = c.first_queued ? Millis(Clock::now() - *c.first_queued) : 0;
        Finish(c, "Abandoned", "the caller hung up while waiting");
        return;
      case State::kConnecting:
      case State::kConnected:
        Info(Label(c) + ": the caller hung up (" + why + ")");
        Finish(c, "Answered", "the caller hung up");
        return;
      case State::kTransferring:
        Finish(c, "Transferred", c.record.detail);
        return;
      case State::kEntering:
        Finish(c, "Abandoned", "the caller hung up (" + why + ")");
        return;
    }
    return;
  }
  if (leg == c.agent_leg) {
    Info(Label(c) + ": " + c.agent + " hung up (" + why + ")");
    Finish(c, c.state == State::kConnected ? "Answered" : "Failed", "the agent hung up");
    return;
  }
  // An offer that ended without a final response (a transport failure).
  auto it = c.offers.find(leg);
  if (it == c.offers.end()) return;
  std::string aor = it->second;
  c.offers.erase(it);
  AgentAt(aor).ringing.erase(c.id);
  SetOfferResult(c, aor, "Failed");
  c.declined[aor] = Clock::now();
  AgentAt(aor).unreachable_until = Clock::now() + kUnreachable;
  if (c.state == State::kWaiting && c.offers.empty()) NextOffer(c);
  AgentFree(aor);
}

void Acd::OnReInvite(sip::LegId leg, const std::string& sdp) {
  Role role;
  Call* cp = CallOf(leg, &role);
  if (!cp) {
    sip_->AnswerReInvite(leg, 481, "");
    return;
  }
  Call& c = *cp;
  if (c.state == State::kConnected && leg == c.agent_leg) {
    // Hold and resume from the agent: the caller's media follows. Answered locally with the
    // caller's first offer, which the agent already has.
    sip_->ReInvite(c.caller, WithOrigin(sdp, rtp_.address(), c.session, ++c.sdp_version));
    sip_->AnswerReInvite(leg, 200, c.offer_sdp);
    return;
  }
  if (c.state == State::kConnected && role == Role::kCaller) {
    sip_->AnswerReInvite(leg, 200, WithOrigin(c.agent_sdp, rtp_.address(), c.session, c.sdp_version));
    return;
  }
  if (role == Role::kCaller && c.rtp_port) {
    // A session refresh while waiting: the same answer again.
    sip_->AnswerReInvite(leg, 200, AnswerSdp(rtp_.address(), c.rtp_port, c.codec, c.offer.telephone_event, c.session, c.sdp_version));
    return;
  }
  sip_->AnswerReInvite(leg, 491, "");
}

void Acd::OnReferred(sip::LegId leg, int status) {
  Role role;
  Call* cp = CallOf(leg, &role);
  if (!cp || role != Role::kCaller) return;
  Call& c = *cp;
  if (status >= 300) c.record.detail += " (REFER refused: " + std::to_string(status) + ")";
  Finish(c, status < 300 ? "Transferred" : "Failed", c.record.detail);
}

// ---- leaving ----------------------------------------------------------------------------------

// Callers rgsd has not answered are redirected (302 with the target as Contact); answered ones
// (waiting in a queue) are sent a REFER and hung up once it is answered.
void Acd::Transfer(Call& c, const std::string& uri) {
  Info(Label(c) + ": transferred to " + uri);
  c.record.detail = "transferred to " + uri;
  if (!c.answered) {
    sip_->Respond(c.caller, 302, "Moved Temporarily", "", {"Contact: <" + uri + ">"});
    legs_.erase(c.caller);
    Finish(c, "Transferred", c.record.detail);
    return;
  }
  rtp_.Close(c.id);
  c.rtp_port = 0;
  c.state = State::kTransferring;
  sip_->Refer(c.caller, uri);
}

void Acd::Finish(Call& c, const std::string& outcome, const std::string& detail) {
  if (c.state == State::kWaiting) {
    LeaveQueue(c);
    EndVisit(c, outcome == "Answered" ? "Answered" : "Abandoned", "");
  }
  if (legs_.count(c.caller)) {
    sip_->Hangup(c.caller, 480);
    legs_.erase(c.caller);
  }
  if (c.agent_leg) {
    if (legs_.count(c.agent_leg)) sip_->Hangup(c.agent_leg);
    legs_.erase(c.agent_leg);
    Agent& a = AgentAt(c.agent);
    if (a.calls > 0) a.calls--;
    a.idle_since = Clock::now();
    c.agent_leg = 0;
    AgentFree(c.agent);
  }
  c.record.outcome = outcome;
  c.record.detail = detail;
  c.record.ended = std::chrono::system_clock::now();
  if (Logging(LogLevel::kDebug) || outcome != "Answered")
    Info(Label(c) + ": ended: " + outcome + (detail.empty() ? "" : " (" + detail + ")"));
  Destroy(c.id);
}

void Acd::Destroy(uint64_t id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  Call& c = *it->second;
  if (c.idle) idle_[c.queue->guid].Remove(c.arrival, c.id);
  if (c.alert) c.alert->cancel();
  if (c.timeout) c.timeout->cancel();
  if (c.answer) c.answer->cancel();
  rtp_.Close(id);
  if (record_) record_(std::move(c.record));
  calls_.erase(it);
}

void Acd::Stop() {
  std::vector<uint64_t> ids;
  for (const auto& [id, c] : calls_) ids.push_back(id);
  for (uint64_t id : ids) {
    auto it = calls_.find(id);
    if (it == calls_.end()) continue;
    Call& c = *it->second;
    bool connected = c.state == State::kConnected || c.state == State::kConnecting;
    if (c.state == State::kWaiting) {
      LeaveQueue(c);
      EndVisit(c, "Abandoned", "Shutdown");
    }
    Finish(c, connected ? "Answered" : "Terminated", "rgsd stopped");
  }
}

// ---- dispatch ---------------------------------------------------------------------------------

void Acd::AgentFree(const std::string& aor) {
  Touch(aor);
  DispatchAgent(aor);
}

void Acd::DispatchAgent(const std::string& aor) {
  auto it = snapshot_->groups_of_agent.find(aor);
  if (it == snapshot_->groups_of_agent.end()) return;
  for (const auto& [g, pos] : it->second) {
    auto q = snapshot_->queues_of_group.find(g);
    if (q == snapshot_->queues_of_group.end()) continue;
    for (const auto& guid : q->second) Dispatch(guid);
  }
}

// Offers waiting calls that ring nobody, oldest first, until one finds no agent to offer it to.
void Acd::Dispatch(const std::string& queue_guid) {
  auto it = idle_.find(queue_guid);
  if (it == idle_.end()) return;
  while (!it->second.empty()) {
    auto ci = calls_.find(it->second.begin()->second);
    if (ci == calls_.end()) {
      it->second.Remove(it->second.begin()->first, it->second.begin()->second);
      continue;
    }
    if (!TryOffer(*ci->second) || ci->second->idle) break;
  }
}

// ---- control ----------------------------------------------------------------------------------

namespace {
std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

Status Acd::SignIn(const std::string& agent, const std::string& group, bool signed_in) {
  const core::AgentGroup* g = nullptr;
  for (const auto& [guid, grp] : snapshot_->groups)
    if (Lower(grp.name) == Lower(group) || guid == Lower(group)) g = &grp;
  if (!g) return NotFound("agent group '" + group + "' does not exist");
  std::string aor = NormalizeAddress(agent);
  bool member = false;
  for (const auto& a : g->agents) member = member || NormalizeAddress(a) == aor;
  if (!member) return NotFound(agent + " is not an agent of group '" + g->name + "'");
  if (g->participation_policy != core::ParticipationPolicy::kFormal)
    return Invalid("group '" + g->name + "' is informal: its agents are signed in whenever they are registered");
  Agent& a = AgentAt(aor);
  bool was = a.signed_in.count(g->guid) > 0;
  if (signed_in) a.signed_in.insert(g->guid);
  else a.signed_in.erase(g->guid);
  if (was != signed_in) {
    Info("agent " + aor + (signed_in ? " signed in to '" : " signed out of '") + g->name + "'");
    AgentFree(aor);
  }
  return Status::Ok();
}

Result<Json> Acd::AgentStates(const std::string& agent, const std::string& group) {
  std::vector<const core::AgentGroup*> groups;
  for (const auto& [guid, g] : snapshot_->groups)
    if (group.empty() || Lower(g.name) == Lower(group) || guid == Lower(group)) groups.push_back(&g);
  if (!group.empty() && groups.empty()) return NotFound("agent group '" + group + "' does not exist");
  std::sort(groups.begin(), groups.end(), [](auto* a, auto* b) { return Lower(a->name) < Lower(b->name); });
  std::string want = agent.empty() ? "" : NormalizeAddress(agent);
  Json out = Json::array();
  auto now = Clock::now();
  for (const auto* g : groups) {
    for (const auto& uri : g->agents) {
      std::string aor = NormalizeAddress(uri);
      if (!want.empty() && aor != want) continue;
      core::AgentView v = View(aor, *g, nullptr, now);
      auto a = agents_.find(aor);
      bool ringing = a != agents_.end() && !a->second.ringing.empty();
      core::Ineligible why = core::Eligibility(v, g->participation_policy, g->routing_method,
                                               snapshot_->settings.agent_ringback_grace_period);
      Json j;
      j["Agent"] = uri;
      j["AgentGroup"] = g->name;
      j["ParticipationPolicy"] = std::string(core::Name(g->participation_policy));
      j["Registered"] = v.registered;
      j["Contact"] = a != agents_.end() && v.registered ? Json(a->second.contact) : Json();
      j["Presence"] = v.registered ? std::string(core::Name(v.presence)) : "offline";
      j["SignedIn"] = g->participation_policy == core::ParticipationPolicy::kInformal ? v.registered : v.signed_in;
      j["InCall"] = a != agents_.end() && a->second.calls > 0;
      j["Ringing"] = ringing;
      j["CanTakeCall"] = why == core::Ineligible::kNone;
      j["Reason"] = why == core::Ineligible::kNone ? Json() : Json(std::string(core::Describe(why)));
      out.push_back(std::move(j));
    }
  }
  if (!want.empty() && out.empty()) return NotFound(agent + " is not an agent of " + (group.empty() ? "any group" : "group '" + group + "'"));
  return out;
}

Json Acd::QueueStates() {
  Json out = Json::array();
  auto now = Clock::now();
  std::vector<const core::Queue*> queues;
  for (const auto& [guid, q] : snapshot_->queues) queues.push_back(&q);
  std::sort(queues.begin(), queues.end(), [](auto* a, auto* b) { return Lower(a->name) < Lower(b->name); });
  for (const auto* q : queues) {
    auto it = waiting_.find(q->guid);
    size_t waiting = 0, ringing = 0;
    long long longest = 0;
    if (it != waiting_.end()) {
      waiting = it->second.size();
      for (const Call* c : it->second) {
        ringing += !c->offers.empty();
        if (c->first_queued) longest = std::max(longest, Millis(now - *c->first_queued));
      }
    }
    out.push_back({{"Queue", q->name}, {"Waiting", waiting}, {"Ringing", ringing}, {"LongestWaitSeconds", longest / 1000.0}});
  }
  return out;
}

}  // namespace rgs::daemon
