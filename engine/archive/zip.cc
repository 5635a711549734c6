// libarchive adapter: the only code that knows zip.
#include "archive/zip.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "archive/file.h"

namespace rgs::archive {
namespace {

bool UnsafeName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos ||
      name.find('\0') != std::string::npos)
    return true;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == ".." || part == "." || (part.empty() && slash != std::string::npos)) return true;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return false;
}

// A zip reader on `fd` from its start; nullptr (and `problems` told why) when it is no zip.
struct archive* OpenZip(int fd, const std::string& path, std::vector<std::string>* problems) {
  struct archive* a = ::archive_read_new();
  ::archive_read_support_format_zip(a);
  if (::lseek(fd, 0, SEEK_SET) != 0 || ::archive_read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK) {
    problems->push_back(path + ": not a readable zip archive: " +
                        std::string(::archive_error_string(a) ? ::archive_error_string(a) : std::strerror(errno)));
    ::archive_read_free(a);
    return nullptr;
  }
  return a;
}

// The next entry's header; false at the end, or (a problem told) when the zip is broken.
bool NextHeader(struct archive* a, struct archive_entry** e, const std::string& path,
                std::vector<std::string>* problems) {
  int rc = ::archive_read_next_header(a, e);
  if (rc == ARCHIVE_EOF) return false;
  if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) return true;
  problems->push_back(path + ": the zip is truncated or corrupt" +
                      std::string(::archive_error_string(a) ? ": " + std::string(::archive_error_string(a)) : ""));
  return false;
}

long long Declared(struct archive_entry* e) { return ::archive_entry_size_is_set(e) ? ::archive_entry_size(e) : -1; }

}  // namespace

Result<std::vector<Entry>> ReadZip(int fd, const std::string& path, size_t max_entries, long long max_total,
                                   const std::function<long long(const std::string&)>& max_bytes,
                                   std::vector<std::string>* problems) {
  auto fail = [&](const std::string& what) { problems->push_back(what); };
  auto invalid = [&] { return Invalid("'" + path + "' is not a valid rgs archive"); };

  // First the headers only, data skipped (not inflated): a hostile archive (a bomb, 100,000
  // entries, a link) is refused before anything is decompressed into memory.
  struct archive* a = OpenZip(fd, path, problems);
  if (!a) return invalid();
  std::set<std::string> seen;
  long long declared_total = 0;
  size_t count = 0;
  struct archive_entry* e = nullptr;
  while (NextHeader(a, &e, path, problems)) {
    const char* pn = ::archive_entry_pathname(e);
    std::string name = pn ? pn : "";
    if (++count > max_entries) {
      fail(path + ": more than " + std::to_string(max_entries) + " entries");
      break;
    }
    long long declared = Declared(e);
    long long limit = max_bytes(name);
    if (UnsafeName(name)) {
      fail(name + ": an entry name must be relative and stay inside the archive");
    } else if (::archive_entry_symlink(e) || ::archive_entry_hardlink(e) || ::archive_entry_filetype(e) != AE_IFREG) {
      fail(name + ": only plain files may be in an archive (this is a link, a directory or a device)");
    } else if (!seen.insert(name).second) {
      fail(name + ": the entry appears twice");
    } else if (limit < 0) {
      fail(name + ": not an entry of an rgs archive");
    } else if (declared > limit) {
      fail(name + ": declares " + std::to_string(declared) + " bytes; at most " + std::to_string(limit) + " allowed");
    } else if (declared > max_total - declared_total) {
      fail(name + ": the entries declare more than " + std::to_string(max_total) + " bytes in all");
      break;
    } else if (declared > 0) {
      declared_total += declared;
    }
    if (::archive_read_data_skip(a) != ARCHIVE_OK) {
      fail(name + ": cannot be read: " + std::string(::archive_error_string(a) ? ::archive_error_string(a) : "?"));
      break;
    }
  }
  ::archive_read_free(a);
  if (!problems->empty()) return invalid();

  // Then the data. A header that declares a size is held to it: an entry that inflates past it
  // (a bomb whose header lies) is refused after declared + 1 bytes, not read to its limit.
  a = OpenZip(fd, path, problems);
  if (!a) return invalid();
  std::vector<Entry> out;
  long long total = 0;  // bytes read so far, over every entry
  while (NextHeader(a, &e, path, problems)) {
    std::string name = ::archive_entry_pathname(e);
    long long declared = Declared(e);
    long long limit = declared >= 0 ? declared : max_bytes(name);
    std::string bytes;
    char buf[64 * 1024];
    bool broken = false;
    while (true) {
      la_ssize_t n = ::archive_read_data(a, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        fail(name + ": cannot be read: " + std::string(::archive_error_string(a) ? ::archive_error_string(a) : "?"));
        broken = true;
        break;
      }
      bytes.append(buf, static_cast<size_t>(n));
      if (static_cast<long long>(bytes.size()) > limit) {
        fail(name + (declared >= 0 ? ": holds more than the " + std::to_string(declared) + " bytes its header declares"
                                   : ": larger than its limit of " + std::to_string(limit) + " bytes"));
        broken = true;
        break;
      }
      if (static_cast<long long>(bytes.size()) > max_total - total) {
        fail(name + ": the entries hold more than " + std::to_string(max_total) + " bytes in all");
        broken = true;
        break;
      }
    }
    if (broken) break;  // the reader is past recovery after a bad entry
    if (declared >= 0 && declared != static_cast<long long>(bytes.size())) {
      fail(name + ": holds " + std::to_string(bytes.size()) + " bytes, not the " + std::to_string(declared) +
           " its header declares");
      continue;
    }
    total += static_cast<long long>(bytes.size());
    out.push_back({name, std::move(bytes)});
  }
  ::archive_read_free(a);
  if (!problems->empty()) return invalid();
  return out;
}

