// The call flow's agents: registrations, presence, sign-ins, availability, the dispatch of
// waiting calls to agents who come free, and the queries of rgs get-agentstate and get-queuestate.
#include "core/call_flow.h"

#include "core/call_flow_state.h"

namespace rgs::core {

using namespace flow;

// ---- agents ----------------------------------------------------------------------------------

CallFlow::Agent& CallFlow::AgentAt(const std::string& aor) {
  auto& slot = agents_[aor];
  if (!slot) {
    slot = std::make_unique<Agent>();
    slot->aor = aor;
  }
  return *slot;
}

void CallFlow::Save(const Agent& a) {
  Emit(SaveAgent{a.aor, a.contact, a.registered_until, {a.signed_in.begin(), a.signed_in.end()}});
}

void CallFlow::OnRegistered(const Registered& r, Time now) {
  Agent& a = AgentAt(NormalizeAddress(r.aor));
  bool was = a.registered(now);
  if (r.expires <= 0) {
    a.contact.clear();
    a.registered_until = now;
    Touch(a.aor, now);
    Save(a);
    if (was) Say(LogLevel::kInfo, "agent " + a.aor + " unregistered");
    return;
  }
  bool moved = was && a.contact != r.contact;
  a.contact = r.contact;
  a.registered_until = now + std::chrono::seconds(std::min(r.expires, options_.registration_max));
  a.unreachable_until = {};
  ArmAgent(a.aor, a.registered_until);
  Save(a);
  if (!was || moved) {
    a.idle_since = now;
    Say(LogLevel::kInfo, "agent " + a.aor + " registered at " + r.contact + " for " + std::to_string(r.expires) + " s" +
                             (r.source.empty() ? "" : " (" + r.source + ")"));
    AgentFree(a.aor, now);
  }
}

void CallFlow::OnPresence(const PresenceChanged& p, Time now) {
  Agent& a = AgentAt(NormalizeAddress(p.aor));
  Presence before = a.presence;
  if (p.expires == 0) {
    a.published = false;
    a.presence = Presence::kAvailable;
  } else {
    if (!p.presence.empty())
      if (auto pr = ParsePresence(p.presence)) a.presence = *pr;
    a.published = true;
    a.published_until = now + std::chrono::seconds(p.expires);
    ArmAgent(a.aor, a.published_until);
  }
  if (a.presence == before) return;
  Say(LogLevel::kInfo, "agent " + a.aor + " presence " + std::string(Name(a.presence)));
  if (a.presence == Presence::kAvailable || a.presence == Presence::kInactive) a.idle_since = now;
  AgentFree(a.aor, now);
}

void CallFlow::OnRestored(const AgentRestored& r, Time now) {
  Agent& a = AgentAt(NormalizeAddress(r.aor));
  a.contact = r.contact;
  a.registered_until = r.registered_until;
  if (r.presence) a.presence = *r.presence;
  a.idle_since = r.idle_since;
  a.calls = r.calls;
  a.signed_in = {r.signed_in.begin(), r.signed_in.end()};
  if (!a.contact.empty()) ArmAgent(a.aor, a.registered_until);
  AgentFree(a.aor, now);
}

int CallFlow::Registrable(const std::string& aor) const {
  std::string a = NormalizeAddress(aor);
  if (snapshot_->by_address.count(a)) return 403;
  return snapshot_->groups_of_agent.count(a) ? 0 : 404;
}

Status CallFlow::SignIn(const std::string& agent, const std::string& group, bool signed_in, Time now) {
  const AgentGroup* g = nullptr;
  for (const auto& [guid, grp] : snapshot_->groups)
    if (Lower(grp.name) == Lower(group) || guid == Lower(group)) g = &grp;
  if (!g) return NotFound("agent group '" + group + "' does not exist");
  std::string aor = NormalizeAddress(agent);
  if (!snapshot_->groups_of_agent.count(aor) ||
      std::none_of(g->agents.begin(), g->agents.end(),
                   [&](const std::string& a) { return NormalizeAddress(a) == aor; }))
    return NotFound(agent + " is not an agent of group '" + g->name + "'");
  if (g->participation_policy != ParticipationPolicy::kFormal)
    return Invalid("group '" + g->name + "' is informal: its agents are signed in whenever they are registered");
  Agent& a = AgentAt(aor);
  bool was = a.signed_in.count(g->guid) > 0;
  if (signed_in)
    a.signed_in.insert(g->guid);
  else
    a.signed_in.erase(g->guid);
  if (was != signed_in) {
    Say(LogLevel::kInfo, "agent " + aor + (signed_in ? " signed in to '" : " signed out of '") + g->name + "'");
    Save(a);
    AgentFree(aor, now);
  }
  return Status::Ok();
}

AgentView CallFlow::View(const Agent* a, const AgentGroup& g, const Call* c, Time now) const {
  AgentView v;
  if (!a) {
    v.registered = false;
    v.signed_in = false;
    return v;
  }
  v.uri = a->aor;
  v.registered = a->registered(now) && now >= a->unreachable_until;
  v.signed_in = a->signed_in.count(g.guid) > 0;
  v.presence = a->presence;
  v.in_call = a->calls > 0;
  // An agent being offered another call is not offered a second one (Attendant groups excepted).
  v.ringing = std::any_of(a->ringing.begin(), a->ringing.end(), [&](uint64_t id) { return !c || id != c->id; });
  v.idle_seconds = std::chrono::duration<double>(now - a->idle_since).count();
  if (c) {
    auto d = c->declined.find(a->aor);
    if (d != c->declined.end()) v.declined_seconds_ago = std::chrono::duration<double>(now - d->second).count();
  }
  return v;
}

bool CallFlow::Available(const Agent& a, const AgentGroup& g, Time now) const {
  return Eligibility(View(&a, g, nullptr, now), g.participation_policy, g.routing_method, 0) == Ineligible::kNone;
}

// An agent's state changed: the indexes of the groups listing it follow.
void CallFlow::Touch(const std::string& aor, Time now) {
  auto it = snapshot_->groups_of_agent.find(aor);
  if (it == snapshot_->groups_of_agent.end()) return;
  auto a = agents_.find(aor);
  for (const auto& [guid, pos] : it->second) {
    const AgentGroup* g = Snapshot::Get(snapshot_->groups, guid);
    auto idx = groups_.find(guid);
    if (!g || idx == groups_.end()) continue;
    bool available = a != agents_.end() && Available(*a->second, *g, now);
    idx->second.Update(pos, available, a == agents_.end() ? 0 : Seconds(a->second->idle_since));
  }
}

void CallFlow::AgentFree(const std::string& aor, Time now) {
  Touch(aor, now);
  DispatchAgent(aor, now);
}

void CallFlow::DispatchAgent(const std::string& aor, Time now) {
  auto it = snapshot_->groups_of_agent.find(aor);
  if (it == snapshot_->groups_of_agent.end()) return;
  std::vector<std::string> queues;
  for (const auto& [g, pos] : it->second) {
    auto q = snapshot_->queues_of_group.find(g);
    if (q != snapshot_->queues_of_group.end()) queues.insert(queues.end(), q->second.begin(), q->second.end());
  }
  Dispatch(queues, now);
}

// Offers the waiting calls of `queues` that ring nobody, the longest waiting first whatever their
// queue. A call that finds nobody is passed over for the next one only when its own exclusions
// (agents who declined it) stood in the way; otherwise its queue has nobody free.
void CallFlow::Dispatch(const std::vector<std::string>& queues, Time now) {
  std::set<std::string> open(queues.begin(), queues.end());
  std::map<std::string, std::pair<uint64_t, uint64_t>> tried;  // queue -> the last call tried
  while (!open.empty()) {
    std::optional<std::pair<uint64_t, uint64_t>> oldest;
    std::string from;
    for (auto q = open.begin(); q != open.end();) {
      auto it = idle_.find(*q);
      auto last = tried.find(*q);
      auto next = it == idle_.end()     ? std::set<std::pair<uint64_t, uint64_t>>::iterator{}
                  : last == tried.end() ? it->second.begin()
                                        : it->second.upper_bound(last->second);
      if (it == idle_.end() || next == it->second.end()) {
        q = open.erase(q);
        continue;
      }
      if (!oldest || *next < *oldest) {
        oldest = *next;
        from = *q;
      }
      ++q;
    }
    if (!oldest) return;
    tried[from] = *oldest;
    auto c = calls_.find(oldest->second);
    if (c == calls_.end()) {
      idle_[from].erase(*oldest);
      continue;
    }
    if (TryOffer(*c->second, now) && !c->second->idle) continue;
    const auto& groups = c->second->queue->agent_groups;
    bool anyone = std::any_of(groups.begin(), groups.end(), [&](const std::string& g) {
      auto idx = groups_.find(g);
      return idx != groups_.end() && idx->second.available_count() > 0;
    });
    if (!anyone) open.erase(from);
  }
}

// ---- queries ---------------------------------------------------------------------------------

Result<std::vector<AgentStatus>> CallFlow::AgentStates(const std::string& agent, const std::string& group, Time now,
                                                       uint64_t call) const {
  auto ci = calls_.find(call);
  const Call* c = ci == calls_.end() ? nullptr : ci->second.get();
  std::vector<const AgentGroup*> groups;
  for (const auto& [guid, g] : snapshot_->groups)
    if (group.empty() || Lower(g.name) == Lower(group) || guid == Lower(group)) groups.push_back(&g);
  if (!group.empty() && groups.empty()) return NotFound("agent group '" + group + "' does not exist");
  std::sort(groups.begin(), groups.end(), [](auto* a, auto* b) { return Lower(a->name) < Lower(b->name); });
  std::string want = agent.empty() ? "" : NormalizeAddress(agent);
  std::vector<AgentStatus> out;
  for (const auto* g : groups) {
    for (const auto& uri : g->agents) {
      std::string aor = NormalizeAddress(uri);
      if (!want.empty() && aor != want) continue;
      auto it = agents_.find(aor);
      const Agent* a = it == agents_.end() ? nullptr : it->second.get();
      AgentView v = View(a, *g, c, now);
      AgentStatus s;
      s.agent = uri;
      s.group = g->name;
      s.policy = g->participation_policy;
      s.registered = v.registered;
      s.contact = a && v.registered ? a->contact : "";
      s.presence = v.registered ? v.presence : Presence::kOffline;
      s.signed_in = g->participation_policy == ParticipationPolicy::kInformal ? v.registered : v.signed_in;
      s.in_call = a && a->calls > 0;
      s.ringing = a && !a->ringing.empty();
      s.why =
          Eligibility(v, g->participation_policy, g->routing_method, snapshot_->settings.agent_ringback_grace_period);
      out.push_back(std::move(s));
    }
  }
  if (!want.empty() && out.empty())
    return NotFound(agent + " is not an agent of " + (group.empty() ? "any group" : "group '" + group + "'"));
  return out;
}

std::vector<QueueStatus> CallFlow::QueueStates(Time now) const {
  std::vector<const Queue*> queues;
  for (const auto& [guid, q] : snapshot_->queues) queues.push_back(&q);
  std::sort(queues.begin(), queues.end(), [](auto* a, auto* b) { return Lower(a->name) < Lower(b->name); });
  std::vector<QueueStatus> out;
  for (const auto* q : queues) {
    QueueStatus s;
    s.queue = q->name;
    if (auto it = waiting_.find(q->guid); it != waiting_.end()) {
      s.waiting = it->second.size();
      for (const auto& [arrival, id] : it->second) {
        const Call& c = *calls_.at(id);
        s.ringing += !c.offers.empty();
        if (c.first_queued)
          s.longest_wait_seconds =
              std::max(s.longest_wait_seconds, static_cast<double>(Ms(now - *c.first_queued)) / 1000.0);
      }
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace rgs::core
