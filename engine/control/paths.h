// Where rgsd's control socket is when neither rgsd's configuration nor $RGS_CONTROL says.
#pragma once

namespace rgs::control {

inline constexpr const char* kDefaultSocket = "/run/rgs/rgsd.sock";

}  // namespace rgs::control
