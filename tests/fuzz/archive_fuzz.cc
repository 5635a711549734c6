// Fuzz target: bytes as the zip archive import-configuration reads (archive::ReadZip with the
// limits of store::EntryLimit), then, when it reads, the import itself (store::Import) staged in
// a temporary store and rolled back.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "archive/file.h"
#include "archive/zip.h"
#include "store/transfer.h"
#include "temp_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rgs;
  // ReadZip reads a file descriptor; a memory file is one without a disk.
  archive::File file(::memfd_create("fuzz.zip", MFD_CLOEXEC));
  if (file.fd() < 0 || ::write(file.fd(), data, size) != static_cast<ssize_t>(size) ||
      ::lseek(file.fd(), 0, SEEK_SET) != 0)
    abort();
  std::vector<std::string> problems;
  auto entries = archive::ReadZip(file.fd(), "fuzz.zip", store::kMaxArchiveEntries, store::kMaxArchiveBytes,
                                  store::EntryLimit, &problems);
  if (!entries.ok()) {
    if (problems.empty()) abort();  // ReadZip's contract: a refusal lists its problems
    return 0;
  }
  fuzz::ImportAndRollBack(*entries, size);
  return 0;
}
