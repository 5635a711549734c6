// User and host names without the C library's NSS functions. rgs is linked statically, and a
// static glibc that resolves a name through NSS loads shared modules (libnss_systemd, sss,
// ldap) into the process, which can crash it. So the local files are read directly, and a name
// they do not have is asked of getent(1) or hostname(1), ordinary dynamically linked programs.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace rgs::os {

// The login name of uid: /etc/passwd, else `getent passwd UID`, else "uid N".
std::string UserName(uid_t uid);

// This host's fully qualified name (the default pool of a new store): `hostname --fqdn` when
// that name has a dot, else the kernel's host name, else "localhost".
std::string HostFqdn();

// The first line a program prints on its standard output, if it exits 0 (stderr discarded).
std::optional<std::string> FirstLineOf(const std::vector<std::string>& argv);

// The name field of the passwd(5) line for uid in text, if there is one.
std::optional<std::string> PasswdName(const std::string& text, uid_t uid);

}  // namespace rgs::os
