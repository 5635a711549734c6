// The client side of rgsd's control socket (engine/daemon/control.h): one JSON request, one
// JSON answer. Plain POSIX sockets, so that rgs needs no event loop.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace rgs::control {

// The socket rgs talks to: `path` if given, else $RGS_CONTROL, else /run/rgs/rgsd.sock.
std::string SocketPath(const std::string& path);

// A connected stream socket to rgsd (the caller closes it); kIoError when nobody listens.
Result<int> Connect(const std::string& path);
// Writes all of data; false on an error (errno says which).
bool WriteAll(int fd, const std::string& data);

// Sends `request` and returns the "result" of a successful answer; a failed one becomes the
// Status it names (notfound -> kNotFound, invalid -> kInvalid, usage -> kUsage). kIoError when
// rgsd cannot be reached.
Result<nlohmann::ordered_json> Call(const std::string& path, const nlohmann::ordered_json& request,
                                    int timeout_ms = 5000);

}  // namespace rgs::control
