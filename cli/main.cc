// rgs: runs one command (cli/execute.cc), in rgsd when rgsd serves the store (cli/forward.cc).
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "cli/execute.h"
#include "cli/forward.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (int status = rgs::cli::Forward(args); status >= 0) return status;
  std::ios::sync_with_stdio(false);
  // A write past the file size limit (ulimit -f) fails with EFBIG and is reported like a full
  // disk (the store's transaction rolled back, exit 1) instead of killing rgs without a word.
  std::signal(SIGXFSZ, SIG_IGN);
  rgs::cli::Invocation inv;
  inv.args = std::move(args);
  inv.out = &std::cout;
  inv.err = &std::cerr;
  inv.width = rgs::cli::TerminalWidth();
  return rgs::cli::Execute(inv);
}
