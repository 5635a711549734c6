// Keys sent in SIP INFO requests (application/dtmf-relay, application/dtmf): what rgsd answers
// and which key the body carries. Pure string work, no I/O.
#pragma once

#include <string_view>

namespace rgs::core {

// The bodies an INFO may carry keys in, as rgsd's Accept header lists them (RFC 3261 21.4.13).
inline constexpr const char* kDtmfInfoTypes = "application/dtmf-relay, application/dtmf";

// The answer to an INFO in a dialog and the key it carries:
// - 200 with key '0'-'9', '*', '#' or 'A'-'D': a key;
// - 200 with key 0: nothing to report (no body at all, an INFO some phones send to see the dialog
//   is alive; or a hook flash, "!" or 16, which is no key);
// - 400: a body of a DTMF type that names no key;
// - 415: any other body (rgsd answers it with Accept: kDtmfInfoTypes).
struct InfoKey {
  int status = 415;
  char key = 0;
};

// `content_type` is the Content-Type header's value (parameters allowed, any letter case).
// application/dtmf-relay (the form Cisco and Asterisk send): lines "Signal=5" and "Duration=160";
// Signal is one of 0-9 * # A-D, or an RFC 4733 event number (10 is *, 11 is #, 12-15 A-D,
// 16 a flash). application/dtmf: the key alone, in the same forms.
InfoKey ReadDtmfInfo(std::string_view content_type, std::string_view body);

}  // namespace rgs::core
