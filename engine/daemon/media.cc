// SDP offer/answer for waiting callers and the RTP stream they hear.
#include "daemon/media.h"

#include <cmath>
#include <random>
#include <sstream>

namespace rgs::daemon {

namespace {

// G.711 encoders (ITU-T G.711, the usual segment search).
uint8_t Ulaw(int16_t pcm) {
  const int kBias = 0x84, kClip = 32635;
  int sign = (pcm >> 8) & 0x80;
  int s = sign ? -static_cast<int>(pcm) : pcm;
  if (s > kClip) s = kClip;
  s += kBias;
  int exponent = 7;
  for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  int mantissa = (s >> (exponent + 3)) & 0x0F;
  return static_cast<uint8_t>(~(sign | (exponent << 4) | mantissa));
}

uint8_t Alaw(int16_t pcm) {
  int sign = pcm >= 0 ? 0x80 : 0;
  int s = pcm >= 0 ? pcm : -static_cast<int>(pcm) - 1;
  if (s > 32767) s = 32767;
  int exponent = 7;
  for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  int mantissa = exponent == 0 ? (s >> 4) & 0x0F : (s >> (exponent + 3)) & 0x0F;
  return static_cast<uint8_t>((sign | (exponent << 4) | mantissa) ^ 0x55);
}

// What a waiting caller hears until prompts and music are played: a soft 440 Hz beep of half a
// second every five seconds, silence in between. 250 frames of 160 samples, for each codec.
struct Tone {
  uint8_t frames[2][250][160];
  Tone() {
    for (int f = 0; f < 250; ++f)
      for (int i = 0; i < 160; ++i) {
        double t = (f * 160 + i) / 8000.0;
        int16_t v = f < 25 ? static_cast<int16_t>(2000 * std::sin(2 * M_PI * 440 * t)) : 0;
        frames[0][f][i] = Ulaw(v);
        frames[1][f][i] = Alaw(v);
      }
  }
};
const Tone& TheTone() {
  static const Tone t;
  return t;
}

}  // namespace

RtpSender::RtpSender(boost::asio::io_context& io, std::string address, int min_port, int max_port)
    : io_(io), address_(std::move(address)), min_port_(min_port & ~1), max_port_(max_port), next_port_(min_port_),
      timer_(io) {}

RtpSender::~RtpSender() { timer_.cancel(); }

int RtpSender::Open(uint64_t call, const SdpOffer& remote, int codec) {
  boost::system::error_code ec;
  auto remote_addr = boost::asio::ip::make_address(remote.address, ec);
  if (ec) return 0;
  auto local_addr = boost::asio::ip::make_address(address_, ec);
  if (ec) return 0;
  auto s = std::make_unique<Session>(io_);
  int span = (max_port_ - min_port_) / 2 + 1;
  for (int tries = 0; tries < span; ++tries) {
    int port = next_port_;
    next_port_ += 2;
    if (next_port_ > max_port_) next_port_ = min_port_;
    s->socket.close(ec);
    s->socket.open(local_addr.is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), ec);
    if (ec) return 0;
    s->socket.bind({local_addr, static_cast<unsigned short>(port)}, ec);
    if (!ec) {
      s->port = port;
      break;
    }
  }
  if (!s->port) return 0;
  s->socket.non_blocking(true, ec);
  s->socket.connect({remote_addr, static_cast<unsigned short>(remote.port)}, ec);   // failing, sends fail too
  s->codec = static_cast<uint8_t>(codec);
  static std::mt19937 rng(std::random_device{}());
  s->ssrc = rng();
  s->seq = static_cast<uint16_t>(rng());
  int port = s->port;
  if (!ticking_) {
    ticking_ = true;
    next_slot_ = 0;
    next_tick_ = std::chrono::steady_clock::now();
    timer_.expires_at(next_tick_);
    timer_.async_wait([this](const boost::system::error_code& e) {
      if (!e) Tick();
    });
  }
  // The caller's first packet goes now; the next ones every 20 ms in the same slot.
  s->slot = (next_slot_ + kSlots - 1) % kSlots;
  s->index = slots_[s->slot].size();
  slots_[s->slot].push_back(s.get());
  Send(*s);
  sessions_[call] = std::move(s);
  return port;
}

void RtpSender::Close(uint64_t call) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return;
  auto& slot = slots_[it->second->slot];
  size_t i = it->second->index;
  slot[i] = slot.back();
  slot[i]->index = i;
  slot.pop_back();
  sessions_.erase(it);
}

int RtpSender::Retarget(uint64_t call, const SdpOffer& remote) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return 0;
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(remote.address, ec);
  if (!ec && remote.port > 0) it->second->socket.connect({addr, static_cast<unsigned short>(remote.port)}, ec);
  return it->second->port;
}

int RtpSender::codec(uint64_t call) const {
  auto it = sessions_.find(call);
  return it == sessions_.end() ? 0 : it->second->codec;
}

void RtpSender::Send(Session& s) {
  const Tone& tone = TheTone();
  uint8_t packet[12 + 160];
  packet[0] = 0x80;
  packet[1] = s.codec;
  packet[2] = static_cast<uint8_t>(s.seq >> 8);
  packet[3] = static_cast<uint8_t>(s.seq);
  for (int i = 0; i < 4; ++i) packet[4 + i] = static_cast<uint8_t>(s.ts >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) packet[8 + i] = static_cast<uint8_t>(s.ssrc >> (24 - 8 * i));
  // Each caller hears the tone from its beginning (its own phase, not a shared one).
  std::memcpy(packet + 12, tone.frames[s.codec == 8 ? 1 : 0][s.frame++ % 250], 160);
  boost::system::error_code ec;
  s.socket.send(boost::asio::buffer(packet), 0, ec);   // a lost packet is not retried
  ++s.seq;
  s.ts += 160;
}

// Sends every slot that is due, one tick of 1 ms each. Behind by more than 200 ms (the machine
// was stopped or overloaded), it starts again from now rather than sending a burst.
void RtpSender::Tick() {
  if (sessions_.empty()) {
    ticking_ = false;
    return;
  }
  auto now = std::chrono::steady_clock::now();
  if (next_tick_ < now - std::chrono::milliseconds(200)) next_tick_ = now;
  while (next_tick_ <= now) {
    for (Session* s : slots_[next_slot_]) Send(*s);
    next_slot_ = (next_slot_ + 1) % kSlots;
    next_tick_ += std::chrono::milliseconds(1);
  }
  timer_.expires_at(next_tick_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

}  // namespace rgs::daemon
