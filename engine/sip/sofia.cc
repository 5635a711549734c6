// The SIP edge over sofia-sip's NUA. The su_root is in single-thread mode (nua starts no thread
// of its own) and belongs to the thread that created it: rgsd's main thread, which drives it
// with Step between runs of its Asio handlers. Every nua_* call happens inside the root's own
// turn: the daemon's requests are queued to it with su_msg (never run inside a callback), and
// events come back through `post`. Events carry value copies: sip_t and tag lists are valid only
// inside the callback.
#include <arpa/inet.h>
#include <dirent.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string_view>
#include <unordered_map>

namespace rgs::sip {
class Sofia;
struct Leg;
}  // namespace rgs::sip

#define SU_ROOT_MAGIC_T rgs::sip::Sofia
#define NUA_MAGIC_T rgs::sip::Sofia
#define NUA_HMAGIC_T rgs::sip::Leg
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/url.h>

#include "core/dtmf.h"
#include "sip/checks.h"
#include "sip/endpoint.h"

extern "C" {
extern su_log_t nua_log[];
extern su_log_t nta_log[];
extern su_log_t tport_log[];
}

namespace rgs::sip {

struct Leg {
  LegId id = 0;
  nua_handle_t* nh = nullptr;
  bool incoming = false;
  bool final_sent = false;      // incoming: a final response to the INVITE went out
  bool answered = false;        // a 2xx was sent (incoming) or received (outgoing)
  bool invite_pending = false;  // outgoing: the initial INVITE awaits its final response
  bool cancel_sent = false, bye_sent = false;
  bool reported = false;            // OnFailed or OnEnded has been delivered
  nua_saved_event_t refer[1] = {};  // a REFER received, until the daemon answers it
  bool refer_saved = false;
  std::string refer_event;  // its Event header for the NOTIFYs ("refer;id=CSEQ")
};

namespace {

std::string Source(nua_t* nua) {
  msg_t* msg = nua_current_request(nua);
  if (!msg) return {};
  su_addrinfo_t* ai = msg_addrinfo(msg);
  if (!ai || !ai->ai_addr) return {};
  char host[INET6_ADDRSTRLEN] = "";
  int port = 0;
  if (ai->ai_addr->sa_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(ai->ai_addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    port = ntohs(in->sin_port);
  } else if (ai->ai_addr->sa_family == AF_INET6) {
    auto* in = reinterpret_cast<sockaddr_in6*>(ai->ai_addr);
    inet_ntop(AF_INET6, &in->sin6_addr, host, sizeof host);
    port = ntohs(in->sin6_port);
  }
  const char* proto = ai->ai_protocol == IPPROTO_TCP ? "tcp" : "udp";
  return std::string(proto) + " " + host + ":" + std::to_string(port);
}

std::string SourceHost(const std::string& source) {
  size_t sp = source.find(' ');
  size_t colon = source.rfind(':');
  if (sp == std::string::npos || colon == std::string::npos || colon < sp) return {};
  return source.substr(sp + 1, colon - sp - 1);
}

// Whether `host` (an IPv4 or IPv6 address) is `peer`: an address, or a prefix "ADDRESS/BITS".
bool InPeer(const std::string& host, const std::string& peer) {
  size_t slash = peer.find('/');
  std::string net = peer.substr(0, slash);
  unsigned char a[16], b[16];
  int family = net.find(':') == std::string::npos ? AF_INET : AF_INET6;
  size_t len = family == AF_INET ? 4 : 16;
  if (inet_pton(family, host.c_str(), a) != 1 || inet_pton(family, net.c_str(), b) != 1) return false;
  int bits = slash == std::string::npos ? static_cast<int>(len * 8) : std::atoi(peer.c_str() + slash + 1);
  for (size_t i = 0; i < len && bits > 0; ++i, bits -= 8) {
    unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

// The parameters of the request's first Digest Authorization ("username=\"alice\"", ...).
// Digest itself is decided in the core (core/digest.h), not by sofia-sip's auth module: its
// 1.12.11 release computes MD5 only (no RFC 8760 SHA-256), and its stateful nonce handling
// would sit outside the tested core. libmd gives both hashes there.
std::vector<std::string> DigestParams(const sip_t* sip) {
  std::vector<std::string> out;
  for (const sip_authorization_t* au = sip ? sip->sip_authorization : nullptr; au; au = au->au_next) {
    if (!au->au_scheme || strcasecmp(au->au_scheme, "Digest") != 0) continue;
    for (msg_param_t const* p = au->au_params; p && *p; ++p) out.emplace_back(*p);
    break;
  }
  return out;
}

// The methods rgsd serves; in a caller's dialog INFO too (it carries keys, core/dtmf.h).
constexpr const char* kAllow = "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PUBLISH, REFER, NOTIFY";
const std::string kAllowCaller = std::string(kAllow) + ", INFO";

std::string JoinHeaders(const std::vector<std::string>& headers) {
  std::string s;
  for (const auto& h : headers) {
    if (!s.empty()) s += "\r\n";
    s += h;
  }
  return s;
}

}  // namespace

class Sofia final : public SipLoop {
 public:
  Sofia(const EndpointConfig& config, Events* events, std::function<void(std::function<void()>)> post)
      : config_(config), events_(events), post_(std::move(post)) {}

  ~Sofia() override {
    if (nua_ && !finished_) Fini();
  }

  // In the calling thread, which then drives the stack with Step.
  bool StartHere(std::string* error) {
    *error = Init();
    return error->empty();
  }

  int Step(int max_ms) override {
    if (finished_) return -1;
    su_duration_t next = su_root_step(root_, max_ms);
    if (shut_down_) Fini();
    return static_cast<int>(next);
  }
  bool finished() const override { return finished_; }
  int WaitDescriptor() const override { return wait_fd_; }

  // ---- SipEndpoint: the daemon's requests -----------------------------------------------

  LegId NewLegId() override { return next_leg_++; }

  void Respond(LegId id, int status, const std::string& /*phrase: the standard one is sent*/, const std::string& sdp,
               const std::vector<std::string>& headers) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg || !leg->incoming || leg->final_sent) return;
      if (status >= 200) leg->final_sent = true;
      if (status >= 200 && status < 300) leg->answered = true;
      std::string extra = JoinHeaders(headers);
      // nua keeps the phrase pointer until the message is sent: a static string, never one
      // that dies with this closure.
      const char* static_phrase = sip_status_phrase(status);
      nua_respond(leg->nh, status, static_phrase ? static_phrase : "",
                  TAG_IF(!sdp.empty(), SIPTAG_CONTENT_TYPE_STR("application/sdp")),
                  TAG_IF(!sdp.empty(), SIPTAG_PAYLOAD_STR(sdp.c_str())),
                  TAG_IF(!extra.empty(), SIPTAG_HEADER_STR(extra.c_str())), TAG_END());
    });
  }

