// The checks of requests at rgsd's SIP edge, on sofia-sip's parsed message.
#include "sip/checks.h"

#include <sofia-sip/msg_mclass.h>
#include <sofia-sip/msg_parser.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_parser.h>
#include <sofia-sip/sip_status.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

namespace rgs::sip {
namespace {

bool IsSip(const url_t* url) { return url && (url->url_type == url_sip || url->url_type == url_sips); }

// A Contact rgsd may send requests to: a sip or sips URI with a host, no embedded headers
// (RFC 4475 3.1.2.x: "?Route=..."), no escaped NUL in its user part.
bool UsableContact(const url_t* url) {
  if (!IsSip(url) || !url->url_host || !*url->url_host || url->url_headers) return false;
  return !url->url_user || !std::strstr(url->url_user, "%00");
}

// Whether a media type (sofia keeps "type/subtype", parameters apart) is SDP, or a range that
// covers it in an Accept header ("application/*", "*/*").
bool CoversSdp(const char* type, bool range) {
  if (!type) return false;
  std::string t(type);
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t == "application/sdp" || (range && (t == "application/*" || t == "*/*"));
}

// What is wrong with the form of an INVITE that sofia's parser lets through, by RFC 4475's
// answers: 0 when it may become a call, else the status to refuse it with.
int InviteFormProblem(const sip_t* sip) {
  // 3.1.2.11: headers escaped into the Request-URI make it malformed (400, not 416).
  if (sip->sip_request->rq_url->url_headers) return 400;
  // 3.3.6: rgsd reads SDP bodies only (415, with Accept saying so).
  if (sip->sip_payload && sip->sip_payload->pl_len > 0 &&
      !(sip->sip_content_type && CoversSdp(sip->sip_content_type->c_type, false)))
    return 415;
  // 3.3.15: a caller that accepts no SDP cannot take rgsd's answer (406).
  if (sip->sip_accept) {
    bool sdp = false;
    for (const sip_accept_t* a = sip->sip_accept; a; a = a->ac_next)
      sdp = sdp || !a->ac_type || CoversSdp(a->ac_type, true);
    if (!sdp) return 406;
  }
  return 0;
}

// A method (RFC 3261 §25.1: a token) at *ss, NUL-terminated in place; *ss moves past it and the
// white space after. sofia's sip_method_d takes URL-unreserved characters only: it still reads
// every method without "+" or "`", and no method it knows has them.
sip_method_t TokenMethodD(char** ss, char const** name) {
  char* s = *ss;
  size_t n = std::strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");
  if (std::strcspn(s, "+`") >= n) return sip_method_d(ss, name);
  if (s[n] && !std::strchr(" \t\r\n", s[n])) return sip_method_invalid;
  size_t lws = n + std::strspn(s + n, " \t\r\n");
  s[n] = '\0';
  *name = s;
  *ss = s + lws;
  return sip_method_unknown;
}

// sofia's sip_request_d with TokenMethodD.
issize_t RequestLineD(su_home_t*, msg_header_t* h, char* s, isize_t) {
  auto* rq = reinterpret_cast<sip_request_t*>(h);
  h->sh_class = sip_request_class;
  char *uri, *version;
  if (msg_firstline_d(s, &uri, &version) < 0 || !uri || !version ||
      (rq->rq_method = TokenMethodD(&s, &rq->rq_method_name)) < 0 || *s || url_d(rq->rq_url, uri) < 0 ||
      sip_version_d(&version, &rq->rq_version) < 0 || *version)
    return -1;
  return 0;
}

// sofia's sip_cseq_d with TokenMethodD.
issize_t CSeqD(su_home_t*, msg_header_t* h, char* s, isize_t) {
  auto* cs = reinterpret_cast<sip_cseq_t*>(h);
  h->sh_class = sip_cseq_class;
  if (msg_uint32_d(&s, &cs->cs_seq) < 0 || !*s) return -1;
  return (cs->cs_method = TokenMethodD(&s, &cs->cs_method_name)) < 0 ? -1 : 0;
}

// Parses header `sofia` (one without a short form) with `parse` in mc: a copy of its class goes
// first in its hash chain, where parsing looks by name, and sofia's own class stays behind it,
// where sofia looks by address for a header's place (msg_hclass_offset). The parse function
// gives the header sofia's class, so that nothing else sees the copy.
void Replace(msg_mclass_t* mc, msg_hclass_t* sofia, msg_parse_f* parse) {
  auto* mine = new msg_hclass_s(*sofia);
  mine->hc_parse = parse;
  for (short j = 0; j < mc->mc_hash_size; ++j)
    if (mc->mc_hash[j].hr_class == sofia) {
      msg_href_t behind = mc->mc_hash[j];
      mc->mc_hash[j].hr_class = mine;
      msg_mclass_insert(mc, &behind);
      break;
    }
}

Refusal NotAnAgent(int status) { return {status, status == 404 ? "Not an agent here" : "Not an agent's address"}; }

}  // namespace

msg_mclass_t const* MessageClass() {
  static msg_mclass_t const* mc = [] {
    msg_mclass_t* c = msg_mclass_clone(sip_default_mclass(), 0, 0);
    Replace(c, sip_cseq_class, CSeqD);
    // The Request-Line has no name: sofia finds its place by hash, any class with it will do.
    auto* request = new msg_hclass_s(*sip_request_class);
    request->hc_parse = RequestLineD;
    c->mc_request[0].hr_class = request;
    return c;
  }();
  return mc;
}

std::string Aor(const url_t* url) {
  if (!url || !url->url_host) return {};
  std::string s = url->url_scheme ? url->url_scheme : "sip";
  s += ":";
  if (url->url_user) s += std::string(url->url_user) + "@";
  s += url->url_host;
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string UrlString(const url_t* url) {
  if (!url) return {};
  char buf[1024];
  issize_t n = url_e(buf, sizeof buf, url);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) return {};
  return std::string(buf, static_cast<size_t>(n));
}

std::string Payload(const sip_t* sip) {
  if (!sip || !sip->sip_payload || !sip->sip_payload->pl_data) return {};
  return std::string(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

std::string PresenceOf(const std::string& body) {
  std::string b;
  b.reserve(body.size());
  for (char c : body) b += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&](const char* s) { return b.find(s) != std::string::npos; };
  if (has("<basic>closed</basic>") || has(":offline") || has("<offline")) return "offline";
  if (has("do-not-disturb") || has("donotdisturb") || has(":dnd") || has("<dnd")) return "do-not-disturb";
  if (has("on-the-phone") || has(":busy") || has("<busy") || has(":meeting") || has("<meeting")) return "busy";
  if (has(":away") || has("<away") || has("be-right-back") || has(":vacation") || has("<vacation")) return "away";
  if (has("<basic>open</basic>")) return "available";
  return "";
}

Refusal CheckInvite(const sip_t* sip, Invite* in) {
  // RFC 3261 8.2.2.1: a Request-URI scheme rgsd does not serve is 416. A Contact rgsd could not
  // send its BYE or re-INVITE to is refused before the call exists (an unknown scheme there
  // once crashed the stack when the dialog timed out).
  const url_t* ruri = sip && sip->sip_request ? sip->sip_request->rq_url : nullptr;
  if (!ruri || !(IsSip(ruri) || ruri->url_type == url_tel)) return {SIP_416_UNSUPPORTED_URI};
  if (int status = InviteFormProblem(sip)) return {status, sip_status_phrase(status)};
  if (!sip->sip_contact || !UsableContact(sip->sip_contact->m_url)) return {400, "Contact must be a sip or sips URI"};
  in->request_uri = UrlString(ruri);
  if (sip->sip_from) {
    in->from = UrlString(sip->sip_from->a_url);
    if (sip->sip_from->a_display) in->from_display = sip->sip_from->a_display;
    if (in->from_display.size() >= 2 && in->from_display.front() == '"')
      in->from_display = in->from_display.substr(1, in->from_display.size() - 2);
  }
  if (sip->sip_to) in->to = UrlString(sip->sip_to->a_url);
  if (sip->sip_call_id && sip->sip_call_id->i_id) in->call_id = sip->sip_call_id->i_id;
  in->sdp = Payload(sip);
  return {};
}

Refusal CheckRegister(const sip_t* sip, int max_expires, const RegistrableFn& registrable, Registration* r,
                      bool* query) {
  if (!sip || !sip->sip_to) return {SIP_403_FORBIDDEN};
  // RFC 4475 3.3.4: an address of record that is no sip or sips URI is 400 (416 is for the
  // Request-URI's scheme).
  if (!IsSip(sip->sip_to->a_url)) return {400, "To must be a sip or sips URI"};
  for (const sip_contact_t* c = sip->sip_contact; c; c = c->m_next)
    if (c->m_url->url_type != url_any && !UsableContact(c->m_url)) return {400, "Contact must be a sip or sips URI"};
  r->aor = Aor(sip->sip_to->a_url);
  // RFC 3261 10.3: only the addresses rgsd serves may register (its agents), never a workflow's.
  if (int refused = registrable(r->aor)) return NotAnAgent(refused);
  const sip_contact_t* m = sip->sip_contact;
  int expires = sip->sip_expires ? static_cast<int>(sip->sip_expires->ex_delta) : 3600;
  if (m && m->m_expires) expires = atoi(m->m_expires);
  if (expires > max_expires) expires = max_expires;
  *query = !m;
  if (!m) return {};
  if (m->m_url->url_type == url_any)
    expires = 0;
  else
    r->contact = UrlString(m->m_url);
  r->expires = expires;
  return {};
}

Refusal CheckPublish(const sip_t* sip, const RegistrableFn& registrable, Publication* p) {
  if (!sip || !sip->sip_to) return {SIP_403_FORBIDDEN};
  p->aor = Aor(sip->sip_to->a_url);
  // Presence matters for agents only (and a workflow's address is nobody's presence).
  if (int refused = registrable(p->aor)) return NotAnAgent(refused);
  p->expires = sip->sip_expires ? static_cast<int>(sip->sip_expires->ex_delta) : 3600;
  std::string body = Payload(sip);
  if (!body.empty()) {
    p->presence = PresenceOf(body);
    if (p->presence.empty()) return {400, "Unknown presence document"};
  } else if (p->expires != 0) {
    p->presence = "";  // a refresh: keeps what was published
  }
  return {};
}

}  // namespace rgs::sip
