// In-band DTMF: spandsp's DTMF receiver (ITU-T Q.23/Q.24) on the caller's audio.
#include "daemon/inband.h"

#include <algorithm>

#include <spandsp.h>

namespace rgs::daemon {

InbandDtmf::InbandDtmf(int codec, std::function<void(char)> on_key) : codec_(codec), on_key_(std::move(on_key)) {
  rx_ = dtmf_rx_init(nullptr, nullptr, nullptr);
  // The realtime callback reports a key when its tone is confirmed and again (code 0) when it
  // ends: each key once, at its start, as RFC 4733 keys are.
  dtmf_rx_set_realtime_callback(rx_, &InbandDtmf::OnTone, this);
  if (codec_ == 9) g722_ = g722_decode_init(nullptr, 64000, G722_SAMPLE_RATE_8000);
}

InbandDtmf::~InbandDtmf() {
  dtmf_rx_free(rx_);
  if (g722_) g722_decode_free(g722_);
}

void InbandDtmf::OnTone(void* self, int code, int, int) {
  auto* me = static_cast<InbandDtmf*>(self);
  if (code > 0 && me->on_key_) me->on_key_(static_cast<char>(code));
}

void InbandDtmf::Feed(const uint8_t* payload, size_t n) {
  int16_t pcm[480];  // 60 ms at 8 kHz: the longest packet decoded; longer ones in pieces
  while (n > 0) {
    size_t take = std::min<size_t>(n, 480);
    int samples = 0;
    if (g722_) {
      samples = g722_decode(g722_, pcm, payload, static_cast<int>(take));
    } else {
      for (size_t i = 0; i < take; ++i) pcm[i] = codec_ == 8 ? alaw_to_linear(payload[i]) : ulaw_to_linear(payload[i]);
      samples = static_cast<int>(take);
    }
    dtmf_rx(rx_, pcm, samples);
    payload += take;
    n -= take;
  }
}

}  // namespace rgs::daemon
