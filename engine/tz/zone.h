// Time zones: IANA names from the system's zoneinfo (read by the C library), Windows ids as
// Lync used them mapped with ICU, and conversion of instants to local time.
#pragma once

#include <chrono>
#include <string>

#include "core/model.h"
#include "core/status.h"

namespace rgs::tz {

using Instant = std::chrono::sys_seconds;

// The IANA name for `name`: itself when it is one, the CLDR mapping of a Windows id
// ("Pacific Standard Time" -> "America/Los_Angeles"). kInvalid when it is neither.
Result<std::string> Canonical(const std::string& name);
// Whether Canonical succeeds; the shape core::ValidateWorkflow wants.
bool Known(const std::string& name);

// Local calendar minutes of `at` in zone `name`.
Result<core::LocalMinutes> ToLocal(const std::string& name, Instant at);

// Parses an instant: "2026-11-24T10:00:00Z", "...+01:00", or a local time without offset
// ("2026-11-24T10:00"), which is taken in zone `name` (the earlier of two in a DST overlap,
// the first valid minute after a DST gap). kUsage when malformed.
Result<Instant> ParseInstant(const std::string& text, const std::string& name);
std::string FormatUtc(Instant at);  // 2026-11-24T10:00:00Z

}  // namespace rgs::tz
