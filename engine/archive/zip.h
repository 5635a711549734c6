// Zip archives for export and import, through libarchive.
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace rgs::archive {

struct Entry {
  std::string name;
  std::string bytes;
};

// Reads every entry of the zip file open on `fd` (a regular file: archive::OpenRegular) into
// memory; `path` names it in messages. Refuses, listing each problem in `problems` ("entry:
// what"): a file that is not a readable zip, links, devices and other non-regular entries,
// absolute names, names with "..", duplicate names, more than `max_entries` entries, an entry
// larger than `max_bytes(name)` or whose content is not the size its header declares (it is read
// no further than that size), entries of more than `max_total` bytes together (declared or read:
// everything is held in memory). Returns kInvalid when there is any problem.
Result<std::vector<Entry>> ReadZip(int fd, const std::string& path, size_t max_entries, long long max_total,
                                   const std::function<long long(const std::string& name)>& max_bytes,
                                   std::vector<std::string>* problems);

// Writes `entries` as a zip file at `path`: first to a new temporary file in the same directory
// (PATH.tmp-XXXXXX, mode 0600), then fsync and rename, so that `path` is either absent or
// complete. Every entry gets `mtime`. Only a regular file is ever replaced: a folder, device,
// FIFO, socket or symbolic link at `path` is refused (kUsage) whether or not overwrite is set;
// an existing regular file is refused (kAlreadyExists) unless overwrite.
Status WriteZip(const std::string& path, const std::vector<Entry>& entries, std::time_t mtime, bool overwrite);

}  // namespace rgs::archive
