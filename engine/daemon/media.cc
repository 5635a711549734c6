// The RTP rgsd sends to the callers it holds, and the keys they press.
#include "daemon/media.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

namespace rgs::daemon {

namespace {

// Sends the socket's packets to the media address of `remote` (a connected socket: no route
// lookup per packet). An address that is not one leaves the socket as it was.
void ConnectTo(boost::asio::ip::udp::socket& socket, const SdpOffer& remote) {
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(remote.address, ec);
  if (!ec && remote.port > 0) socket.connect({addr, static_cast<unsigned short>(remote.port)}, ec);
}

// Where a stream's RTCP goes: the a=rtcp port (RFC 3605), else the RTP port + 1 (RFC 3550 §11).
SdpOffer RtcpOf(const SdpOffer& remote) {
  SdpOffer rtcp = remote;
  rtcp.port = remote.rtcp_port ? remote.rtcp_port : remote.port + 1;
  return rtcp;
}

}  // namespace

RtpSender::RtpSender(boost::asio::io_context& io, std::string address, int min_port, int max_port,
                     std::chrono::milliseconds report_interval)
    : io_(io),
      address_(std::move(address)),
      min_port_(min_port & ~1),
      max_port_(max_port),
      next_port_(min_port_),
      report_every_(std::max(1, static_cast<int>(report_interval.count() / 20))),
      cname_("rgsd@" + address_),
      timer_(io) {}

RtpSender::~RtpSender() { timer_.cancel(); }

int RtpSender::Open(uint64_t call, const SdpOffer& remote, int codec) {
  if (auto it = sessions_.find(call); it != sessions_.end()) {  // answered again: a new stream
    auto loop = it->second->loop;
    Close(call);
    if (loop) loop_before_open_[call] = std::move(loop);
  }
  boost::system::error_code ec;
  auto remote_addr = boost::asio::ip::make_address(remote.address, ec);
  if (ec) return 0;
  auto s = std::make_unique<Session>(io_);
  s->port = Bind(s->socket);
  if (!s->port) return 0;
  s->rtcp_to = RtcpOf(remote);
  s->until_report = std::max(1, report_every_ / 2);  // RFC 3550 §6.2: the first after half the interval
  s->socket.connect({remote_addr, static_cast<unsigned short>(remote.port)}, ec);  // failing, sends fail too
  s->codec = static_cast<uint8_t>(codec);
  s->call = call;
  s->telephone_event = remote.telephone_event;
  if (s->telephone_event < 0)
    s->inband = std::make_unique<InbandDtmf>(codec, [this, call](char key) { ReportKey(call, key); });
  if (auto it = loop_before_open_.find(call); it != loop_before_open_.end()) {
    s->loop = std::move(it->second);
    loop_before_open_.erase(it);
  }
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
  // The caller's first packet goes with the next tick (after any Play given with the answer),
  // the next ones every 20 ms in the same slot.
  s->slot = next_slot_;
  s->index = slots_[s->slot].size();
  slots_[s->slot].push_back(s.get());
  Session& session = *s;
  sessions_[call] = std::move(s);
  Receive(session);
  return port;
}

// Opens `socket` bound to `port` of rgsd's address, non-blocking.
bool RtpSender::OpenPort(boost::asio::ip::udp::socket& socket, int port, bool* out_of_descriptors) {
  boost::system::error_code ec;
  auto local_addr = boost::asio::ip::make_address(address_, ec);
  if (!ec) socket.close(ec);
  if (!ec) socket.open(local_addr.is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), ec);
  if (out_of_descriptors)
    *out_of_descriptors = ec == boost::asio::error::no_descriptors || ec.value() == ENFILE;
  if (!ec) socket.bind({local_addr, static_cast<unsigned short>(port)}, ec);
  if (!ec) socket.non_blocking(true, ec);
  if (ec) socket.close(ec);
  return socket.is_open();
}

