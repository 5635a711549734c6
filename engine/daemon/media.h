// rgsd's side of the media: the RTP it sends to callers it holds (prompts, music on hold,
// silence; G.711 or G.722, 20 ms packets) until an agent takes the call and the media path leaves
// rgsd, and the keys callers press on the same port: RFC 4733 telephone-events, or tones in the
// audio of callers that did not offer those (daemon/inband.h).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>

#include "core/sdp.h"
#include "daemon/audio.h"
#include "daemon/inband.h"

namespace rgs::daemon {

using core::SdpOffer;

class RtpSender {
 public:
  // report_interval: how often each stream's RTCP sender report goes out (RFC 3550 §6.2: 5 s).
  RtpSender(boost::asio::io_context& io, std::string address, int min_port, int max_port,
            std::chrono::milliseconds report_interval = std::chrono::seconds(5));
  ~RtpSender();

  // on_done(call): the prompts given to Play have all been sent. on_key(call, key): the caller
  // pressed a key ('0'-'9', '*', '#', 'A'-'D'). Both run as handlers of the io_context.
  void SetHandlers(std::function<void(uint64_t)> on_done, std::function<void(uint64_t, char)> on_key);
  // on_audio(call, codec, payload, size): the caller's audio, for the calls Listen turned on.
  void SetAudioHandler(std::function<void(uint64_t, int, const uint8_t*, size_t)> on_audio);
  void Listen(uint64_t call, bool on);

  // Opens a port for one caller and starts sending to the caller's address: silence, or the
  // music given to Loop before. 0 when no port is free.
  int Open(uint64_t call, const SdpOffer& remote, int codec);
  void Close(uint64_t call);
  // Plays `clips` one after the other from their beginning, in place of whatever plays, then
  // silence; on_done when the last has been sent.
  void Play(uint64_t call, std::vector<std::shared_ptr<const Clip>> clips);
  // Plays `clip` in a loop from its beginning, in place of whatever plays (null: silence). Given
  // before Open, it is what the call starts with.
  void Loop(uint64_t call, std::shared_ptr<const Clip> clip);
  // Sends the call's RTP to a new address (the caller's re-INVITE); its local port, 0 if none.
  int Retarget(uint64_t call, const SdpOffer& remote);

  // Anonymous workflows: rgsd relays the RTP between caller and agent, so that neither learns
  // the other's address. OpenRelay opens the call's agent-side port (one per call, whichever
  // agent answers; 0 when no port is free); Relay joins it to the caller's once the agent has
  // answered: rgsd's own sending stops, and packets go across unchanged both ways.
  // RetargetRelay follows the agent's new address (hold, a move); it returns the port.
  int OpenRelay(uint64_t call);
  void Relay(uint64_t call, const SdpOffer& agent);
  int RetargetRelay(uint64_t call, const SdpOffer& agent);
  int codec(uint64_t call) const;
  size_t active() const { return sessions_.size(); }
  // The most sockets the media may hold at once (RTP, RTCP and relay ports): rgsd keeps the
  // rest of its descriptors for SIP, the control socket and the store. Past it a new caller gets
  // no port (Open returns 0) and a stream sends no RTCP.
  void SetSocketLimit(size_t limit) { socket_limit_ = limit; }
  size_t sockets() const { return sessions_.size() + relays_.size() + rtcp_open_; }
  // Packets relayed since rgsd started (anonymous workflows), each way.
  uint64_t relayed_to_agents() const { return relayed_to_agents_; }
  uint64_t relayed_to_callers() const { return relayed_to_callers_; }
  const std::string& address() const { return address_; }

 private:
  // The 20 ms of a packet are cut into kSlots slots of 1 ms; each caller sends in the slot its
  // stream started in. A tick sends one slot's packets, so the work of many callers is spread
  // over the 20 ms instead of one burst that would hold up the SIP side for milliseconds.
  static constexpr int kSlots = 20;
  struct RelayLeg {
    boost::asio::ip::udp::socket socket;  // connected to the agent's address once joined
    int port = 0;
    std::array<uint8_t, 1500> in{};
    explicit RelayLeg(boost::asio::io_context& io) : socket(io) {}
  };
  struct Session {
    uint64_t call = 0;
    boost::asio::ip::udp::socket rtcp;  // the RTP port + 1: sender reports out, reports in (drained)
    SdpOffer rtcp_to;                   // the caller's RTCP address and port
    std::array<uint8_t, 512> rtcp_in{};
    uint32_t packets = 0, octets = 0;     // sent, for the sender reports
    int until_report = 0;                 // packets to send before the next sender report (-1: none)
    RelayLeg* relay = nullptr;            // joined: the caller's packets go to the agent, rgsd sends none
    boost::asio::ip::udp::socket socket;  // connected to the caller's address: no route lookup per packet
    int port = 0;
    uint8_t codec = 0;
    int telephone_event = -1;            // the caller's RFC 4733 payload type
    std::unique_ptr<InbandDtmf> inband;  // without telephone-events: the tones in the caller's audio
    uint16_t seq = 0;
    uint32_t ts = 0, ssrc = 0;
    bool marker = true;                                // the next packet starts a talkspurt (RFC 3551 4.1)
    std::vector<std::shared_ptr<const Clip>> prompts;  // playing, then silence
    std::shared_ptr<const Clip> loop;                  // else this, over and over
    size_t frame = 0;                                  // the next frame of prompts.front() or of loop
    int64_t last_event_ts = -1;                        // the RTP timestamp of the last key reported
    bool listening = false;                            // the caller's audio goes to on_audio_
    std::array<uint8_t, 1500> in{};
    int slot = 0;
    size_t index = 0;  // its place in slots_[slot]
    explicit Session(boost::asio::io_context& io) : rtcp(io), socket(io) {}
  };
  // false when the port is taken or no descriptor is left (*out_of_descriptors then true).
  bool OpenPort(boost::asio::ip::udp::socket& socket, int port, bool* out_of_descriptors = nullptr);
  int Bind(boost::asio::ip::udp::socket& socket);  // the even port bound, 0 if none is free
  void SendReport(Session& s);
  void DrainReports(Session& s);
  void Receive(Session& s);
  void ReceiveRelay(uint64_t call, RelayLeg& r);
  void OnPacket(Session& s, size_t n);
  void ReportKey(uint64_t call, char key);
  void Send(Session& s);
  void Tick();

  boost::asio::io_context& io_;
  std::string address_;
  int min_port_, max_port_, next_port_;
  int report_every_;   // packets between two sender reports
  std::string cname_;  // RTCP SDES CNAME (RFC 3550 §6.5.1)
  std::unordered_map<uint64_t, std::unique_ptr<Session>> sessions_;
  std::unordered_map<uint64_t, std::unique_ptr<RelayLeg>> relays_;
  size_t rtcp_open_ = 0;  // sessions whose RTCP socket is open
  size_t socket_limit_ = SIZE_MAX;
  uint64_t relayed_to_agents_ = 0, relayed_to_callers_ = 0;
  std::array<std::vector<Session*>, kSlots> slots_;
  std::unordered_map<uint64_t, std::shared_ptr<const Clip>> loop_before_open_;
  std::function<void(uint64_t)> on_done_;
  std::function<void(uint64_t, char)> on_key_;
  std::function<void(uint64_t, int, const uint8_t*, size_t)> on_audio_;
  boost::asio::steady_timer timer_;
  bool ticking_ = false;
  int next_slot_ = 0;                                // the slot the next tick sends
  std::chrono::steady_clock::time_point next_tick_;  // when that slot is due
};

}  // namespace rgs::daemon
