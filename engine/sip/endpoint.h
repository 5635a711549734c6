// The SIP edge of rgsd, in value types: what arrives (Events) and what rgsd asks for (SipEndpoint).
// Nothing here names sofia-sip; engine/sip/sofia.cc is the only implementation, and it and
// engine/sip/checks.h (its checks of requests) are the only files that include sofia-sip headers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/call_flow.h"
#include "core/digest.h"

namespace rgs::sip {

// A leg is one dialog (or dialog attempt) of rgsd with one party. Ids are never reused.
using LegId = uint64_t;

struct Registration {
  std::string aor;      // "sip:alice@example.com" (lower-cased host), from To
  std::string contact;  // where to send INVITEs: "sip:alice@127.0.0.1:5080;transport=tcp"
  int expires = 0;      // seconds; 0 removes the binding
  std::string source;   // "udp 127.0.0.1:5080"
};

struct Publication {
  std::string aor;
  std::string presence;  // available, busy, do-not-disturb, away, offline (from PIDF/RPID)
  int expires = 0;       // seconds; 0 withdraws it
};

struct Invite {
  LegId leg = 0;
  std::string request_uri;  // "sip:helpdesk@example.com"
  std::string from;         // the From header's URI
  std::string from_display;
  std::string to;
  std::string call_id;
  std::string sdp;  // the offer ("" when the INVITE had none)
  std::string source;
};

// The call an INVITE makes, as the call flow takes it (rgsd's adapter, the SIP fuzz test).
inline core::CallArrived Arrival(const Invite& in) {
  core::CallArrived e;
  e.leg = in.leg;
  e.request_uri = in.request_uri;
  e.from = in.from;
  e.from_display = in.from_display;
  e.call_id = in.call_id;
  e.sdp = in.sdp;
  e.local_host = core::HostIsAddress(in.request_uri);
  return e;
}

// Called through `post` (rgsd: from its Asio loop), never from inside a sofia callback.
class Events {
 public:
  virtual ~Events() = default;
  // Whether `aor` may register: 0, or the SIP status refusing it (404 not an address rgsd
  // serves, 403 a workflow's). Called synchronously from the stack's callback, on the daemon's
  // thread; it must not call the endpoint.
  virtual int Registrable(const std::string& aor) = 0;
  // Whether a request from an agent's address (REGISTER, PUBLISH; INVITE when
  // EndpointConfig::authenticate_invites) carries that agent's credentials: accept, a 401
  // challenge, or a 403 refusal. Called synchronously like Registrable.
  virtual core::DigestVerdict Authenticate(const core::DigestRequest& request) = 0;
  virtual void OnRegister(const Registration& r) = 0;
  virtual void OnPublish(const Publication& p) = 0;
  virtual void OnInvite(const Invite& invite) = 0;
  // The ACK of rgsd's 2xx to an incoming INVITE arrived: the dialog may carry a re-INVITE now.
  virtual void OnAcked(LegId leg) = 0;
  // The INVITE rgsd sent on `leg` got a 2xx (sdp: the answer) or a final failure.
  virtual void OnAnswered(LegId leg, const std::string& sdp) = 0;
  virtual void OnRinging(LegId leg) = 0;
  virtual void OnFailed(LegId leg, int status, const std::string& phrase) = 0;
  // The other party ended the leg (BYE, CANCEL), or it died (lost: no ACK, a timeout, a
  // transport error).
  virtual void OnEnded(LegId leg, const std::string& why, bool lost) = 0;
  // An in-dialog re-INVITE (sdp: its offer); answer it with AnswerReInvite.
  virtual void OnReInvite(LegId leg, const std::string& sdp) = 0;
  // The final answer to a re-INVITE rgsd sent on an established leg.
  virtual void OnReInviteAnswered(LegId leg, int status, const std::string& sdp) = 0;
  // An in-dialog REFER (RFC 3515) to `target`; answer it with AnswerRefer.
  virtual void OnRefer(LegId leg, const std::string& target) = 0;
  // A REFER rgsd sent was answered.
  virtual void OnReferred(LegId leg, int status) = 0;
  // The final answer to an OPTIONS rgsd sent in the leg's dialog (Probe); 408 when none came.
  virtual void OnProbed(LegId leg, int status) = 0;
  // A key sent in the leg's dialog as SIP INFO (core/dtmf.h; the edge has answered it already).
  virtual void OnKey(LegId leg, char key) = 0;
};

struct Outgoing {
  std::string target;  // request URI (the agent's registered contact)
  std::string to;      // the agent's address
  std::string from;    // the caller as the agent should see them
  std::string from_display;
  std::string sdp;
  std::vector<std::string> headers;  // "Subject: Help desk", "X-RGS-Workflow: ..."
};

// Called from the daemon's loop; the work is carried out by the stack's loop. A call naming a leg
// that has already ended is ignored.
class SipEndpoint {
 public:
  virtual ~SipEndpoint() = default;
  // Answers an INVITE rgsd received (provisional or final). sdp may be empty.
  virtual void Respond(LegId leg, int status, const std::string& phrase, const std::string& sdp = {},
                       const std::vector<std::string>& headers = {}) = 0;
  virtual LegId NewLegId() = 0;
  virtual void Invite(LegId leg, const Outgoing& out) = 0;
  virtual void ReInvite(LegId leg, const std::string& sdp) = 0;
  virtual void AnswerReInvite(LegId leg, int status, const std::string& sdp) = 0;
  virtual void Refer(LegId leg, const std::string& target) = 0;
  // Answers a REFER received on `leg` (202 accepts it, 403 refuses it).
  virtual void AnswerRefer(LegId leg, int status) = 0;
  // Reports the progress of an accepted REFER: NOTIFY with message/sipfrag "SIP/2.0 status".
  virtual void NotifyRefer(LegId leg, int status, bool final) = 0;
  // Sends an OPTIONS in the leg's dialog; the answer comes to Events::OnProbed.
  virtual void Probe(LegId leg) = 0;
  // Ends a leg whatever its state: CANCEL before an answer, BYE after, a final response to an
  // INVITE not yet answered.
  virtual void Hangup(LegId leg, int status_if_unanswered = 480) = 0;
  // Ends every leg and stops; `done` runs through `post` when the stack has shut down.
  virtual void Shutdown(std::function<void()> done) = 0;
};

struct EndpointConfig {
  std::string listen = "sip:127.0.0.1:5071";  // a sofia URL: UDP and TCP on that address
  int max_calls = 5000;                       // INVITEs above this many live legs get 503
  int retry_after = 5;
  // The largest message accepted, in bytes: a larger request is answered 413 from its first
  // 4 KiB (UDP) or its connection is closed (TCP), and is never kept in a transaction.
  int max_message_size = 16384;
  // Where INVITEs without authentication may come from (gateways): addresses or prefixes
  // ("127.0.0.0/8", "::1"); other sources get 403. Empty: no source.
  std::vector<std::string> trusted_peers = {"127.0.0.0/8", "::1"};
  // INVITEs whose From is an agent's address must carry that agent's credentials too.
  bool authenticate_invites = false;
  std::string user_agent = "rgsd";
  int log_level = 0;       // sofia's own log level (0-9)
  int max_expires = 3600;  // the longest registration granted
};

// The stack driven by its caller's loop: Step waits up to max_ms for SIP events and handles
// them (returning the milliseconds to its next timer, or -1 when it has none; 0 also when it did
// work, or when its next timer is less than a millisecond away); after Shutdown, finished() turns
// true once the stack has stopped. WaitDescriptor is a descriptor that turns readable when the
// stack has socket events to handle (-1 when there is none to wait on): a caller may wait on it
// instead of in Step.
class SipLoop : public SipEndpoint {
 public:
  virtual int Step(int max_ms) = 0;
  virtual bool finished() const = 0;
  virtual int WaitDescriptor() const = 0;
};

// Creates the stack in the calling thread, which must then call Step in its loop. `post` runs a
// closure on the daemon's side of that loop. nullptr and `error` set when the stack cannot start
// (an address in use, a malformed listen URL).
std::unique_ptr<SipLoop> StartSofiaHere(const EndpointConfig& config, Events* events,
                                        std::function<void(std::function<void()>)> post, std::string* error);

}  // namespace rgs::sip
