#include "daemon/control.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rgs::daemon {

using Json = nlohmann::ordered_json;
using boost::asio::local::stream_protocol;

ControlServer::ControlServer(boost::asio::io_context& main, Acd& acd) : main_(main), acd_(acd), acceptor_(io_) {}

ControlServer::~ControlServer() { Close(); }

Status ControlServer::Listen(const std::string& path) {
  // A socket file left by a daemon that did not stop cleanly is replaced; a live one is not.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return IoError("control socket " + path + " exists and is not a socket");
    stream_protocol::socket probe(io_);
    boost::system::error_code ec;
    probe.connect(stream_protocol::endpoint(path), ec);
    if (!ec) return Conflict("another rgsd is listening on control socket " + path);
    ::unlink(path.c_str());
  }
  boost::system::error_code ec;
  acceptor_.open(stream_protocol(), ec);
  if (!ec) acceptor_.bind(stream_protocol::endpoint(path), ec);
  if (!ec) acceptor_.listen(64, ec);
  if (ec) return IoError("cannot listen on control socket " + path + ": " + ec.message());
  ::chmod(path.c_str(), 0660);
  path_ = path;
  Accept();
  thread_ = std::thread([this] { io_.run(); });
  return Status::Ok();
}

void ControlServer::Close() {
  if (path_.empty()) return;
  io_.stop();  // handlers not run yet are dropped, their connections closed with io_
  if (thread_.joinable()) thread_.join();
  boost::system::error_code ec;
  acceptor_.close(ec);
  ::unlink(path_.c_str());
  path_.clear();
}

namespace {

struct Session : std::enable_shared_from_this<Session> {
  explicit Session(stream_protocol::socket s) : socket(std::move(s)) {}
  stream_protocol::socket socket;
  boost::asio::streambuf in;
  std::string out;
};

const char* CodeName(Code c) {
  switch (c) {
    case Code::kNotFound: return "notfound";
    case Code::kInvalid: return "invalid";
    case Code::kUsage: return "usage";
    default: return "internal";
  }
}

Json Fail(const Status& s) { return {{"ok", false}, {"code", CodeName(s.code())}, {"error", s.message()}}; }

bool IsRun(const std::string& line) {
  Json req = Json::parse(line, nullptr, false);
  return req.is_object() && req.contains("op") && req["op"] == "run";
}

// Writes the answer on the socket's thread; the connection closes when the write is done.
void Reply(boost::asio::io_context& io, std::shared_ptr<Session> s, std::string answer) {
  boost::asio::post(io, [s, answer = std::move(answer)]() mutable {
    s->out = std::move(answer);
    boost::asio::async_write(s->socket, boost::asio::buffer(s->out), [s](const boost::system::error_code&, size_t) {});
  });
}

// The connecting process's uid, from the kernel; -1 when unknown.
uid_t PeerUid(int fd) {
  struct ucred cred {};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return static_cast<uid_t>(-1);
  return cred.uid;
}

}  // namespace

void ControlServer::Accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, stream_protocol::socket socket) {
    if (ec) return;  // closed
    auto s = std::make_shared<Session>(std::move(socket));
    boost::asio::async_read_until(s->socket, s->in, '\n', [this, s](const boost::system::error_code& rec, size_t) {
      if (rec) return;
      std::istream is(&s->in);
      std::string line;
      std::getline(is, line);
      if (runner_ && IsRun(line)) {
        runner_(line, PeerUid(s->socket.native_handle()),
                [this, s](std::string answer) { Reply(io_, s, std::move(answer)); });
        return;
      }
      boost::asio::post(main_, [this, s, line] { Reply(io_, s, Handle(line) + "\n"); });
    });
    Accept();
  });
}

std::string ControlServer::Handle(const std::string& line) {
  Json req = Json::parse(line, nullptr, false);
  if (req.is_discarded() || !req.is_object() || !req.contains("op") || !req["op"].is_string())
    return Fail(Usage("a request is one JSON object with \"op\"")).dump();
  auto str = [&](const char* k) {
    return req.contains(k) && req[k].is_string() ? req[k].get<std::string>() : std::string();
  };
  std::string op = req["op"];
  if (op == "set-agentstate") {
    if (str("agent").empty() || str("group").empty() || !req.contains("signed_in") || !req["signed_in"].is_boolean())
      return Fail(Usage("set-agentstate needs agent, group and signed_in")).dump();
    Status s = acd_.SignIn(str("agent"), str("group"), req["signed_in"].get<bool>());
    if (!s.ok()) return Fail(s).dump();
    auto states = acd_.AgentStates(str("agent"), str("group"));
    return Json{{"ok", true}, {"result", states.ok() ? *states : Json::array()}}.dump();
  }
  if (op == "get-agentstate") {
    auto states = acd_.AgentStates(str("agent"), str("group"));
    if (!states.ok()) return Fail(states.status()).dump();
    return Json{{"ok", true}, {"result", *states}}.dump();
  }
  if (op == "get-queuestate") return Json{{"ok", true}, {"result", acd_.QueueStates()}}.dump();
  if (op == "status")
    return Json{{"ok", true},
                {"result",
                 {{"Revision", acd_.snapshot().revision},
                  {"Pool", acd_.snapshot().pool},
                  {"Calls", acd_.calls()},
                  // The media side: clips held, text renderings done, prompts played from the clips and
                  // skipped (bench/media.sh's cache figures).
                  {"Clips", acd_.audio().size()},
                  {"Renderings", acd_.audio().renderings()},
                  {"PromptsPlayed", acd_.prompts().played},
                  {"PromptsMissing", acd_.prompts().missing},
                  // RTP packets relayed for anonymous workflows, each way.
                  {"RelayedToAgents", acd_.rtp().relayed_to_agents()},
                  {"RelayedToCallers", acd_.rtp().relayed_to_callers()},
                  // Sources with failed authentications and nonces with counts the authenticator keeps
                  // (each at most sip.auth_max_tracked).
                  {"AuthSources", acd_.authenticator().tracked_sources()},
                  {"AuthNonces", acd_.authenticator().tracked_nonces()},
                  // Call records and agents' state handed to the store thread and not written yet.
                  {"Unwritten", acd_.unwritten()}}}}
        .dump();
  return Fail(Usage("unknown op '" + op + "'")).dump();
}

}  // namespace rgs::daemon
