// SQLite's unix VFS syncs the directory the first time it syncs any WAL file it opened with
// SQLITE_OPEN_CREATE, whether or not the file was new, so that a new file's name is durable.
// rgs keeps its WAL between commands (SQLITE_FCNTL_PERSIST_WAL), so every short write paid one
// more fsync, of a directory entry that was made durable when the file was created. This shim
// opens a WAL that exists without the flag; a WAL that does not exist yet is created as before,
// directory sync included. Everything else is the unix VFS itself.
#include "store/vfs.h"

#include <sqlite3.h>
#include <sys/stat.h>

namespace rgs::store {
namespace {

sqlite3_vfs g_vfs;
sqlite3_vfs* g_base = nullptr;

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) && (flags & SQLITE_OPEN_CREATE) && name) {
    struct stat st {};
    if (::stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
      int rc = g_base->xOpen(g_base, name, file, flags & ~SQLITE_OPEN_CREATE, out_flags);
      if (rc == SQLITE_OK) return rc;  // else it went away meanwhile: create it
    }
  }
  return g_base->xOpen(g_base, name, file, flags, out_flags);
}

}  // namespace

const char* StoreVfs() {
  static const char* name = []() -> const char* {
    g_base = sqlite3_vfs_find("unix");
    if (!g_base) return nullptr;  // not a unix build: SQLite's default
    g_vfs = *g_base;
    g_vfs.zName = "rgs-unix";
    g_vfs.pNext = nullptr;
    g_vfs.xOpen = Open;
    if (sqlite3_vfs_register(&g_vfs, 0) != SQLITE_OK) return nullptr;
    return g_vfs.zName;
  }();
  return name;
}

}  // namespace rgs::store
