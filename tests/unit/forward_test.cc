// The cmdlets rgs sends to rgsd (cli/forward.h) are cmdlets of the table, under the same aliases;
// and rgsd runs exactly those.
#include "cli/forward.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <set>
#include <string>

#include "cli/cmdlets.h"

using namespace rgs::cli;

TEST_CASE("every forwarded cmdlet is in the table, with the table's alias") {
  for (const auto& f : kForwarded) {
    INFO(f.name);
    const Cmdlet* c = FindCmdlet(f.name);
    REQUIRE(c != nullptr);
    CHECK(std::string(c->name) == f.name);
    CHECK(std::string(c->alias ? c->alias : "") == (f.alias ? f.alias : ""));
    if (f.alias) CHECK(FindCmdlet(f.alias) == c);
  }
}

TEST_CASE("rgsd runs exactly the forwarded cmdlets, and none that reads a file or rgsd's live state") {
  std::set<std::string> forwarded;
  for (const auto& f : kForwarded) forwarded.insert(f.name);
  for (const auto& c : Cmdlets()) {
    INFO(c.name);
    CHECK((FindForwarded(c.name) != nullptr) == (forwarded.count(c.name) == 1));
    // Commands for rgsd's live state, help and the archive cmdlets (files) stay with rgs.
    if (c.store == StoreUse::kNone) CHECK_FALSE(FindForwarded(c.name));
  }
  for (const char* kept : {"import-configuration", "export-configuration", "import-audiofile", "get-audiofile",
                           "test-workflow", "help", "set-configuration"})
    CHECK_FALSE(FindForwarded(kept));
  CHECK(FindForwarded("set-queue") != nullptr);
  CHECK(FindForwarded("SET-CSRGSQUEUE") == FindForwarded("set-queue"));
  CHECK_FALSE(FindForwarded("set-queu"));
  CHECK_FALSE(FindForwarded("set-queues"));
}

TEST_CASE("the options rgs skips to find the cmdlet are the global options that take a value") {
  // The options with a value that every cmdlet accepts, by each of their names.
  std::set<std::string> common;
  bool first = true;
  for (const auto& c : Cmdlets()) {
    Globals g;
    Runner run;
    auto app = BuildApp(c, &g, &run);
    std::set<std::string> names;
    for (const CLI::Option* o : app->get_options()) {
      if (o->get_items_expected_max() == 0) continue;  // a flag
      for (const auto& l : o->get_lnames()) names.insert("--" + l);
      for (const auto& s : o->get_snames()) names.insert("-" + s);
    }
    if (first) common = names;
    std::set<std::string> both;
    for (const auto& n : names)
      if (common.count(n)) both.insert(n);
    common = both;
    first = false;
  }
  CHECK(common == std::set<std::string>(std::begin(kValueOptions), std::end(kValueOptions)));
}
