// rgsd's log: one line per event on stderr, "TIME LEVEL message".
#pragma once

#include <string>

#include "daemon/config.h"

namespace rgs::daemon {

void SetLogLevel(LogLevel level);
bool Logging(LogLevel level);
void Log(LogLevel level, const std::string& message);
inline void Error(const std::string& m) { Log(LogLevel::kError, m); }
inline void Warning(const std::string& m) { Log(LogLevel::kWarning, m); }
inline void Info(const std::string& m) { Log(LogLevel::kInfo, m); }
inline void Debug(const std::string& m) {
  if (Logging(LogLevel::kDebug)) Log(LogLevel::kDebug, m);
}

}  // namespace rgs::daemon
