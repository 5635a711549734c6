// The cmdlet table and the command line every cmdlet shares.
#pragma once

#include <memory>
#include <ostream>

#include "cli/context.h"
#include "cli/forward.h"

namespace rgs::cli {

// The global options (DESIGN §2), accepted before or after the cmdlet name.
struct Globals {
  std::string store, pool, output;
  bool whatif = false, force = false, quiet = false, wide = false;
  std::optional<int64_t> expect_revision;
};

// Declares the global options on `app`.
void AddGlobalOptions(CLI::App& app, Globals* g);
// A CLI11 app for one cmdlet: its own options and the global ones. *run gets the handler.
std::unique_ptr<CLI::App> BuildApp(const Cmdlet& c, Globals* g, Runner* run);
void PrintUsage(std::ostream& out);

}  // namespace rgs::cli
