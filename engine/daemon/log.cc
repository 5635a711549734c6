#include "daemon/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "core/validate.h"
#include "daemon/records.h"

namespace rgs::daemon {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
constexpr size_t kMaxLogLine = 2000;  // bytes of a message kept in the log
const char* Name(LogLevel l) {
  switch (l) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "?";
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }
bool Logging(LogLevel level) { return static_cast<int>(level) <= g_level.load(); }

void Log(LogLevel level, const std::string& message) {
  if (!Logging(level)) return;
  // What peers send (SIP headers, URIs) reaches the log: no control byte, no invalid UTF-8, and
  // a bounded line (a forwarded command with 3,000 agents once logged 100 KB).
  std::string line = IsoTime(std::chrono::system_clock::now()) + " " + Name(level) + " " +
                     core::Printable(message, kMaxLogLine) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write per line: lines never interleave
}

}  // namespace rgs::daemon
