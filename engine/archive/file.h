// Files rgs reads or writes whole (documents, audio, archives): regular files only. The one
// check of what kind of file a path names, for every option that takes one.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/status.h"

namespace rgs::archive {

// What a file of this mode is when it is not a regular file ("a folder", "a device", ...), for
// messages; "" for a regular file.
inline std::string NotRegular(mode_t mode) {
  if (S_ISREG(mode)) return "";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

// An open file descriptor, closed when the object goes.
class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  File(File&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  File& operator=(File&&) = delete;
  File(const File&) = delete;
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Opens `path` for reading when it is a regular file (a link to one is followed). kUsage
// "'PATH' is a folder, not a regular file" for anything else, which is never read (a FIFO is
// opened without waiting for a writer, and only to find out what it is); kIoError "cannot read
// 'PATH': why" when it cannot be opened.
inline Result<File> OpenRegular(const std::string& path) {
  auto refuse = [&](mode_t mode) { return Usage("'" + path + "' is " + NotRegular(mode) + ", not a regular file"); };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return IoError("cannot read '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return refuse(st.st_mode);  // a device is not even opened
  File f(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (f.fd() < 0) return IoError("cannot read '" + path + "': " + std::strerror(errno));
  // What was opened, which may not be what was looked at a moment before.
  if (::fstat(f.fd(), &st) != 0) return IoError("cannot read '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return refuse(st.st_mode);
  ::fcntl(f.fd(), F_SETFL, ::fcntl(f.fd(), F_GETFL) & ~O_NONBLOCK);
  return f;
}

// Reads `fd` to its end, or until it has given more than `max` bytes: then *over is set and
// what was read so far (max + 1 bytes) is returned, so that an endless input ends. kIoError
// "why" when a read fails.
inline Result<std::string> ReadAtMost(int fd, size_t max, bool* over) {
  std::string out;
  *over = false;
  char buf[64 * 1024];
  while (out.size() <= max) {
    ssize_t n = ::read(fd, buf, std::min(sizeof buf, max + 1 - out.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(std::strerror(errno));
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
  *over = true;
  return out;
}

}  // namespace rgs::archive
