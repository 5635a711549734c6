// Keys pressed as tones in the audio a caller sends (in-band DTMF), for callers whose offer has
// no RFC 4733 telephone-events: spandsp's detector on the decoded G.711 or G.722.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

struct dtmf_rx_state_s;
struct g722_decode_state_s;

namespace rgs::daemon {

class InbandDtmf {
 public:
  // `codec`: the payload type the caller sends (0 PCMU, 8 PCMA, 9 G.722). on_key runs inside
  // Feed, once per key, when its tone starts.
  InbandDtmf(int codec, std::function<void(char)> on_key);
  ~InbandDtmf();
  InbandDtmf(const InbandDtmf&) = delete;
  InbandDtmf& operator=(const InbandDtmf&) = delete;

  // One packet's payload, in the order received. G.722 is decoded to its lower band only (8 kHz:
  // DTMF tones are below 1.7 kHz), which costs less than the full 16 kHz decode.
  void Feed(const uint8_t* payload, size_t n);

 private:
  static void OnTone(void* self, int code, int level, int delay);
  int codec_;
  std::function<void(char)> on_key_;
  dtmf_rx_state_s* rx_ = nullptr;
  g722_decode_state_s* g722_ = nullptr;
};

}  // namespace rgs::daemon
