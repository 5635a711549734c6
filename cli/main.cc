// rgs: runs one command (cli/execute.cc), in rgsd when rgsd serves the store (cli/forward.cc).
#include <iostream>
#include <string>
#include <vector>

#include "cli/execute.h"
#include "cli/forward.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (int status = rgs::cli::Forward(args); status >= 0) return status;
  std::ios::sync_with_stdio(false);
  rgs::cli::Invocation inv;
  inv.args = std::move(args);
  inv.out = &std::cout;
  inv.err = &std::cerr;
  return rgs::cli::Execute(inv);
}
