// The SQLite VFS that rgs stores are opened with: the system's "unix" VFS, except that a WAL
// file that already exists is opened without SQLITE_OPEN_CREATE.
#pragma once

namespace rgs::store {

// Registers the VFS (once) and returns its name for sqlite3_open_v2.
const char* StoreVfs();

}  // namespace rgs::store
