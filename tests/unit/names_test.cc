// Tests of user and host names found without NSS (engine/os/names.h).
#include "os/names.h"

#include <unistd.h>

#include <catch2/catch.hpp>

using namespace rgs::os;

TEST_CASE("a passwd line gives the name of its uid", "[names]") {
  std::string text =
      "root:x:0:0:root:/root:/bin/bash\n"
      "broken line\n"
      "nouid:x::5:x:/:/bin/sh\n"
      "+nis:x:1000:1000::/:/bin/sh\n"
      "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
      "bob:x:10001:100::/home/bob:/bin/sh";   // last line without a newline
  CHECK(PasswdName(text, 0) == "root");
  CHECK(PasswdName(text, 1000) == "alice");
  CHECK(PasswdName(text, 10001) == "bob");
  CHECK_FALSE(PasswdName(text, 5).has_value());
  CHECK_FALSE(PasswdName(text, 100).has_value());
  CHECK_FALSE(PasswdName("", 0).has_value());
}

TEST_CASE("user names come from the system's files or getent", "[names]") {
  CHECK(UserName(0) == "root");
  // A uid that no database knows.
  CHECK(UserName(4123456) == "uid 4123456");
}

TEST_CASE("a program's first line is read, and a failing program gives nothing", "[names]") {
  CHECK(FirstLineOf({"printf", "one\\ntwo\\n"}) == std::optional<std::string>("one"));
  CHECK_FALSE(FirstLineOf({"false"}).has_value());
  CHECK_FALSE(FirstLineOf({"/nonexistent/program"}).has_value());
  CHECK_FALSE(FirstLineOf({}).has_value());
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
