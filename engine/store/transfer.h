// Export and import of a whole configuration as an rgs archive (DESIGN §4, reference §5):
// manifest.yaml, configuration.yaml and audio/<sha256>.wav, documented in rgs-archive(5).
#pragma once

#include <string>
#include <vector>

#include "archive/zip.h"
#include "store/catalog.h"

namespace rgs::store {

inline constexpr int kArchiveFormat = 1;
inline constexpr size_t kMaxArchiveEntries = 100000;      // what an archive read may hold
inline constexpr long long kMaxArchiveBytes = 1LL << 30;  // and its entries together (held in memory)

struct ExportOptions {
  std::string owner;            // only objects owned by this pool (a pool name or service identity); all when empty
  int64_t revision = kCurrent;  // the configuration as of this revision
  bool allow_empty = false;     // an archive of no objects (only the service settings) is not refused
  // Agents' digest credentials (HA1s, password equivalents for their realm) go in
  // credentials.yaml only when asked for.
  bool include_credentials = false;
};

struct ExportResult {
  std::vector<archive::Entry> entries;  // manifest.yaml first
  std::vector<Object> objects;          // what was exported (for --remove-exported-configuration)
  int64_t revision = 0;                 // the revision exported
  std::string time;                     // that revision's UTC time
};

// Builds the archive's entries from the store. Deterministic: the same revision gives the same
// bytes. An archive that would hold no object is refused (kInvalid, naming the owner asked for
// and what the store holds, by owner) unless options.allow_empty: it would restore nothing.
Result<ExportResult> BuildExport(Catalog& catalog, const ExportOptions& options);

// Whether `fresh` may replace the rgs archive at `path`, whose entries are `existing` (export
// with --force): it must hold at least as many workflows; kInvalid naming both counts when it
// holds fewer. A file that is not an rgs archive (no entries: not a readable zip; or no readable
// configuration.yaml) holds no workflows to lose and may be replaced.
Status CheckReplace(const std::string& path, const std::vector<archive::Entry>& existing, const ExportResult& fresh);

struct ImportOptions {
  bool overwrite_owner = false;    // set every imported object's OwnerPool to this pool
  bool replace_settings = false;   // take the archive's service settings
  bool resolve_conflicts = false;  // rename on a name clash: "Name (2)"
};

// What an import does (and, with --whatif, would do).
struct ImportPlan {
  std::vector<std::string> added, updated, unchanged, renamed, audio_added;
  size_t credentials = 0;  // agents' credentials the archive held (credentials.yaml)
  bool settings_replaced = false;
  std::string source_pool;
  int64_t source_revision = 0;
};

// Checks the whole archive first; every problem goes to `problems` ("entry:line:column:
// property: what") and nothing is staged (kInvalid). Otherwise stages the import in the open
// transaction. `progress` is called with (done, total) while objects are staged.
Status Import(Catalog& catalog, const std::vector<archive::Entry>& entries, const ImportOptions& options,
              ImportPlan* plan, std::vector<std::string>* problems,
              const std::function<void(size_t, size_t)>& progress = {});

// The size limit of each entry an archive may hold; -1 for a name an archive may not hold.
long long EntryLimit(const std::string& name);

}  // namespace rgs::store