// Binds the next free even port of the range (RFC 3550 §11: RTP on even ports, RTCP on the odd
// one above). 0 also when the media's sockets are at their limit or no descriptor is left: then
// no other port is tried.
int RtpSender::Bind(boost::asio::ip::udp::socket& socket) {
  if (sockets() >= socket_limit_) return 0;
  int span = (max_port_ - min_port_) / 2 + 1;
  for (int tries = 0; tries < span; ++tries) {
    int port = next_port_;
    next_port_ += 2;
    if (next_port_ > max_port_) next_port_ = min_port_;
    bool out_of_descriptors = false;
    if (OpenPort(socket, port, &out_of_descriptors)) return port;
    if (out_of_descriptors) return 0;
  }
  return 0;
}

int RtpSender::OpenRelay(uint64_t call) {
  if (auto it = relays_.find(call); it != relays_.end()) return it->second->port;
  auto r = std::make_unique<RelayLeg>(io_);
  r->port = Bind(r->socket);
  if (!r->port) return 0;
  int port = r->port;
  relays_[call] = std::move(r);
  return port;
}

void RtpSender::Relay(uint64_t call, const SdpOffer& agent) {
  auto s = sessions_.find(call);
  auto r = relays_.find(call);
  if (s == sessions_.end() || r == relays_.end()) return;
  RetargetRelay(call, agent);
  s->second->relay = r->second.get();
  ReceiveRelay(call, *r->second);
}

int RtpSender::RetargetRelay(uint64_t call, const SdpOffer& agent) {
  auto it = relays_.find(call);
  if (it == relays_.end()) return 0;
  ConnectTo(it->second->socket, agent);
  return it->second->port;
}

// The agent's packets, to the caller as they came.
void RtpSender::ReceiveRelay(uint64_t call, RelayLeg& r) {
  r.socket.async_receive(boost::asio::buffer(r.in), [this, call](const boost::system::error_code& ec, size_t n) {
    if (ec == boost::asio::error::operation_aborted) return;  // closed: the call is over
    auto r = relays_.find(call);
    auto s = sessions_.find(call);
    if (r == relays_.end() || s == sessions_.end()) return;
    boost::system::error_code send_ec;
    if (!ec && s->second->socket.send(boost::asio::buffer(r->second->in.data(), n), 0, send_ec) == n)
      ++relayed_to_callers_;
    ReceiveRelay(call, *r->second);
  });
}

void RtpSender::SetHandlers(std::function<void(uint64_t)> on_done, std::function<void(uint64_t, char)> on_key) {
  on_done_ = std::move(on_done);
  on_key_ = std::move(on_key);
}

void RtpSender::SetAudioHandler(std::function<void(uint64_t, int, const uint8_t*, size_t)> on_audio) {
  on_audio_ = std::move(on_audio);
}

void RtpSender::Listen(uint64_t call, bool on) {
  if (auto it = sessions_.find(call); it != sessions_.end()) it->second->listening = on;
}

void RtpSender::Play(uint64_t call, std::vector<std::shared_ptr<const Clip>> clips) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return;
  Session& s = *it->second;
  clips.erase(std::remove(clips.begin(), clips.end(), nullptr), clips.end());
  s.prompts = std::move(clips);
  s.loop = nullptr;
  s.frame = 0;
  if (s.prompts.empty() && on_done_) boost::asio::post(io_, [this, call] { on_done_(call); });
}

void RtpSender::Loop(uint64_t call, std::shared_ptr<const Clip> clip) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) {
    if (clip)
      loop_before_open_[call] = std::move(clip);
    else
      loop_before_open_.erase(call);
    return;
  }
  Session& s = *it->second;
  s.prompts.clear();
  s.loop = std::move(clip);
  s.frame = 0;
}

