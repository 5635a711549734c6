// rgs: runs one command (cli/execute.cc), in rgsd when rgsd serves the store (cli/forward.cc).
#include <iostream>

#include "cli/execute.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (auto status = rgs::cli::Forward(argc, argv)) return *status;
  rgs::cli::Invocation inv;
  inv.args.assign(argv, argv + argc);
  inv.out = &std::cout;
  inv.err = &std::cerr;
  return rgs::cli::Execute(inv);
}
