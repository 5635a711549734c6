// Running one rgs command line, in rgs itself or in rgsd for a command forwarded to it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace rgs::store {
class Store;
}

namespace rgs::cli {

struct Invocation {
  std::vector<std::string> args;  // the command line, "rgs" first
  std::ostream* out = nullptr;    // standard output
  std::ostream* err = nullptr;    // standard error
  std::string actor;              // who the revision names; "" = this process's user
  store::Store* store = nullptr;  // an open store to use (rgsd's), or null: open --store's
  bool interactive = true;        // may ask on the terminal (Context::Confirm)
  size_t width = 0;               // the columns -o table may fill (TerminalWidth()); 0: no limit
};

// The columns of the terminal -o table prints to: $COLUMNS when it is a positive number, else
// standard output's terminal's width, else 0 (no limit: a file or pipe takes whole lines).
size_t TerminalWidth();

// Runs the command and returns its exit status.
int Execute(const Invocation& inv);

// The position of the cmdlet name in args (after the global options before it), or -1; notes
// -h/--help and --version seen before it.
int CmdletPosition(const std::vector<std::string>& args, bool* help, bool* version);

// The store a command names: --store's value, else $RGS_STORE, else the default.
std::string StorePath(const std::string& option);

// "rgs ARGS..." with each argument quoted for a POSIX shell where it needs it (args[0] is
// replaced by "rgs"): the command a revision records.
std::string CommandLine(const std::vector<std::string>& args);

}  // namespace rgs::cli
