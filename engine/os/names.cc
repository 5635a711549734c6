#include "os/names.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

extern char** environ;

namespace rgs::os {

std::optional<std::string> PasswdName(const std::string& text, uid_t uid) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    // name:password:uid:gid:gecos:home:shell
    size_t a = line.find(':');
    if (a == std::string::npos || a == 0 || line[0] == '+' || line[0] == '-') continue;
    size_t b = line.find(':', a + 1);
    if (b == std::string::npos) continue;
    size_t c = line.find(':', b + 1);
    if (c == std::string::npos) continue;
    unsigned long v = 0;
    auto [end, ec] = std::from_chars(line.data() + b + 1, line.data() + c, v);
    if (ec != std::errc() || end != line.data() + c || b + 1 == c) continue;
    if (v == uid) return line.substr(0, a);
  }
  return std::nullopt;
}

std::optional<std::string> FirstLineOf(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return std::nullopt;
  }
  std::string out;
  char buf[512];
  while (out.size() < 64 * 1024) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  out = out.substr(0, out.find('\n'));
  if (out.empty()) return std::nullopt;
  return out;
}

std::string UserName(uid_t uid) {
  if (int fd = ::open("/etc/passwd", O_RDONLY | O_CLOEXEC); fd >= 0) {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < (16u << 20)) text.append(buf, static_cast<size_t>(n));
    ::close(fd);
    if (auto name = PasswdName(text, uid)) return *name;
  }
  // Users from a directory service (LDAP, sssd, systemd's dynamic users).
  if (auto line = FirstLineOf({"getent", "passwd", std::to_string(uid)}))
    if (auto name = PasswdName(*line, uid)) return *name;
  return "uid " + std::to_string(uid);
}

std::string HostFqdn() {
  if (auto fqdn = FirstLineOf({"hostname", "--fqdn"}); fqdn && fqdn->find('.') != std::string::npos &&
                                                       fqdn->find_first_of(" \t") == std::string::npos)
    return *fqdn;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || !*host) return "localhost";
  return host;
}

}  // namespace rgs::os
