// SDP (RFC 4566) as the call flow needs it: the audio stream of an offer, rgsd's own answer, and
// the rewriting of a session description relayed from one party to the other (RFC 3264, 3725).
// Pure string work, no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rgs::core {

struct SdpOffer {
  std::string address;                   // c= (session or media level): an IPv4 or IPv6 literal
  int port = 0;                          // m=audio
  std::vector<int> formats;              // payload types in the offerer's order
  std::map<int, std::string> encodings;  // payload type -> "pcmu/8000" (lower case; static types filled in)
  int telephone_event = -1;              // the RFC 4733 payload type, if offered
  int rtcp_port = 0;                     // a=rtcp (RFC 3605); 0: the RTP port + 1 (RFC 3550 §11)
  std::string direction = "sendrecv";    // a=sendrecv, sendonly, recvonly or inactive (media or session level)
};
// nullopt when there is no audio stream to answer, or its address is not an IP literal.
std::optional<SdpOffer> ParseSdp(const std::string& sdp);

// The codec rgsd answers with: PCMU (0), PCMA (8) or G.722 (9), the first of them in the caller's
// offer (the caller's preference, RFC 3264 6.1), each known by its static payload type and name.
std::optional<int> ChooseCodec(const SdpOffer& offer);

std::string AnswerSdp(const std::string& address, int port, int codec, int telephone_event, uint64_t session,
                      uint64_t version, const std::string& direction = "sendrecv");
// The direction that answers an offer's (RFC 3264 §6.1): sendonly -> recvonly, recvonly ->
// sendonly, inactive -> inactive, else sendrecv.
std::string AnswerDirection(const std::string& offered);

// The agent's SDP, given rgsd's origin line (o=) so the caller sees the same session, a newer
// version (RFC 3264 §8, RFC 3725).
std::string WithOrigin(const std::string& sdp, const std::string& address, uint64_t session, uint64_t version);

// `sdp` with its audio formats cut down to the encodings `allowed` offered (compared by name and
// rate, so dynamic payload numbers may differ); the rtpmap and fmtp lines of the formats dropped
// go too. When none would remain, `sdp` is returned unchanged (the other side then refuses it).
std::string KeepEncodings(const std::string& sdp, const SdpOffer& allowed);

}  // namespace rgs::core
