// rgsd's side of the media: the SDP it answers with, and the RTP it sends to waiting callers
// (G.711, 20 ms packets) until an agent takes the call and the media path leaves rgsd.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>

namespace rgs::daemon {

struct SdpOffer {
  std::string address;       // c= (session or media level)
  int port = 0;              // m=audio
  std::vector<int> formats;  // payload types in the caller's order
  int telephone_event = -1;  // the RFC 4733 payload type, if offered
};
// nullopt when there is no audio stream to answer.
std::optional<SdpOffer> ParseSdp(const std::string& sdp);

// The codec rgsd answers with: PCMU (0) or PCMA (8), the first of them the caller offered.
std::optional<int> ChooseCodec(const SdpOffer& offer);

std::string AnswerSdp(const std::string& address, int port, int codec, int telephone_event, uint64_t session,
                      uint64_t version);

// The agent's SDP, given rgsd's origin line (o=) so the caller sees the same session, a newer
// version (RFC 3264 §8, RFC 3725).
std::string WithOrigin(const std::string& sdp, const std::string& address, uint64_t session, uint64_t version);

class RtpSender {
 public:
  RtpSender(boost::asio::io_context& io, std::string address, int min_port, int max_port);
  ~RtpSender();

  // Opens a port for one caller and starts sending to the caller's address. 0 when no port is
  // free.
  int Open(uint64_t call, const SdpOffer& remote, int codec);
  void Close(uint64_t call);
  size_t active() const { return sessions_.size(); }
  const std::string& address() const { return address_; }

 private:
  struct Session {
    boost::asio::ip::udp::socket socket;
    boost::asio::ip::udp::endpoint remote;
    int port = 0;
    uint8_t codec = 0;
    uint16_t seq = 0;
    uint32_t ts = 0, ssrc = 0;
    explicit Session(boost::asio::io_context& io) : socket(io) {}
  };
  void Tick();

  boost::asio::io_context& io_;
  std::string address_;
  int min_port_, max_port_, next_port_;
  std::unordered_map<uint64_t, std::unique_ptr<Session>> sessions_;
  boost::asio::steady_timer timer_;
  bool ticking_ = false;
  uint64_t frame_ = 0;
  std::chrono::steady_clock::time_point next_tick_;
};

}  // namespace rgs::daemon
