// Fuzz target: bytes as one SIP datagram through rgsd's handling of requests, with a fake
// endpoint in place of the stack's transactions. sofia-sip's parser reads it (with the checks its
// transaction layer makes before the dialog layer sees a request); the edge's own checks
// (sip/checks.h, the code sofia.cc runs) accept or refuse it; what passes goes to the call flow
// as rgsd's adapter feeds it (daemon/acd.cc, sip::Arrival), and the flow's commands are carried out by a fake
// endpoint that answers everything, until the flow has nothing left to do.
//
// An INVITE without a To tag is a new call. A request with a To tag (re-INVITE, BYE, CANCEL,
// REFER) belongs to a call already connected to an agent: the leg of the agent it comes From,
// else the caller's.
#include <sofia-sip/msg.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_util.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/call_flow.h"
#include "core/sdp.h"
#include "sip/checks.h"

namespace {

using namespace rgs;
using namespace std::chrono_literals;

const core::Time kNow = core::Time{std::chrono::sys_days{std::chrono::year{2026} / 1 / 5}} + 10h;  // a Monday
const std::vector<std::string> kAgents = {"sip:ann@example.com", "sip:bob@example.com"};

const std::string kCallerSdp =
    "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";
const std::string kAgentSdp =
    "v=0\r\no=agent 2 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
    "m=audio 50000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";

core::CallAction ToQueue(const std::string& queue) {
  core::CallAction a;
  a.action = core::ActionKind::kTransferToQueue;
  a.queue = queue;
  return a;
}

// Help desk: a queue of two agents, ringing in parallel. Sales (inactive) and an address that
// forwards to another one.
std::shared_ptr<const core::Snapshot> Configuration() {
  auto s = std::make_shared<core::Snapshot>();
  s->revision = 1;
  s->pool = "pool.example.com";
  core::AgentGroup& g = s->groups["g"];
  g.guid = "g";
  g.name = "Help desk agents";
  g.routing_method = core::RoutingMethod::kParallel;
  g.agents = kAgents;
  g.agent_alert_time = 20;
  core::Queue& q = s->queues["q"];
  q.guid = "q";
  q.name = "Help desk";
  q.agent_groups = {"g"};
  q.timeout_threshold = 60;
  q.timeout_action = core::CallAction{};  // Terminate
  auto workflow = [&](const std::string& guid, const std::string& uri, bool active,
                      std::optional<core::CallAction> action) {
    core::Workflow& w = s->workflows[guid];
    w.guid = guid;
    w.name = guid;
    w.primary_uri = uri;
    w.active = active;
    w.default_action = std::move(action);
    s->zones[guid] = "UTC";
  };
  workflow("helpdesk", "sip:helpdesk@example.com", true, ToQueue("q"));
  workflow("sales", "sip:sales@example.com", false, ToQueue("q"));
  core::CallAction forward;
  forward.action = core::ActionKind::kTransferToUri;
  forward.uri = "sip:operator@example.com";
  workflow("forward", "sip:forward@example.com", true, forward);
  s->IndexAddresses();
  return s;
}

std::optional<core::LocalMinutes> Utc(const std::string&, core::Time at) {
  return std::chrono::duration_cast<std::chrono::minutes>(at.time_since_epoch()).count();
}

// The fake endpoint: carries out the flow's commands, answering everything at once, for at most
// a bounded number of commands (a flow that never settles is not this target's question).
struct Endpoint {
  core::CallFlow& flow;
  std::string caller_sdp;
  std::vector<core::LegId> agent_legs;

  void Drain(core::Time now) {
    for (int n = 0; n < 1000; ++n) {
      auto command = flow.Next();
      if (!command) return;
      Carry(*command, now);
    }
  }

