// rgsd's side of the media: the SDP it answers with, and the RTP it sends to waiting callers
// (G.711, 20 ms packets) until an agent takes the call and the media path leaves rgsd.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>

#include "core/sdp.h"

namespace rgs::daemon {

using core::SdpOffer;

class RtpSender {
 public:
  RtpSender(boost::asio::io_context& io, std::string address, int min_port, int max_port);
  ~RtpSender();

  // Opens a port for one caller and starts sending to the caller's address. 0 when no port is
  // free.
  int Open(uint64_t call, const SdpOffer& remote, int codec);
  void Close(uint64_t call);
  // Sends the call's RTP to a new address (the caller's re-INVITE); its local port, 0 if none.
  int Retarget(uint64_t call, const SdpOffer& remote);
  int codec(uint64_t call) const;
  size_t active() const { return sessions_.size(); }
  const std::string& address() const { return address_; }

 private:
  // The 20 ms of a packet are cut into kSlots slots of 1 ms; each caller sends in the slot its
  // stream started in. A tick sends one slot's packets, so the work of many callers is spread
  // over the 20 ms instead of one burst that would hold up the SIP side for milliseconds.
  static constexpr int kSlots = 20;
  struct Session {
    boost::asio::ip::udp::socket socket;   // connected to the caller's address: no route lookup per packet
    int port = 0;
    uint8_t codec = 0;
    uint16_t seq = 0;
    uint32_t ts = 0, ssrc = 0;
    uint32_t frame = 0;   // the next frame of the tone this caller hears
    int slot = 0;
    size_t index = 0;     // its place in slots_[slot]
    explicit Session(boost::asio::io_context& io) : socket(io) {}
  };
  void Send(Session& s);
  void Tick();

  boost::asio::io_context& io_;
  std::string address_;
  int min_port_, max_port_, next_port_;
  std::unordered_map<uint64_t, std::unique_ptr<Session>> sessions_;
  std::array<std::vector<Session*>, kSlots> slots_;
  boost::asio::steady_timer timer_;
  bool ticking_ = false;
  int next_slot_ = 0;                                  // the slot the next tick sends
  std::chrono::steady_clock::time_point next_tick_;    // when that slot is due
};

}  // namespace rgs::daemon