void RtpSender::Receive(Session& s) {
  uint64_t call = s.call;
  s.socket.async_receive(boost::asio::buffer(s.in), [this, call](const boost::system::error_code& ec, size_t n) {
    if (ec == boost::asio::error::operation_aborted) return;  // closed: the session is gone
    auto it = sessions_.find(call);
    if (it == sessions_.end()) return;
    Session& s = *it->second;
    if (!ec && s.relay) {
      boost::system::error_code send_ec;  // the caller's packets, to the agent as they came
      if (s.relay->socket.send(boost::asio::buffer(s.in.data(), n), 0, send_ec) == n) ++relayed_to_agents_;
    } else if (!ec) {
      OnPacket(s, n);
    }
    Receive(s);
  });
}

// A key goes to on_key from the loop, not from inside the receive path: the handler may close
// the call's session.
void RtpSender::ReportKey(uint64_t call, char key) {
  boost::asio::post(io_, [this, call, key] {
    if (on_key_) on_key_(call, key);
  });
}

// RFC 4733 2.3: a telephone-event payload is event (8 bits), E, R, volume (6), duration (16).
// A key is reported at the first packet of its event (a new timestamp), so that the end
// packets' retransmissions are not taken for more keys. Audio in the call's codec goes to the
// in-band detector when the caller has one.
void RtpSender::OnPacket(Session& s, size_t n) {
  if (n < 12 || (s.in[0] >> 6) != 2) return;
  size_t header = 12 + 4 * static_cast<size_t>(s.in[0] & 0x0F);
  if (s.in[0] & 0x10) {  // a header extension
    if (n < header + 4) return;
    header += 4 + 4 * static_cast<size_t>((s.in[header + 2] << 8) | s.in[header + 3]);
  }
  if ((s.in[0] & 0x20) && n > header) n -= std::min<size_t>(s.in[n - 1], n - header);  // padding (RFC 3550 5.1)
  if (n <= header) return;
  int type = s.in[1] & 0x7F;
  if (type == s.codec) {
    // The caller's audio: to the recognizer while a question listens, to the key detector of a
    // caller who sends no telephone-events.
    if (s.listening && on_audio_) on_audio_(s.call, s.codec, s.in.data() + header, n - header);
    if (s.inband) s.inband->Feed(s.in.data() + header, n - header);
    return;
  }
  if (type != s.telephone_event || n < header + 4) return;
  int64_t ts = (int64_t{s.in[4]} << 24) | (s.in[5] << 16) | (s.in[6] << 8) | s.in[7];
  if (ts == s.last_event_ts) return;
  s.last_event_ts = ts;
  static const char kKeys[] = "0123456789*#ABCD";
  uint8_t event = s.in[header];
  if (event < 16) ReportKey(s.call, kKeys[event]);
}

void RtpSender::Close(uint64_t call) {
  loop_before_open_.erase(call);
  relays_.erase(call);
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return;
  auto& slot = slots_[it->second->slot];
  size_t i = it->second->index;
  slot[i] = slot.back();
  slot[i]->index = i;
  slot.pop_back();
  if (it->second->rtcp.is_open()) --rtcp_open_;
  sessions_.erase(it);
}

int RtpSender::Retarget(uint64_t call, const SdpOffer& remote) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return 0;
  ConnectTo(it->second->socket, remote);
  it->second->rtcp_to = RtcpOf(remote);
  if (it->second->rtcp.is_open()) ConnectTo(it->second->rtcp, it->second->rtcp_to);
  return it->second->port;
}

// The caller's receiver reports are read and dropped: rgsd does not adapt to them, and unread
// they would hold kernel memory for as long as the call lasts.
void RtpSender::DrainReports(Session& s) {
  uint64_t call = s.call;
  s.rtcp.async_receive(boost::asio::buffer(s.rtcp_in), [this, call](const boost::system::error_code& ec, size_t) {
    if (ec == boost::asio::error::operation_aborted) return;
    auto it = sessions_.find(call);
    if (it != sessions_.end()) DrainReports(*it->second);
  });
}

