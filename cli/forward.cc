// rgs's side of forwarding. When rgsd serves the store a command names, the command runs in rgsd
// on its open store (DESIGN §6: rgsd's control socket): rgs then starts no SQLite, reads no
// schema and rebuilds no WAL index, and a write syncs once on rgsd's connection. Only cmdlets
// marked `forward` are sent, never with a file or standard input to read, never when a question
// may be asked on a terminal, and never with --pool (which may create a store). rgsd declines
// what it will not run (another store, a user who may not write it), and the command runs here
// as it would without rgsd. rgsd not listening (no socket, or connection refused) is the same.
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cmdlets.h"
#include "cli/execute.h"
#include "control/client.h"

namespace rgs::cli {
namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::optional<int> Forward(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  bool help = false, version = false;
  int at = CmdletPosition(args, &help, &version);
  if (at < 0 || help || version) return std::nullopt;
  const Cmdlet* cmdlet = FindCmdlet(args[at]);
  if (!cmdlet || !cmdlet->forward) return std::nullopt;
  std::string store;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help" || StartsWith(a, "--instance") || StartsWith(a, "--question-file") ||
        StartsWith(a, "--pool"))
      return std::nullopt;
    if (a == "--store" && i + 1 < args.size()) store = args[i + 1];
    else if (StartsWith(a, "--store=")) store = a.substr(8);
  }
  if (const char* pool = std::getenv("RGS_POOL"); pool && *pool) return std::nullopt;
  if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) return std::nullopt;   // may have to ask
  store = StorePath(store);
  std::string socket_path = control::SocketPath("");
  struct stat st {};
  if (::stat(socket_path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return std::nullopt;
  char resolved[PATH_MAX];
  if (!::realpath(store.c_str(), resolved)) return std::nullopt;   // a new store is made here

  auto connected = control::Connect(socket_path);
  if (!connected.ok()) return std::nullopt;
  int fd = *connected;
  std::string line;
  try {
    line = nlohmann::json{{"op", "run"}, {"store", resolved}, {"args", args}}.dump() + "\n";
  } catch (const nlohmann::json::exception&) {   // not UTF-8: rgs takes it as it is
    ::close(fd);
    return std::nullopt;
  }
  if (!control::WriteAll(fd, line)) {
    ::close(fd);
    return std::nullopt;   // nothing was received: nothing ran
  }
  ::shutdown(fd, SHUT_WR);
  // The answer is a header line, then the bytes it announces: reading stops there rather than
  // waiting for rgsd to close the connection.
  std::string reply;
  nlohmann::json head;
  size_t eol = std::string::npos, out_bytes = 0, err_bytes = 0;
  char buf[65536];
  while (eol == std::string::npos || reply.size() < eol + 1 + out_bytes + err_bytes) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
    if (eol == std::string::npos && (eol = reply.find('\n')) != std::string::npos) {
      head = nlohmann::json::parse(reply.substr(0, eol), nullptr, false);
      auto size_of = [&](const char* key) {
        return head.is_object() && head.contains(key) && head[key].is_number_unsigned() ? head[key].get<size_t>() : 0;
      };
      out_bytes = size_of("out");
      err_bytes = size_of("err");
    }
  }
  ::close(fd);
  bool answered = eol != std::string::npos && head.is_object();
  // Declined, or an rgsd that runs no commands (it answers with an error): the command runs here.
  if (answered && (head.value("declined", false) || (head.contains("ok") && !head.contains("exit"))))
    return std::nullopt;
  bool complete = answered && head.contains("exit") && head["exit"].is_number_integer() &&
                  reply.size() == eol + 1 + out_bytes + err_bytes;
  if (!complete) {
    // rgsd took the command and did not answer: it may or may not have run.
    std::cerr << "rgs: rgsd (control socket " << socket_path
              << ") closed the connection without an answer; the command may or may not have taken "
                 "effect: see 'rgs get-revision'\n";
    return ExitStatus(Code::kIoError);
  }
  std::cout.write(reply.data() + eol + 1, static_cast<std::streamsize>(out_bytes));
  std::cerr.write(reply.data() + eol + 1 + out_bytes, static_cast<std::streamsize>(err_bytes));
  std::cout.flush();
  return head["exit"].get<int>();
}

}  // namespace rgs::cli
