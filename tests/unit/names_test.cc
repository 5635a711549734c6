// Tests of user and host names (engine/os/names.h).
#include "os/names.h"

#include <unistd.h>

#include <catch2/catch.hpp>

using namespace rgs::os;

TEST_CASE("user names come from the system's user database", "[names]") {
  CHECK(UserName(0) == "root");
  // A uid that no database knows.
  CHECK(UserName(4123456) == "uid 4123456");
}

TEST_CASE("the host name is a name", "[names]") {
  char host[256] = {};
  REQUIRE(gethostname(host, sizeof host - 1) == 0);
  std::string fqdn = HostFqdn();
  CHECK_FALSE(fqdn.empty());
  CHECK(fqdn.find_first_of(" \t\n") == std::string::npos);
  // Either the kernel's name or a qualified one.
  CHECK((fqdn == host || fqdn.find('.') != std::string::npos));
}