// A compound RTCP packet (RFC 3550 §6.1): a sender report without report blocks (§6.4.1: the
// NTP time now and the RTP timestamp of the same instant, the packets and payload octets sent)
// and an SDES with the CNAME (§6.5).
void RtpSender::SendReport(Session& s) {
  if (!s.rtcp.is_open()) {
    // Opened at the first report, so that a call answered by an agent within 2.5 s (most of
    // them) never costs a second socket. Its port taken by something else, or the media at
    // their socket limit: no reports.
    if (sockets() >= socket_limit_ || !OpenPort(s.rtcp, s.port + 1)) {
      s.until_report = -1;
      return;
    }
    ++rtcp_open_;
    ConnectTo(s.rtcp, s.rtcp_to);
    DrainReports(s);
  }
  uint8_t p[128] = {};  // the SR (28 bytes) and an SDES of at most 80
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (24 - 8 * i));
  };
  // NTP time: seconds since 1900 and the fraction of a second in 1/2^32.
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto frac = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - secs).count();
  p[0] = 0x80;  // V=2, no padding, no report blocks
  p[1] = 200;   // SR
  p[3] = 6;     // length in 32-bit words, minus one
  put32(4, s.ssrc);
  put32(8, static_cast<uint32_t>(secs.count() + 2208988800LL));
  put32(12, static_cast<uint32_t>((static_cast<uint64_t>(frac) << 32) / 1000000000ULL));
  put32(16, s.ts);  // the timestamp of the packet just sent, whose sampling instant is now
  put32(20, s.packets);
  put32(24, s.octets);
  size_t cname = std::min<size_t>(cname_.size(), 64 - 1);
  size_t sdes = 4 + 4 + 2 + cname + 1;  // header, SSRC, item type and length, text, end of items
  sdes = (sdes + 3) & ~size_t{3};
  p[28] = 0x81;  // V=2, one chunk
  p[29] = 202;   // SDES
  p[31] = static_cast<uint8_t>(sdes / 4 - 1);
  put32(32, s.ssrc);
  p[36] = 1;  // CNAME
  p[37] = static_cast<uint8_t>(cname);
  std::memcpy(p + 38, cname_.data(), cname);
  boost::system::error_code ec;
  s.rtcp.send(boost::asio::buffer(p, 28 + sdes), 0, ec);
}

int RtpSender::codec(uint64_t call) const {
  auto it = sessions_.find(call);
  return it == sessions_.end() ? 0 : it->second->codec;
}

void RtpSender::Send(Session& s) {
  if (s.relay) return;  // the agent's packets reach the caller instead
  uint8_t packet[12 + kFrameSamples];
  const uint8_t* payload = nullptr;
  if (!s.prompts.empty()) {
    payload = s.prompts.front()->Frame(s.frame, s.codec);
    if (++s.frame == s.prompts.front()->frames()) {
      s.frame = 0;
      s.prompts.erase(s.prompts.begin());
      if (s.prompts.empty() && on_done_) boost::asio::post(io_, [this, call = s.call] { on_done_(call); });
    }
  } else if (s.loop) {
    payload = s.loop->Frame(s.frame, s.codec);
    s.frame = (s.frame + 1) % s.loop->frames();
  }
  packet[0] = 0x80;
  packet[1] = static_cast<uint8_t>(s.codec | (s.marker ? 0x80 : 0));
  s.marker = false;
  packet[2] = static_cast<uint8_t>(s.seq >> 8);
  packet[3] = static_cast<uint8_t>(s.seq);
  for (int i = 0; i < 4; ++i) packet[4 + i] = static_cast<uint8_t>(s.ts >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) packet[8 + i] = static_cast<uint8_t>(s.ssrc >> (24 - 8 * i));
  std::memcpy(packet + 12, payload ? payload : SilenceFrame(s.codec), kFrameSamples);
  boost::system::error_code ec;
  s.socket.send(boost::asio::buffer(packet), 0, ec);  // a lost packet is not retried
  ++s.packets;
  s.octets += kFrameSamples;
  if (s.until_report > 0 && --s.until_report == 0) {
    s.until_report = report_every_;
    SendReport(s);
  }
  ++s.seq;
  s.ts += kFrameSamples;
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
