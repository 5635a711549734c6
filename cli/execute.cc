// One rgs command: finds the cmdlet, parses its options, opens the store as the cmdlet's row
// says (or uses rgsd's), runs the handler in one transaction, prints, and returns the exit status
// of ExitStatus(). rgs runs it for its own command line, rgsd for a command forwarded to it.
#include "cli/execute.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>

#include "cli/cmdlets.h"
#include "cli/completion.h"
#include "core/validate.h"
#include "os/names.h"

namespace rgs::cli {
namespace {

int Fail(std::ostream& err, const Status& s) {
  std::string line;
  std::istringstream lines(s.message());
  while (std::getline(lines, line)) err << "rgs: " << line << "\n";
  return ExitStatus(s.code());
}

void PrintWarnings(const Context& ctx, std::ostream& err) {
  if (!ctx.quiet)
    for (const auto& w : ctx.warnings) err << "rgs: warning: " << w << "\n";
}

std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,%") ==
                        std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool TakesValue(const std::string& a) {
  for (const char* o : kValueOptions)
    if (a == o) return true;
  return false;
}

// CLI11's message for a parse error, except that a mistyped option is said as rgs says it: the
// option, and the nearest one the cmdlet takes.
std::string ParseFailure(const CLI::App& app, const CLI::ParseError& e) {
  if (!dynamic_cast<const CLI::ExtrasError*>(&e)) return e.what();
  for (const auto& a : app.remaining()) {
    if (a.size() < 2 || a[0] != '-') continue;
    std::string given = a.substr(0, a.find('='));
    std::vector<std::string> names;
    for (const CLI::Option* o : app.get_options()) {
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
      for (const auto& s : o->get_snames()) names.push_back("-" + s);
    }
    std::string hint = Nearest(given, names);
    return "unknown option " + given + (hint.empty() ? "" : "; did you mean " + hint + "?");
  }
  return e.what();
}

// Open's failure for a store that is not there, with what can be done about it: a reading
// cmdlet learns whether a writing one could create the store where it is named, and both learn
// where the path came from and how to name another (--store, RGS_STORE).
Status MissingStore(const Status& failed, const std::string& option, const std::string& path, bool write) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 || errno != ENOENT) return failed;
  std::string message = failed.message();
  if (!write) {
    std::string folder = std::filesystem::path(path).parent_path().string();
    if (folder.empty()) folder = ".";
    if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      message += ", and a writing cmdlet cannot create it: folder '" + folder + "' does not exist";
    else if (::access(folder.c_str(), W_OK | X_OK) != 0)
      message += ", and a writing cmdlet cannot create it: this user may not write folder '" + folder + "'";
    else
      message += " (a writing cmdlet creates it)";
  }
  const char* env = std::getenv("RGS_STORE");
  std::string which = !option.empty() ? "the store --store names"
                      : env && *env   ? "the store RGS_STORE names"
                                      : "the default store";
  message += "\nthat is " + which + "; name another with --store PATH or RGS_STORE";
  return Status(failed.code(), message);
}

}  // namespace

std::string StorePath(const std::string& option) {
  if (!option.empty()) return option;
  const char* env = std::getenv("RGS_STORE");
  return env && *env ? env : kDefaultStore;
}

size_t TerminalWidth() {
  if (const char* env = std::getenv("COLUMNS"); env && *env) {
    char* end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (*end == '\0' && n > 0) return static_cast<size_t>(n);
  }
  struct winsize ws {};
  if (isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) return ws.ws_col;
  return 0;
}

std::string CommandLine(const std::vector<std::string>& args) {
  std::string command = "rgs";
  for (size_t i = 1; i < args.size(); ++i) command += " " + ShellQuote(args[i]);
  return command;
}

int CmdletPosition(const std::vector<std::string>& args, bool* help, bool* version) {
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (TakesValue(a)) {
      ++i;
      continue;
    }
    if (a == "-h" || a == "--help") *help = true;
    if (a == "--version") *version = true;
    if (!a.empty() && a[0] == '-') continue;
    return static_cast<int>(i);
  }
  return -1;
}