Status WriteZip(const std::string& path, const std::vector<Entry>& entries, std::time_t mtime, bool overwrite) {
  // The rename below would put the archive in place of whatever has the name: a device node, a
  // FIFO, a link. Only a regular file is an archive to replace.
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      return Usage("'" + path + "' is " + NotRegular(st.st_mode) +
                   ", not a regular file: an archive is written only as a new or regular file");
    if (!overwrite) return AlreadyExists("'" + path + "' already exists; use --force to replace it");
  }
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  if (dir.empty()) dir = "/";
  // A new file of a name no one else has (O_EXCL): nothing that was there is written through.
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());  // mode 0600: the archive holds a whole pool's configuration
  if (fd < 0) return IoError("cannot write '" + path + "': creating a temporary file: " + std::strerror(errno));
  File file(fd);
  struct archive* a = ::archive_write_new();
  ::archive_write_set_format_zip(a);
  ::archive_write_set_options(a, "zip:compression=deflate");
  auto error = [&](const std::string& what) {
    std::string msg = what + ": " + (::archive_error_string(a) ? ::archive_error_string(a) : std::strerror(errno));
    ::archive_write_free(a);
    ::unlink(tmp.c_str());
    return IoError("cannot write '" + path + "': " + msg);
  };
  if (::archive_write_open_fd(a, file.fd()) != ARCHIVE_OK) return error("opening");
  for (const auto& en : entries) {
    struct archive_entry* e = ::archive_entry_new();
    ::archive_entry_set_pathname(e, en.name.c_str());
    ::archive_entry_set_size(e, static_cast<la_int64_t>(en.bytes.size()));
    ::archive_entry_set_filetype(e, AE_IFREG);
    ::archive_entry_set_perm(e, 0600);
    ::archive_entry_set_mtime(e, mtime, 0);
    bool ok = ::archive_write_header(a, e) == ARCHIVE_OK &&
              ::archive_write_data(a, en.bytes.data(), en.bytes.size()) == static_cast<la_ssize_t>(en.bytes.size()) &&
              ::archive_write_finish_entry(a) == ARCHIVE_OK;
    ::archive_entry_free(e);
    if (!ok) return error(en.name);
  }
  if (::archive_write_close(a) != ARCHIVE_OK) return error("closing");
  ::archive_write_free(a);
  // The file is complete on disk before it takes its name (and before anything is removed).
  if (::fsync(file.fd()) != 0) {
    ::unlink(tmp.c_str());
    return IoError("cannot write '" + path + "': " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return IoError("cannot write '" + path + "': " + std::strerror(errno));
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace rgs::archive
