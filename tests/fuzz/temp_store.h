// A store in a temporary folder for the fuzz targets that import: created on first use, every
// input staged in a transaction that is rolled back, the folder removed when the process exits.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "archive/zip.h"
#include "store/catalog.h"
#include "store/store.h"
#include "store/transfer.h"

namespace rgs::fuzz {

inline std::string& TempStoreFolder() {
  static std::string folder;
  return folder;
}

inline void RemoveTempStore() {
  const std::string& dir = TempStoreFolder();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((dir + "/fuzz.db" + suffix).c_str());
  ::rmdir(dir.c_str());
}

// The store every input is imported into; aborts when it cannot be made (the target cannot run).
inline store::Store& TempStore() {
  static std::unique_ptr<store::Store> store = [] {
    const char* tmp = getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/rgs-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      perror("rgs fuzz: mkdtemp");
      abort();
    }
    TempStoreFolder() = pattern;
    atexit(RemoveTempStore);
    auto s = store::Store::Open(pattern + "/fuzz.db", store::Store::Mode::kWrite, "pool.example.com");
    if (!s.ok()) {
      fprintf(stderr, "rgs fuzz: %s\n", s.status().message().c_str());
      abort();
    }
    return std::move(*s);
  }();
  return *store;
}

// Imports `entries` into the temporary store as import-configuration does, and rolls it back. The
// options vary with `seed` (the input's size), so that each is tried.
inline void ImportAndRollBack(const std::vector<archive::Entry>& entries, size_t seed) {
  store::Store& st = TempStore();
  store::Catalog catalog(st);
  if (!st.Begin().ok()) abort();
  store::ImportOptions options;
  options.overwrite_owner = seed % 2 == 1;
  options.resolve_conflicts = seed % 3 == 1;
  options.replace_settings = seed % 5 == 1;
  store::ImportPlan plan;
  std::vector<std::string> problems;
  store::Import(catalog, entries, options, &plan, &problems);
  st.Rollback();
}

}  // namespace rgs::fuzz