int Execute(const Invocation& inv) {
  std::ostream& out = *inv.out;
  std::ostream& err = *inv.err;
  // Objects, revisions (the command line included) and every output format are UTF-8 text.
  for (size_t i = 1; i < inv.args.size(); ++i) {
    std::string wrong = core::CheckUtf8(inv.args[i]);
    if (wrong.empty()) continue;
    const std::string& before = inv.args[i - 1];
    bool after_option = i > 1 && before.size() > 1 && before[0] == '-' && core::CheckUtf8(before).empty();
    return Fail(err,
                Usage("argument " + std::to_string(i) + (after_option ? " (after " + before + ")" : "") + " " + wrong));
  }
  bool help = false, version = false;
  int at = CmdletPosition(inv.args, &help, &version);
  if (at < 0) {
    if (version) {
      out << "rgs " << RGS_VERSION << "\n";
      return 0;
    }
    PrintUsage(help ? out : err);
    return ExitStatus(help ? Code::kOk : Code::kUsage);
  }
  if (RunInternal(inv.args[at], out)) {
    out.flush();
    return ExitStatus(out.good() ? Code::kOk : Code::kIoError);
  }
  const Cmdlet* cmdlet = FindCmdlet(inv.args[at]);
  if (!cmdlet) return Fail(err, UnknownCmdlet(inv.args[at]));

  Globals g;
  Runner run;
  auto app = BuildApp(*cmdlet, &g, &run);
  // The command line without the cmdlet's name, for CLI11.
  std::vector<char*> rest;
  for (size_t i = 0; i < inv.args.size(); ++i)
    if (static_cast<int>(i) != at) rest.push_back(const_cast<char*>(inv.args[i].c_str()));
  try {
    app->parse(static_cast<int>(rest.size()), rest.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      out << app->help();
      return 0;
    }
    err << "rgs: " << cmdlet->name << ": " << ParseFailure(*app, e) << "\n"
        << "rgs: see 'rgs " << cmdlet->name << " --help'\n";
    return ExitStatus(Code::kUsage);
  }

  std::stringstream held;
  Context ctx(cmdlet->store == StoreUse::kWrite ? static_cast<std::ostream&>(held) : out);
  ctx.cmdlet = cmdlet->name;
  ctx.whatif = g.whatif;
  ctx.force = g.force;
  ctx.quiet = g.quiet;
  ctx.interactive = inv.interactive;
  ctx.width = g.wide ? 0 : inv.width;
  if (!g.output.empty()) {
    auto f = ParseFormat(g.output);
    if (!f) return Fail(err, NotAChoice("--output", g.output));
    ctx.format = *f;
  }

  std::unique_ptr<store::Store> st;
  std::unique_ptr<store::Catalog> catalog;
  if (cmdlet->store != StoreUse::kNone && inv.store) {
    // rgsd's open store (the client checked that it is the one the command names).
    if (auto r = inv.store->Refresh(); !r.ok()) return Fail(err, r.status());
    catalog = std::make_unique<store::Catalog>(*inv.store);
    ctx.store = inv.store;
    ctx.catalog = catalog.get();
  } else if (cmdlet->store != StoreUse::kNone) {
    std::string path = StorePath(g.store);
    std::string pool = g.pool;
    if (const char* env = std::getenv("RGS_POOL"); pool.empty() && env && *env) pool = env;
    // A new store serves this host's pool unless told otherwise; the name is worked out only
    // when the store may be new (even a file that exists may be one another rgs is creating).
    std::function<std::string()> default_pool = [] { return os::HostFqdn(); };
    auto opened = store::Store::Open(
        path, cmdlet->store == StoreUse::kWrite ? store::Store::Mode::kWrite : store::Store::Mode::kRead, pool,
        default_pool);
    if (!opened.ok()) return Fail(err, MissingStore(opened.status(), g.store, path, cmdlet->store == StoreUse::kWrite));
    st = std::move(*opened);
    catalog = std::make_unique<store::Catalog>(*st);
    ctx.store = st.get();
    ctx.catalog = catalog.get();
  }

  store::Store* sp = ctx.store;
  Status s;
  if (cmdlet->store == StoreUse::kWrite) {
    s = sp->Begin();
    if (s.ok() && g.expect_revision && *g.expect_revision != sp->revision())
      s = Conflict("the store is at revision " + std::to_string(sp->revision()) + ", not " +
                   std::to_string(*g.expect_revision));
    if (s.ok()) s = run(ctx);
    for (auto& w : catalog->TakeDangling()) ctx.warnings.push_back(std::move(w));
    if (!s.ok()) {
      sp->Rollback();
      catalog.reset();
      if (st) store::Store::Discard(std::move(st));
      return Fail(err, s);
    }
    if (ctx.whatif) {
      auto changes = sp->changes();
      sp->Rollback();
      // What the handler printed is what a real run prints; a report of its own (an import's
      // plan) stays, followed by the changes the store would take.
      if (!ctx.own_whatif_report) held.str("");
      PrintChanges(ctx, changes,
                   changes.empty()
                       ? "What if: nothing would change"
                       : "What if: revision " + std::to_string(sp->revision() + 1) + " would make these changes");
    } else {
      std::string command = CommandLine(inv.args);
      std::string actor = inv.actor.empty() ? os::UserName(geteuid()) : inv.actor;
      auto committed = sp->Commit(actor, "administrator", command, ctx.summary.empty() ? command : ctx.summary);
      if (!committed.ok()) return Fail(err, committed.status());
    }
    if (st && st->revision() == 0) {  // nothing was written: leave no empty store behind
      catalog.reset();
      ctx.store = nullptr;
      ctx.catalog = nullptr;
      store::Store::Discard(std::move(st));
    }
  } else {
    s = run(ctx);
    // What a reading cmdlet warned of holds whether or not it then failed (test-configuration
    // warns and finds problems in one pass).
    if (!s.ok()) {
      PrintWarnings(ctx, err);
      return Fail(err, s);
    }
  }
  // -q silences warnings and what a writing cmdlet prints; what a reading one was asked for stays.
  if ((!ctx.quiet || ctx.whatif) && held.tellp() > 0) out << held.rdbuf();
  PrintWarnings(ctx, err);
  out.flush();
  return ExitStatus(out.good() ? Code::kOk : Code::kIoError);
}

}  // namespace rgs::cli
