// User and host names, through the C library (NSS: the system's files, directory services).
#pragma once

#include <sys/types.h>

#include <string>

namespace rgs::os {

// The login name of uid (getpwuid_r), else "uid N".
std::string UserName(uid_t uid);

// This host's fully qualified name (the default pool of a new store): the canonical name of the
// kernel's host name when that has a dot, else the kernel's host name, else "localhost".
std::string HostFqdn();

}  // namespace rgs::os
