// rgs: runs one command (cli/execute.cc), in rgsd when rgsd serves the store (cli/forward.cc).
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli/execute.h"
#include "cli/forward.h"

int main(int argc, char** argv) {
  // A static rgs has tried this already, at its entry point: then this returns -1 at once.
  if (int status = rgs::cli::Forward(argc, argv, environ); status >= 0) return status;
  std::ios::sync_with_stdio(false);
  // A write past the file size limit (ulimit -f) fails with EFBIG and is reported like a full
  // disk (the store's transaction rolled back, exit 1) instead of killing rgs without a word.
  std::signal(SIGXFSZ, SIG_IGN);
  rgs::cli::Invocation inv;
  inv.args.assign(argv, argv + argc);
  inv.out = &std::cout;
  inv.err = &std::cerr;
  inv.width = rgs::cli::TerminalWidth();
  return rgs::cli::Execute(inv);
}