  void Invite(LegId id, const Outgoing& out) override {
    Send([=, this] {
      auto* leg = new Leg;
      leg->id = id;
      leg->invite_pending = true;
      std::string from =
          out.from_display.empty() ? "<" + out.from + ">" : "\"" + out.from_display + "\" <" + out.from + ">";
      leg->nh = nua_handle(nua_, leg, SIPTAG_TO_STR(out.to.c_str()), SIPTAG_FROM_STR(from.c_str()), TAG_END());
      if (!leg->nh) {
        delete leg;
        post_([this, id] { events_->OnFailed(id, 500, "cannot create a handle"); });
        return;
      }
      legs_[id] = leg;
      std::string extra = JoinHeaders(out.headers);
      nua_invite(leg->nh, NUTAG_URL(out.target.c_str()),
                 TAG_IF(!out.sdp.empty(), SIPTAG_CONTENT_TYPE_STR("application/sdp")),
                 TAG_IF(!out.sdp.empty(), SIPTAG_PAYLOAD_STR(out.sdp.c_str())),
                 TAG_IF(!extra.empty(), SIPTAG_HEADER_STR(extra.c_str())), TAG_END());
    });
  }

  void ReInvite(LegId id, const std::string& sdp) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg || !leg->answered || leg->bye_sent) return;
      nua_invite(leg->nh, SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(sdp.c_str()), TAG_END());
    });
  }

  void AnswerReInvite(LegId id, int status, const std::string& sdp) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg) return;
      nua_respond(leg->nh, status, sip_status_phrase(status),
                  TAG_IF(!sdp.empty(), SIPTAG_CONTENT_TYPE_STR("application/sdp")),
                  TAG_IF(!sdp.empty(), SIPTAG_PAYLOAD_STR(sdp.c_str())), TAG_END());
    });
  }

  void Refer(LegId id, const std::string& target) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg || !leg->answered || leg->bye_sent) return;
      std::string refer_to = "<" + target + ">";
      nua_refer(leg->nh, SIPTAG_REFER_TO_STR(refer_to.c_str()), TAG_END());
    });
  }

  void AnswerRefer(LegId id, int status) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg || !leg->refer_saved) return;
      leg->refer_saved = false;
      nua_respond(leg->nh, status, sip_status_phrase(status), NUTAG_WITH_SAVED(leg->refer), TAG_END());
      nua_destroy_event(leg->refer);
    });
  }

  void NotifyRefer(LegId id, int status, bool final) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg || leg->bye_sent || leg->refer_event.empty()) return;
      const char* phrase = sip_status_phrase(status);
      std::string frag = "SIP/2.0 " + std::to_string(status) + " " + (phrase ? phrase : "") + "\r\n";
      nua_notify(leg->nh, NUTAG_SUBSTATE(final ? nua_substate_terminated : nua_substate_active),
                 SIPTAG_EVENT_STR(leg->refer_event.c_str()), SIPTAG_CONTENT_TYPE_STR("message/sipfrag;version=2.0"),
                 SIPTAG_PAYLOAD_STR(frag.c_str()), TAG_END());
    });
  }

  void Probe(LegId id) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg || leg->bye_sent || !leg->answered) return;
      nua_options(leg->nh, TAG_END());
    });
  }

  void Hangup(LegId id, int status_if_unanswered) override {
    Send([=, this] {
      Leg* leg = Find(id);
      if (!leg) return;
      leg->reported = true;  // the daemon asked for it: no OnEnded
      if (leg->incoming && !leg->final_sent) {
        leg->final_sent = true;
        nua_respond(leg->nh, status_if_unanswered, sip_status_phrase(status_if_unanswered), TAG_END());
      } else if (!leg->incoming && leg->invite_pending) {
        if (!leg->cancel_sent) nua_cancel(leg->nh, TAG_END());
        leg->cancel_sent = true;
      } else if (leg->answered && !leg->bye_sent) {
        leg->bye_sent = true;
        nua_bye(leg->nh, TAG_END());
      }
    });
  }

  void Shutdown(std::function<void()> done) override {
    Send([this, done = std::move(done)]() mutable {
      shutdown_done_ = std::move(done);
      for (auto& [id, leg] : legs_) {
        leg->reported = true;
        if (leg->incoming && !leg->final_sent) {
          leg->final_sent = true;
          nua_respond(leg->nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
        } else if (leg->answered && !leg->bye_sent) {
          leg->bye_sent = true;
          nua_bye(leg->nh, TAG_END());
        } else if (!leg->incoming && leg->invite_pending && !leg->cancel_sent) {
          leg->cancel_sent = true;
          nua_cancel(leg->nh, TAG_END());
        }
      }
      nua_shutdown(nua_);
    });
  }

  // ---- sofia's callbacks ----------------------------------------------------------------

  void Callback(nua_event_t event, int status, char const* phrase, nua_handle_t* nh, Leg* leg, sip_t const* sip,
                tagi_t tags[]) {
    switch (event) {
      case nua_i_invite:
        if (leg) {
          std::string sdp = Payload(sip);
          LegId id = leg->id;
          post_([this, id, sdp] { events_->OnReInvite(id, sdp); });
        } else {
          IncomingInvite(nh, sip);
        }
        break;
      case nua_i_ack:
        if (leg) {
          LegId id = leg->id;
          post_([this, id] { events_->OnAcked(id); });
        }
        break;
      case nua_i_refer: IncomingRefer(nh, leg, sip); break;
      case nua_i_cancel:
      case nua_i_bye:
        if (leg && !leg->reported) {
          leg->reported = true;
          LegId id = leg->id;
          const char* why = event == nua_i_bye ? "bye" : "cancel";
          post_([this, id, why] { events_->OnEnded(id, why, false); });
        }
        break;
      case nua_r_invite:
        if (!leg) break;
        if (status < 200) {
          if (status >= 180 && leg->invite_pending) {
            LegId id = leg->id;
            post_([this, id] { events_->OnRinging(id); });
          }
          break;
        }
        if (!leg->invite_pending) {
          // The answer to a re-INVITE on an established dialog.
          LegId id = leg->id;
          std::string sdp = status < 300 ? Payload(sip) : std::string();
          if (!leg->bye_sent) post_([this, id, status, sdp] { events_->OnReInviteAnswered(id, status, sdp); });
          break;
        }
        {
          bool initial = leg->invite_pending;
          leg->invite_pending = false;
          LegId id = leg->id;
          if (status < 300) {
            leg->answered = true;
            std::string sdp = Payload(sip);
            if (!leg->reported || !initial) post_([this, id, sdp] { events_->OnAnswered(id, sdp); });
            if (leg->cancel_sent && initial && !leg->bye_sent) {  // answered as we cancelled
              leg->bye_sent = true;
              nua_bye(nh, TAG_END());
            }
          } else if (!leg->reported || !initial) {
            if (initial) leg->reported = true;
            std::string p = phrase ? phrase : "";
            post_([this, id, status, p] { events_->OnFailed(id, status, p); });
          }
        }
        break;
      case nua_r_options:
        if (leg && status >= 200) {
          LegId id = leg->id;
          post_([this, id, status] { events_->OnProbed(id, status); });
        }
        break;
      case nua_r_refer:
        if (leg && status >= 200) {
          LegId id = leg->id;
          post_([this, id, status] { events_->OnReferred(id, status); });
        }
        break;
      case nua_i_state: {
        int cs = nua_callstate_init;
        tl_gets(tags, NUTAG_CALLSTATE_REF(cs), TAG_END());
        if (cs != nua_callstate_terminated) break;
        if (leg) {
          if (!leg->reported) {
            LegId id = leg->id;
            std::string why = status >= 300 ? std::to_string(status) + " " + (phrase ? phrase : "") : "terminated";
            // No ACK, a request timed out, or the transport failed: the other side is gone.
            bool lost = status == 408 || status >= 500;
            post_([this, id, why, lost] { events_->OnEnded(id, why, lost); });
          }
          if (leg->refer_saved) nua_destroy_event(leg->refer);
          if (leg->incoming) --incoming_;
          legs_.erase(leg->id);
          delete leg;
          nua_handle_bind(nh, nullptr);
        }
        nua_handle_destroy(nh);
        break;
      }
      case nua_i_register: IncomingRegister(nh, sip); break;
      case nua_i_publish: IncomingPublish(nh, sip); break;
      case nua_r_shutdown:
        if (status >= 200) shut_down_ = true;
        break;
      case nua_i_info: IncomingInfo(status, nh, leg, sip); break;
      case nua_i_options:
      case nua_i_message:
      case nua_i_subscribe:
      case nua_i_notify:
      case nua_i_method:
      case nua_i_update:
      case nua_i_prack:
        // Requests nua answers by itself (200 to OPTIONS, 405/501 to the rest). A handle nua made
        // for such a request outside a dialog is the application's to let go (the default
        // handle, which some of them arrive on, nua_handle_destroy leaves alone).
        if (!leg && nh) nua_handle_destroy(nh);
        break;
      default: break;
    }
  }

 private:
  // Creates the root and the stack in the calling thread; "" or why it could not.
  std::string Init() {
    su_init();
    su_log_redirect(nullptr, &Sofia::Log, this);
    // Level 3 (errors and warnings) is always captured so that a failed start can say why; it is
    // printed only when asked for.
    for (su_log_t* l : {nua_log, nta_log, tport_log, su_log_default})
      su_log_set_level(l, std::max(3, config_.log_level));
    std::vector<int> before = EventPolls();
    root_ = su_root_create(this);
    // The root waits on one epoll instance, which sofia-sip 1.12.11 offers no accessor for: it is
    // the eventpoll descriptor su_root_create opened. rgsd's loop waits on it between steps (see
    // WaitDescriptor); with anything else (another su_port) the loop steps the root every 1 ms.
    std::vector<int> added;
    for (int fd : EventPolls())
      if (std::find(before.begin(), before.end(), fd) == before.end()) added.push_back(fd);
    wait_fd_ = added.size() == 1 ? added[0] : -1;
    su_root_threading(root_, 0);
    nua_ = nua_create(root_, &Sofia::Dispatch, this, NUTAG_URL(config_.listen.c_str()), NTATAG_MCLASS(MessageClass()),
                      NUTAG_MEDIA_ENABLE(0), NUTAG_AUTOANSWER(0), NUTAG_AUTOALERT(0),
                      // Only what rgsd serves; other methods (MESSAGE, ...) get 405 with this Allow.
                      SIPTAG_ALLOW_STR(kAllow), NUTAG_APPL_METHOD("REGISTER"), NUTAG_APPL_METHOD("PUBLISH"),
                      NUTAG_APPL_METHOD("REFER"), NUTAG_APPL_METHOD("INFO"), NUTAG_ALLOW_EVENTS("presence"),
                      SIPTAG_USER_AGENT_STR(config_.user_agent.c_str()),
                      // A burst of requests must not overflow the UDP socket while the loop
                      // is busy: 8 MiB (the kernel caps it at net.core.rmem_max).
                      TPTAG_UDP_RMEM(8 * 1024 * 1024), NTATAG_MAXSIZE(static_cast<usize_t>(config_.max_message_size)),
                      TAG_END());
    if (!nua_) {
      su_root_destroy(root_);
      su_deinit();
      return "cannot listen on " + config_.listen + (log_tail_.empty() ? "" : ": " + log_tail_);
    }
    return "";
  }

  // The process's epoll descriptors (/proc/self/fd links "anon_inode:[eventpoll]").
  static std::vector<int> EventPolls() {
    std::vector<int> fds;
    DIR* d = opendir("/proc/self/fd");
    if (!d) return fds;
    while (dirent* e = readdir(d)) {
      int fd = atoi(e->d_name);
      if (e->d_name[0] < '0' || e->d_name[0] > '9' || fd == dirfd(d)) continue;
      char target[64];
      ssize_t n = readlink(("/proc/self/fd/" + std::string(e->d_name)).c_str(), target, sizeof target - 1);
      if (n > 0 && std::string_view(target, n) == "anon_inode:[eventpoll]") fds.push_back(fd);
    }
    closedir(d);
    return fds;
  }

  void Fini() {
    if (finished_) return;
    finished_ = true;
    wait_fd_ = -1;
    nua_destroy(nua_);
    for (auto& [id, leg] : legs_) delete leg;  // handles nua destroyed with it
    legs_.clear();
    su_root_destroy(root_);
    su_deinit();
    if (shutdown_done_) post_(std::move(shutdown_done_));
  }

  static void Dispatch(nua_event_t event, int status, char const* phrase, nua_t*, Sofia* self, nua_handle_t* nh,
                       Leg* leg, sip_t const* sip, tagi_t tags[]) {
    self->Callback(event, status, phrase, nh, leg, sip, tags);
  }

  static void Log(void* ctx, char const* fmt, va_list ap) {
    auto* self = static_cast<Sofia*>(ctx);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    self->log_line_ += buf;
    size_t nl;
    while ((nl = self->log_line_.find('\n')) != std::string::npos) {
      std::string line = self->log_line_.substr(0, nl);
      self->log_line_.erase(0, nl + 1);
      if (line.empty()) continue;
      self->log_tail_ = line;
      if (self->config_.log_level > 0) fprintf(stderr, "debug sofia: %s\n", line.c_str());
    }
  }

  Leg* Find(LegId id) {
    auto it = legs_.find(id);
    return it == legs_.end() ? nullptr : it->second;
  }

  bool Trusted(const std::string& source) {
    std::string host = SourceHost(source);
    for (const auto& p : config_.trusted_peers)
      if (InPeer(host, p)) return true;
    return false;
  }

  // nua keeps a reason phrase's pointer until the response is sent: phrases live here.
  const char* Phrase(const std::string& phrase) { return phrases_.insert(phrase).first->c_str(); }

  // Authenticates a request from agent `aor`; true when it may go on, else it has been answered
  // (401 with the challenges, or 403) and, unless it is an INVITE, its handle let go.
  bool Authenticated(nua_handle_t* nh, sip_t const* sip, const char* method, const std::string& aor,
                     const std::string& source) {
    core::DigestVerdict v = events_->Authenticate(
        {method, aor, SourceHost(source), DigestParams(sip), UrlString(sip->sip_request->rq_url)});
    if (v.kind == core::DigestVerdict::Kind::kAccept) return true;
    std::vector<std::string> headers;
    for (const auto& c : v.challenges) headers.push_back("WWW-Authenticate: " + c);
    std::string extra = JoinHeaders(headers);
    bool invite = std::strcmp(method, "INVITE") == 0;  // its handle lives on until the call state ends
    nua_respond(nh, v.status, Phrase(v.phrase), TAG_IF(!invite, NUTAG_WITH_THIS(nua_)),
                TAG_IF(!extra.empty(), SIPTAG_HEADER_STR(extra.c_str())), TAG_END());
    if (!invite) nua_handle_destroy(nh);
    return false;
  }

  // Answers a request that opens no dialog with `status` and lets go of its handle.
  void Refuse(nua_handle_t* nh, int status, const char* phrase) {
    nua_respond(nh, status, phrase, NUTAG_WITH_THIS(nua_), TAG_END());
    nua_handle_destroy(nh);
  }

  void IncomingInvite(nua_handle_t* nh, sip_t const* sip) {
    std::string source = Source(nua_);
    // An agent calling in authenticates as that agent when asked to; other INVITEs come from
    // trusted peers (gateways) only.
    std::string from = sip && sip->sip_from ? Aor(sip->sip_from->a_url) : "";
    bool agent = config_.authenticate_invites && !from.empty() && events_->Registrable(from) == 0;
    if (agent) {
      if (!Authenticated(nh, sip, "INVITE", from, source)) return;
    } else if (!Trusted(source)) {
      nua_respond(nh, 403, "Not a trusted peer", TAG_END());
      return;
    }
    sip::Invite in;
    if (Refusal r = CheckInvite(sip, &in); r.status) {
      nua_respond(nh, r.status, r.phrase, TAG_IF(r.status == 415, SIPTAG_ACCEPT_STR("application/sdp")), TAG_END());
      return;
    }
    if (incoming_ >= config_.max_calls) {
      std::string retry = std::to_string(config_.retry_after);
      nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, SIPTAG_RETRY_AFTER_STR(retry.c_str()), TAG_END());
      return;
    }
    auto* leg = new Leg;
    leg->id = NewLegId();
    leg->nh = nh;
    leg->incoming = true;
    nua_handle_bind(nh, leg);
    // nua answers a method its handle does not allow with 405 before rgsd sees it: INFO outside
    // a caller's dialog is refused so, as before rgsd read keys from it.
    nua_set_hparams(nh, SIPTAG_ALLOW_STR(kAllowCaller.c_str()), TAG_END());
    legs_[leg->id] = leg;
    ++incoming_;
    in.leg = leg->id;
    in.source = source;
    post_([this, in] { events_->OnInvite(in); });
  }

  // An INFO in a caller's dialog is answered at once by what its body holds (core/dtmf.h): 200
  // (a key goes to the daemon), 400, or 415 with the types rgsd reads. Elsewhere nua has
  // answered 405 already (see IncomingInvite); anything else that gets here, 405 too.
  void IncomingInfo(int status, nua_handle_t* nh, Leg* leg, sip_t const* sip) {
    if (status >= 200) {  // answered by nua
      if (!leg && nh) nua_handle_destroy(nh);
      return;
    }
    if (!leg) return Refuse(nh, SIP_405_METHOD_NOT_ALLOWED);
    const char* type =
        sip && sip->sip_content_type && sip->sip_content_type->c_type ? sip->sip_content_type->c_type : "";
    core::InfoKey k = core::ReadDtmfInfo(type, Payload(sip));
    nua_respond(nh, k.status, sip_status_phrase(k.status), NUTAG_WITH_THIS(nua_),
                TAG_IF(k.status == 415, SIPTAG_ACCEPT_STR(core::kDtmfInfoTypes)), TAG_END());
    if (!k.key) return;
    LegId id = leg->id;
    char key = k.key;
    post_([this, id, key] { events_->OnKey(id, key); });
  }

  // A REFER in a call's dialog goes to the daemon, which answers it (AnswerRefer); one outside
  // any dialog rgsd keeps is refused.
  void IncomingRefer(nua_handle_t* nh, Leg* leg, sip_t const* sip) {
    if (!leg || !sip || !sip->sip_refer_to || leg->refer_saved) {
      nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(nua_), TAG_END());
      if (!leg) nua_handle_destroy(nh);
      return;
    }
    nua_save_event(nua_, leg->refer);
    leg->refer_saved = true;
    leg->refer_event = "refer;id=" + std::to_string(sip->sip_cseq ? sip->sip_cseq->cs_seq : 0);
    std::string target = UrlString(sip->sip_refer_to->r_url);
    LegId id = leg->id;
    post_([this, id, target] { events_->OnRefer(id, target); });
  }

  void IncomingRegister(nua_handle_t* nh, sip_t const* sip) {
    std::string source = Source(nua_);
    Registration r;
    bool query = false;
    auto registrable = [this](const std::string& aor) { return events_->Registrable(aor); };
    if (Refusal refusal = CheckRegister(sip, config_.max_expires, registrable, &r, &query); refusal.status)
      return Refuse(nh, refusal.status, refusal.phrase);
    if (!Authenticated(nh, sip, "REGISTER", r.aor, source)) return;
    if (query) return Refuse(nh, SIP_200_OK);  // nothing changes
    r.source = source;
    std::string exp = std::to_string(r.expires);
    if (r.expires > 0) {
      std::string contact = "<" + r.contact + ">;expires=" + exp;
      nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(nua_), SIPTAG_CONTACT_STR(contact.c_str()),
                  SIPTAG_EXPIRES_STR(exp.c_str()), TAG_END());
    } else {
      nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(nua_), TAG_END());
    }
    nua_handle_destroy(nh);
    post_([this, r] { events_->OnRegister(r); });
  }

  void IncomingPublish(nua_handle_t* nh, sip_t const* sip) {
    std::string source = Source(nua_);
    Publication p;
    auto registrable = [this](const std::string& aor) { return events_->Registrable(aor); };
    if (Refusal refusal = CheckPublish(sip, registrable, &p); refusal.status)
      return Refuse(nh, refusal.status, refusal.phrase);
    if (!Authenticated(nh, sip, "PUBLISH", p.aor, source)) return;
    std::string etag = std::to_string(++etag_);
    std::string exp = std::to_string(p.expires);
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(nua_), SIPTAG_ETAG_STR(etag.c_str()), SIPTAG_EXPIRES_STR(exp.c_str()),
                TAG_END());
    nua_handle_destroy(nh);
    post_([this, p] { events_->OnPublish(p); });
  }

  // Runs fn on the SIP thread.
  using Fn = std::function<void()>;
  static void Deliver(Sofia*, su_msg_r, su_msg_arg_t* arg) {
    Fn* fn = *static_cast<Fn**>(static_cast<void*>(arg));
    (*fn)();
    delete fn;
  }
  void Send(Fn fn) {
    su_msg_r m = SU_MSG_R_INIT;
    if (su_msg_new(m, sizeof(Fn*)) != 0) return;
    *static_cast<Fn**>(static_cast<void*>(su_msg_data(m))) = new Fn(std::move(fn));
    su_msg_send_to(m, su_root_task(root_), &Sofia::Deliver);
  }

  EndpointConfig config_;
  Events* events_;
  std::function<void(std::function<void()>)> post_;
  su_root_t* root_ = nullptr;
  nua_t* nua_ = nullptr;
  std::unordered_map<LegId, Leg*> legs_;
  int incoming_ = 0;
  unsigned long etag_ = 0;
  LegId next_leg_ = 1;
  bool shut_down_ = false;  // nua_r_shutdown arrived
  bool finished_ = false;   // the stack and root are destroyed
  int wait_fd_ = -1;        // the root's epoll descriptor, -1 when not known
  std::function<void()> shutdown_done_;
  std::string log_line_, log_tail_;
  std::set<std::string> phrases_;
};

std::unique_ptr<SipLoop> StartSofiaHere(const EndpointConfig& config, Events* events,
                                        std::function<void(std::function<void()>)> post, std::string* error) {
  auto s = std::make_unique<Sofia>(config, events, std::move(post));
  if (!s->StartHere(error)) return nullptr;
  return s;
}

}  // namespace rgs::sip
