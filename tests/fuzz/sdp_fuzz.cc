// Fuzz target: bytes as an SDP offer through the call flow's SDP handling (core/sdp.h): the
// offer read, the codec chosen, rgsd's answer (which must read back with that codec), the origin
// rewritten for a relay, and the formats cut down to what another party offered.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/sdp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rgs::core;
  std::string sdp(reinterpret_cast<const char*>(data), size);
  WithOrigin(sdp, "127.0.0.1", 7, 8);
  WithOrigin(sdp, "::1", 7, 8);
  static const SdpOffer pcmu_only = *ParseSdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0\r\n");
  KeepEncodings(sdp, pcmu_only);
  auto offer = ParseSdp(sdp);
  if (!offer) return 0;
  KeepEncodings(sdp, *offer);
  auto codec = ChooseCodec(*offer);
  if (!codec) return 0;
  std::string answer = AnswerSdp(offer->address, 40000, *codec, offer->telephone_event, 1, 2);
  auto back = ParseSdp(answer);
  if (!back || ChooseCodec(*back) != codec || back->address != offer->address) {
    fprintf(stderr, "rgsd's answer does not read back:\n%s\n", answer.c_str());
    abort();
  }
  return 0;
}
