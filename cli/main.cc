// rgs: finds the cmdlet, parses its options, opens the store as the cmdlet's row says, runs the
// handler in one transaction, prints, and exits with the status of ExitStatus().
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <iostream>
#include <set>

#include "cli/cmdlets.h"
#include "os/names.h"

namespace rgs::cli {
namespace {

int Fail(const Status& s) {
  std::string line;
  std::istringstream lines(s.message());
  while (std::getline(lines, line)) std::cerr << "rgs: " << line << "\n";
  return ExitStatus(s.code());
}

std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,%") ==
                        std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Global options that take a value, so that their values are not taken for the cmdlet name.
bool TakesValue(const std::string& a) {
  static const std::set<std::string> kValued = {"--store", "--pool", "-o", "--output", "--expect-revision"};
  return kValued.count(a) > 0;
}

int Run(int argc, char** argv) {
  int at = -1;
  bool help = false, version = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (TakesValue(a)) {
      ++i;
      continue;
    }
    if (a == "-h" || a == "--help") help = true;
    if (a == "--version") version = true;
    if (!a.empty() && a[0] == '-') continue;
    at = i;
    break;
  }
  if (at < 0) {
    if (version) {
      std::cout << "rgs " << RGS_VERSION << "\n";
      return 0;
    }
    PrintUsage(help ? std::cout : std::cerr);
    return help ? 0 : 2;
  }
  const Cmdlet* cmdlet = FindCmdlet(argv[at]);
  if (!cmdlet) return Fail(UnknownCmdlet(argv[at]));

  Globals g;
  Runner run;
  auto app = BuildApp(*cmdlet, &g, &run);
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i)
    if (i != at) rest.push_back(argv[i]);
  try {
    app->parse(static_cast<int>(rest.size()), rest.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      std::cout << app->help();
      return 0;
    }
    std::cerr << "rgs: " << cmdlet->name << ": " << e.what() << "\n"
              << "rgs: see 'rgs " << cmdlet->name << " --help'\n";
    return 2;
  }

  std::stringstream held;
  Context ctx(cmdlet->store == StoreUse::kWrite ? static_cast<std::ostream&>(held) : std::cout);
  ctx.cmdlet = cmdlet->name;
  ctx.whatif = g.whatif;
  ctx.force = g.force;
  ctx.quiet = g.quiet;
  if (!g.output.empty()) {
    auto f = ParseFormat(g.output);
    if (!f) return Fail(Usage("--output: '" + g.output + "' is not one of list, table, json, yaml, csv"));
    ctx.format = *f;
  }

  std::unique_ptr<store::Store> st;
  std::unique_ptr<store::Catalog> catalog;
  if (cmdlet->store != StoreUse::kNone) {
    std::string path = g.store;
    if (path.empty()) {
      const char* env = std::getenv("RGS_STORE");
      path = env && *env ? env : kDefaultStore;
    }
    std::string pool = g.pool;
    if (const char* env = std::getenv("RGS_POOL"); pool.empty() && env && *env) pool = env;
    // A new store serves this host's pool unless told otherwise; the name is worked out only
    // when the store may be new (even a file that exists may be one another rgs is creating).
    std::function<std::string()> default_pool = [] { return os::HostFqdn(); };
    auto opened = store::Store::Open(
        path, cmdlet->store == StoreUse::kWrite ? store::Store::Mode::kWrite : store::Store::Mode::kRead, pool,
        default_pool);
    if (!opened.ok()) return Fail(opened.status());
    st = std::move(*opened);
    catalog = std::make_unique<store::Catalog>(*st);
    ctx.store = st.get();
    ctx.catalog = catalog.get();
  }

  Status s;
  if (cmdlet->store == StoreUse::kWrite) {
    s = st->Begin();
    if (s.ok() && g.expect_revision && *g.expect_revision != st->revision())
      s = Conflict("the store is at revision " + std::to_string(st->revision()) + ", not " +
                   std::to_string(*g.expect_revision));
    if (s.ok()) s = run(ctx);
    for (auto& w : catalog->TakeDangling()) ctx.warnings.push_back(std::move(w));
    if (!s.ok()) {
      st->Rollback();
      catalog.reset();
      store::Store::Discard(std::move(st));
      return Fail(s);
    }
    if (ctx.whatif) {
      auto changes = st->changes();
      st->Rollback();
      // What the handler printed is what a real run prints; a report of its own (an import's
      // plan) stays, followed by the changes the store would take.
      if (!ctx.own_whatif_report) held.str("");
      PrintChanges(ctx, changes,
                   changes.empty() ? "What if: nothing would change"
                                   : "What if: revision " + std::to_string(st->revision() + 1) + " would make these changes");
    } else {
      std::string command = "rgs";
      for (int i = 1; i < argc; ++i) command += " " + ShellQuote(argv[i]);
      auto committed = st->Commit(os::UserName(geteuid()), "administrator", command, ctx.summary.empty() ? command : ctx.summary);
      if (!committed.ok()) return Fail(committed.status());
    }
    if (st->revision() == 0) {   // nothing was written: leave no empty store behind
      catalog.reset();
      ctx.store = nullptr;
      ctx.catalog = nullptr;
      store::Store::Discard(std::move(st));
    }
  } else {
    s = run(ctx);
    if (!s.ok()) {
      return Fail(s);
    }
  }
  // -q silences warnings and what a writing cmdlet prints; what a reading one was asked for stays.
  if ((!ctx.quiet || ctx.whatif) && held.tellp() > 0) std::cout << held.rdbuf();
  if (!ctx.quiet)
    for (const auto& w : ctx.warnings) std::cerr << "rgs: warning: " << w << "\n";
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace
}  // namespace rgs::cli

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return rgs::cli::Run(argc, argv);
}
