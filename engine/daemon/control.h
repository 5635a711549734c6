// rgsd's control socket: a Unix stream socket taking one JSON request per line and answering
// with one JSON line. rgs set-agentstate, get-agentstate and get-queuestate speak it.
//   {"op":"set-agentstate","agent":"sip:a@x","group":"Support","signed_in":true}
//   {"op":"get-agentstate","agent":"","group":""}   {"op":"get-queuestate"}   {"op":"status"}
// Answers: {"ok":true,"result":...} or {"ok":false,"code":"notfound|invalid|usage","error":"..."}.
#pragma once

#include <memory>
#include <string>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>

#include "core/status.h"
#include "daemon/acd.h"

namespace rgs::daemon {

class ControlServer {
 public:
  ControlServer(boost::asio::io_context& io, Acd& acd);
  ~ControlServer();
  Status Listen(const std::string& path);
  void Close();

 private:
  void Accept();
  std::string Handle(const std::string& line);

  boost::asio::io_context& io_;
  Acd& acd_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::string path_;
};

}  // namespace rgs::daemon
