// rgs's side of forwarding (cli/forward.h). When rgsd serves the store a command names, the
// command runs in rgsd on its open store (DESIGN §6: rgsd's control socket): rgs then starts no
// SQLite, reads no schema and rebuilds no WAL index, and a write syncs once on rgsd's connection.
// Only cmdlets of kForwarded are sent, never with a file or standard input to read, never when a
// question may be asked on a terminal, never with -o table (its width is rgs's terminal's), and
// never with --pool (which may create a store). rgsd declines what it will not run (another
// store, a user who may not write it), and the command runs here as it would without rgsd. rgsd
// not listening (no socket, or connection refused) is the same.
#include "cli/forward.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "cli/execute.h"
#include "control/client.h"

namespace rgs::cli {
namespace {

constexpr int kHere = -1;     // the command runs in this process
constexpr int kNoAnswer = 1;  // ExitStatus(Code::kIoError)

// "table", in any letter case.
bool IsTable(const std::string& s) {
  if (s.size() != 5) return false;
  for (size_t i = 0; i < 5; ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != "table"[i]) return false;
  return true;
}

// To the socket without SIGPIPE should rgsd be gone (the write fails instead), to a file or pipe
// as write(2) does.
bool WriteAll(int fd, const char* p, size_t n, bool socket) {
  while (n > 0) {
    ssize_t w = socket ? ::send(fd, p, n, MSG_NOSIGNAL) : ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The request line, or "" when an argument is not UTF-8: rgsd could not read it, and rgs refuses
// it here with its own message.
std::string Request(const std::string& store, const std::vector<std::string>& args) {
  try {
    return nlohmann::json{{"op", "run"}, {"store", store}, {"args", args}}.dump() + "\n";
  } catch (const nlohmann::json::type_error&) {
    return "";
  }
}

// Sends the request; the answer's exit status, or kHere.
int Send(const std::vector<std::string>& args, const std::string& store, const std::string& socket_path) {
  // No rgsd: one system call (the socket's access check) before the command runs here.
  if (::access(socket_path.c_str(), W_OK) != 0) return kHere;
  char resolved[PATH_MAX];
  if (!::realpath(store.c_str(), resolved)) return kHere;  // a new store is made here
  std::string request = Request(resolved, args);
  if (request.empty()) return kHere;
  auto connected = control::Connect(socket_path);
  if (!connected.ok()) return kHere;
  int fd = *connected;
  if (fd <= 2) {  // standard output or error is closed: the socket must not take its place
    int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    if (moved < 0) return kHere;
    fd = moved;
  }
  if (!WriteAll(fd, request.data(), request.size(), true)) {  // rgsd has not the whole request: nothing ran
    ::close(fd);
    return kHere;
  }
  ::shutdown(fd, SHUT_WR);

  // The answer: a header line, then the bytes of standard output and standard error it announces
  // ({"err":N,"exit":S,"out":N}), or {"declined":true,...}.
  std::string got;
  char buf[65536];
  size_t eol = std::string::npos;
  while (eol == std::string::npos && got.size() < sizeof buf) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
    eol = got.find('\n');
  }
  auto header = nlohmann::json::parse(got.substr(0, eol), nullptr, false);
  if (eol == std::string::npos || !header.is_object()) header = nlohmann::json::object();
  // A byte count of the header, 0 when it is not there, -1 when it is not a count.
  auto count = [&](const char* key) -> long {
    if (!header.contains(key)) return 0;
    return header[key].is_number_unsigned() ? header[key].get<long>() : -1;
  };
  bool answered =
      header.contains("exit") && header["exit"].is_number_integer() && count("out") >= 0 && count("err") >= 0;
  bool declined = header.contains("declined") && header["declined"] == true;
  if (declined || (!header.contains("exit") && header.contains("ok"))) {
    ::close(fd);  // declined, or an rgsd that runs no commands: the command runs here
    return kHere;
  }
  int status = kNoAnswer;
  bool complete = false;
  bool written = true;  // standard output took every byte (else exit 1, as rgs alone)
  if (answered) {
    status = header["exit"].get<int>();
    long wanted[2] = {count("out"), count("err")};
    got.erase(0, eol + 1);
    int stream = 0;
    while (true) {
      while (!got.empty() && stream < 2) {  // hand on what was read
        size_t take = std::min(got.size(), static_cast<size_t>(wanted[stream]));
        if (take && !WriteAll(stream + 1, got.data(), take, false) && stream == 0) written = false;
        got.erase(0, take);
        wanted[stream] -= static_cast<long>(take);
        if (wanted[stream] == 0) ++stream;
      }
      while (stream < 2 && wanted[stream] == 0) ++stream;
      if (stream == 2) break;
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got.assign(buf, static_cast<size_t>(n));
    }
    complete = stream == 2;
  }
  ::close(fd);
  if (!complete) {
    // rgsd took the command and did not answer it all: it may or may not have run.
    std::string message = "rgs: rgsd (control socket " + socket_path +
                          ") closed the connection without an answer; the command may or may not have taken effect: "
                          "see 'rgs get-revision'\n";
    WriteAll(2, message.data(), message.size(), false);
    return kNoAnswer;
  }
  if (status == 0 && !written) return kNoAnswer;
  return status & 255;
}

}  // namespace

int Forward(const std::vector<std::string>& args) {
  bool help = false, version = false;
  int at = CmdletPosition(args, &help, &version);
  if (at < 0 || help || version || !FindForwarded(args[at].c_str())) return kHere;

  std::string store;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help" || StartsWith(a, "--instance") || StartsWith(a, "--question-file") ||
        StartsWith(a, "--pool"))
      return kHere;
    // -o table fits rgs's terminal, which rgsd does not know.
    if (((a == "-o" || a == "--output") && i + 1 < args.size() && IsTable(args[i + 1])) ||
        (StartsWith(a, "--output=") && IsTable(a.substr(9))) ||
        (StartsWith(a, "-o") && a != "-o" && IsTable(a.substr(2))))
      return kHere;
    if (a == "--store" && i + 1 < args.size())
      store = args[i + 1];
    else if (StartsWith(a, "--store="))
      store = a.substr(8);
  }
  if (!Env("RGS_POOL").empty()) return kHere;
  if (::isatty(0) && ::isatty(2)) return kHere;  // may have to ask
  return Send(args, StorePath(store), control::SocketPath(""));
}

}  // namespace rgs::cli
