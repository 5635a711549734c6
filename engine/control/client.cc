#include "control/client.h"
#include "control/paths.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace rgs::control {

std::string SocketPath(const std::string& path) {
  if (!path.empty()) return path;
  const char* env = std::getenv("RGS_CONTROL");
  return env && *env ? env : kDefaultSocket;
}

Result<int> Connect(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return Usage("control socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    ::close(fd);
    return IoError("rgsd is not reachable on control socket " + path + ": " + std::strerror(e) +
                   " (is rgsd running? --control or RGS_CONTROL names its socket)");
  }
  return fd;
}

bool WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

Result<nlohmann::ordered_json> Call(const std::string& path, const nlohmann::ordered_json& request, int timeout_ms) {
  auto connected = Connect(path);
  if (!connected.ok()) return connected.status();
  int fd = *connected;
  if (!WriteAll(fd, request.dump() + "\n")) {
    int e = errno;
    ::close(fd);
    return IoError(std::string("writing to rgsd: ") + std::strerror(e));
  }
  std::string answer;
  char buf[65536];
  while (answer.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, timeout_ms);
    if (r == 0) {
      ::close(fd);
      return IoError("rgsd did not answer within " + std::to_string(timeout_ms / 1000) + " s");
    }
    ssize_t n = r > 0 ? ::read(fd, buf, sizeof buf) : -1;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  auto j = nlohmann::ordered_json::parse(answer, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("ok")) return IoError("rgsd gave an answer that is not JSON");
  if (j["ok"] == true) return j.contains("result") ? j["result"] : nlohmann::ordered_json();
  std::string code = j.value("code", "");
  std::string msg = j.value("error", "rgsd refused the request");
  if (code == "notfound") return NotFound(msg);
  if (code == "invalid") return Invalid(msg);
  if (code == "usage") return Usage(msg);
  return Internal(msg);
}

}  // namespace rgs::control
