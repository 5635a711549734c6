// What rgsd's SIP edge checks in a request before anything else sees it, and the values it takes
// from it: functions of the parsed message alone (no stack state), so that sofia.cc and the fuzz
// tests (tests/fuzz/sip_fuzz.cc) run the same code on the same sip_t.
#pragma once

#include <functional>
#include <string>

#include <sofia-sip/sip.h>
#include <sofia-sip/url.h>

#include "sip/endpoint.h"

namespace rgs::sip {

// The message class rgsd parses SIP with: sofia-sip 1.12.11's, but a method is any token (RFC 3261
// §25.1), in the Request-Line and in CSeq; sofia's own parser refuses "+" and "`" in one and
// drops the message (RFC 4475 3.1.1.2, "intmeth"). Built on first use; any thread after that.
msg_mclass_t const* MessageClass();

// The final response that refuses a request; status 0: the request passes.
struct Refusal {
  int status = 0;
  const char* phrase = "";  // static text (the stack keeps the pointer until it sends)
};

// Whether `aor` may register or publish: 0, or the status refusing it (Events::Registrable).
using RegistrableFn = std::function<int(const std::string& aor)>;

// "sip:user@host": the address of record of a URL, lower-cased, without port or parameters.
std::string Aor(const url_t* url);
std::string UrlString(const url_t* url);
std::string Payload(const sip_t* sip);
// PIDF with RPID (RFC 3863, 4480) as one of the presence words the routing core knows; "" for
// none of them.
std::string PresenceOf(const std::string& body);

// An INVITE outside any dialog: 416 for a Request-URI that is not sip, sips or tel; 400 for a
// Contact rgsd could not send its BYE or re-INVITE to. When it passes, fills every field of `in`
// but leg and source.
Refusal CheckInvite(const sip_t* sip, Invite* in);

// A REGISTER: 403 without To, 416 for a To that is not sip or sips, 400 for a Contact that is not,
// then the status `registrable` gives for the address of record. When it passes, fills r's aor,
// contact and expires (at most max_expires; 0 removes the binding) and sets *query when the
// request has no Contact (answered 200, changing nothing).
Refusal CheckRegister(const sip_t* sip, int max_expires, const RegistrableFn& registrable, Registration* r,
                      bool* query);

// A PUBLISH: 403 without To, the status `registrable` gives for its address, 400 for a body that
// is no presence document rgsd understands. When it passes, fills p.
Refusal CheckPublish(const sip_t* sip, const RegistrableFn& registrable, Publication* p);

}  // namespace rgs::sip