  void Carry(const core::Command& command, core::Time now) {
    if (auto* a = std::get_if<core::AnswerCaller>(&command)) {
      core::AnswerSdp("127.0.0.1", 30000, a->codec, a->remote.telephone_event, a->session, a->version);
      flow.Handle(core::CallerAcked{a->leg}, now);
    } else if (auto* w = std::get_if<core::AnswerWith>(&command)) {
      flow.Handle(core::CallerAcked{w->leg}, now);
    } else if (auto* o = std::get_if<core::OfferAgent>(&command)) {
      agent_legs.push_back(o->leg);
      flow.Handle(core::OfferRinging{o->leg}, now);
      flow.Handle(core::OfferAnswered{o->leg, kAgentSdp}, now);
    } else if (auto* s = std::get_if<core::SendOffer>(&command)) {
      flow.Handle(core::MediaAnswer{s->leg, 200, caller_sdp}, now);
    } else if (auto* r = std::get_if<core::AnswerOffer>(&command)) {
      if (r->own_media) core::AnswerSdp("127.0.0.1", 30000, 0, r->remote.telephone_event, r->session, r->version);
    } else if (auto* p = std::get_if<core::Play>(&command)) {
      flow.Handle(core::PlayDone{p->call}, now);
    } else if (auto* k = std::get_if<core::Ask>(&command)) {
      flow.Handle(core::PlayDone{k->call}, now);
    } else if (auto* f = std::get_if<core::ReferCaller>(&command)) {
      flow.Handle(core::ReferResult{f->leg, 202}, now);
    }
  }
};

// A call to the help desk, answered and connected to an agent: the dialog in-dialog requests
// belong to. Leg 1 is the caller's.
void ConnectedCall(Endpoint& ep) {
  sip::Invite in;
  in.leg = 1;
  in.request_uri = "sip:helpdesk@example.com";
  in.from = "sip:caller@127.0.0.1";
  in.call_id = "connected@127.0.0.1";
  in.sdp = kCallerSdp;
  ep.flow.Handle(sip::Arrival(in), kNow);
  ep.Drain(kNow);
}

void InDialog(const sip_t* sip, Endpoint& ep, core::Time now) {
  ConnectedCall(ep);
  core::LegId leg = 1;
  if (sip->sip_from && !ep.agent_legs.empty()) {
    std::string uri = sip::UrlString(sip->sip_from->a_url);
    for (const auto& a : kAgents)
      if (core::NormalizeAddress(uri) == a) leg = ep.agent_legs.front();
  }
  switch (sip->sip_request->rq_method) {
    case sip_method_invite: ep.flow.Handle(core::MediaOffer{leg, sip::Payload(sip)}, now); break;
    case sip_method_ack: ep.flow.Handle(core::CallerAcked{leg}, now); break;
    case sip_method_bye:
    case sip_method_cancel:
      ep.flow.Handle(core::LegEnded{leg, sip->sip_request->rq_method == sip_method_bye ? "bye" : "cancel", false}, now);
      break;
    case sip_method_refer:
      if (sip->sip_refer_to) ep.flow.Handle(core::ReferReceived{leg, sip::UrlString(sip->sip_refer_to->r_url)}, now);
      break;
    default: break;
  }
}

void Request(const sip_t* sip, Endpoint& ep, core::Time now) {
  auto registrable = [&ep](const std::string& aor) { return ep.flow.Registrable(aor); };
  bool in_dialog = sip->sip_to && sip->sip_to->a_tag;
  switch (sip->sip_request->rq_method) {
    case sip_method_invite: {
      if (in_dialog) return InDialog(sip, ep, now);
      sip::Invite in;
      if (sip::CheckInvite(sip, &in).status) return;
      in.leg = 2;
      in.source = "udp 127.0.0.1:5062";
      ep.caller_sdp = in.sdp;
      ep.flow.Handle(sip::Arrival(in), now);
      return;
    }
    case sip_method_register: {
      sip::Registration r;
      bool query = false;
      if (sip::CheckRegister(sip, 3600, registrable, &r, &query).status || query) return;
      r.source = "udp 127.0.0.1:5062";
      ep.flow.Handle(core::Registered{r.aor, r.contact, r.source, r.expires}, now);
      return;
    }
    case sip_method_publish: {
      sip::Publication p;
      if (sip::CheckPublish(sip, registrable, &p).status) return;
      ep.flow.Handle(core::PresenceChanged{p.aor, p.presence, p.expires}, now);
      return;
    }
    default:
      if (in_dialog) InDialog(sip, ep, now);
      return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const core::Snapshot> config = Configuration();
  msg_t* msg = msg_make(sip::MessageClass(), 0, data, static_cast<ssize_t>(size));
  if (!msg) return 0;
  const sip_t* sip = sip_object(msg);
  // What sofia's transaction layer answers itself (400) before the dialog layer sees a request.
  if (!sip || !sip->sip_request || msg_has_error(msg) || sip_sanity_check(sip) < 0) {
    msg_destroy(msg);
    return 0;
  }
  core::FlowOptions options;
  options.media = true;
  core::CallFlow flow(options, Utc);
  Endpoint ep{flow, kCallerSdp, {}};
  flow.SetSnapshot(config, kNow);
  for (const auto& a : kAgents)
    flow.Handle(core::Registered{a, a.substr(0, 8) + "127.0.0.1:5080", "udp 127.0.0.1:5080", 3600}, kNow);
  ep.Drain(kNow);
  Request(sip, ep, kNow);
  ep.Drain(kNow);
  // Every timer the call could arm (offers ringing out, the queue's timeout, the ACK's wait).
  for (auto at = kNow; at < kNow + 2h; at += 30s) {
    flow.Expire(at);
    ep.Drain(at);
  }
  flow.Stop(kNow + 2h);
  ep.Drain(kNow + 2h);
  msg_destroy(msg);
  return 0;
}
