#include "os/names.h"

#include <netdb.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace rgs::os {

std::string UserName(uid_t uid) {
  long hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(hint > 0 ? static_cast<size_t>(hint) : 4096);
  passwd pw{};
  passwd* found = nullptr;
  int rc;
  while ((rc = ::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found)) == ERANGE && buf.size() < (1u << 20))
    buf.resize(buf.size() * 2);
  if (rc == 0 && found && found->pw_name && *found->pw_name) return found->pw_name;
  return "uid " + std::to_string(uid);
}

std::string HostFqdn() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || !*host) return "localhost";
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = AI_CANONNAME;
  addrinfo* info = nullptr;
  std::string name = host;
  if (::getaddrinfo(host, nullptr, &hints, &info) == 0) {
    std::string canonical = info && info->ai_canonname ? info->ai_canonname : "";
    if (canonical.find('.') != std::string::npos && canonical.find_first_of(" \t\n") == std::string::npos)
      name = canonical;
    ::freeaddrinfo(info);
  }
  return name;
}

}  // namespace rgs::os
