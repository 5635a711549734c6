// rgsd's control socket: a Unix stream socket taking one JSON request per line and answering
// with one JSON line. rgs set-agentstate, get-agentstate and get-queuestate speak it.
//   {"op":"set-agentstate","agent":"sip:a@x","group":"Support","signed_in":true}
//   {"op":"get-agentstate","agent":"","group":""}   {"op":"get-queuestate"}   {"op":"status"}
// Answers: {"ok":true,"result":...} or {"ok":false,"code":"notfound|invalid|usage","error":"..."}.
//   {"op":"run","store":"/var/lib/rgs/rgs.db","args":["rgs","get-queue"]}: an rgs command,
//   handed with the peer's uid to the runner set by SetRunner (rgsd: cli/serve.h), which answers.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>

#include "core/status.h"
#include "daemon/acd.h"

namespace rgs::daemon {

// The socket is served on a thread of its own, so that a request is read and answered at once
// (rgsd's main loop waits up to 10 ms in the SIP stack between rounds of Asio handlers). Requests
// about agents and queues are handed to the main loop, which owns the call distributor.
class ControlServer {
 public:
  ControlServer(boost::asio::io_context& main, Acd& acd);
  ~ControlServer();
  Status Listen(const std::string& path);
  // Stops serving: called on the main loop's thread.
  void Close();

  // Runs {"op":"run"} requests: `done` may be called on any thread, once, with the answer.
  using Runner = std::function<void(const std::string& request, uid_t peer, std::function<void(std::string)> done)>;
  void SetRunner(Runner runner) { runner_ = std::move(runner); }

 private:
  void Accept();
  std::string Handle(const std::string& line);  // on the main loop

  boost::asio::io_context& main_;
  Acd& acd_;
  boost::asio::io_context io_;  // the socket's, run by thread_
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::thread thread_;
  std::string path_;
  Runner runner_;  // after io_: a runner finishing a command may still post its answer to io_
};

}  // namespace rgs::daemon
