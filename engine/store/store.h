// The versioned configuration store: one SQLite file per pool holding every object as a JSON
// document valid over a range of revisions. Kind-agnostic; the catalog gives kinds their meaning.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/digest.h"
#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rgs::store {

using Json = nlohmann::ordered_json;

struct Object {
  std::string kind;  // "agentgroup", "queue", ...
  std::string guid;
  std::string name;
  Json doc;  // Lync property names, without Identity and Parent
};

struct Ref {
  std::string kind;
  std::string guid;
  bool operator<(const Ref& o) const { return std::tie(kind, guid) < std::tie(o.kind, o.guid); }
};

struct Revision {
  int64_t number = 0;
  std::string time, actor, role, command, summary;
};

// What a transaction, or the way between two revisions, did to one object.
struct Change {
  enum class Op { kAdded, kRemoved, kChanged };
  Op op = Op::kChanged;
  std::string kind, guid, name;
  Json before, after;  // null where the object does not exist
};

// The migrations compiled into this binary, in order (schema/NNNN_*.sql).
struct Migration {
  int number;
  const char* name;
  const char* sql;
};
const std::vector<Migration>& Migrations();

inline constexpr int64_t kCurrent = -1;

// Agents' SIP digest credentials are versioned with the objects but kept in a table of their
// own (agent_credentials), so that no listing of objects carries a hash. In changes() and
// Compare they appear as this kind, keyed by the agent's address, with CredentialDoc as their
// document.
inline constexpr const char* kAgentCredential = "agentcredential";
// What the history shows of a credential: agent, username, realm, algorithms and the revision
// that set it; never a hash.
Json CredentialDoc(const core::AgentCredential& c);

class Store {
 public:
  enum class Mode { kRead, kWrite };

  // Opens the store at `path`. kRead needs an existing file (kIoError otherwise); kWrite creates
  // it for `pool` when missing. Applies pending migrations; a store newer than this binary is
  // refused (kCorrupt). `pool` names the pool of a new store; for an existing one it must be
  // empty or equal to the store's pool (kInvalid otherwise). `default_pool` names a new store's
  // pool when `pool` is empty; it is called only when the store turns out to be new (a file
  // another process has just created may still be).
  static Result<std::unique_ptr<Store>> Open(const std::string& path, Mode mode, const std::string& pool,
                                             const std::function<std::string()>& default_pool = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& pool() const { return pool_; }
  const std::string& path() const { return path_; }
  // Whether this Open created the file. A command that then writes nothing (it failed, or
  // only asked --whatif) calls Discard so that no empty store is left behind.
  bool created() const { return created_; }
  // Closes the store and deletes its files if this Open created them and nothing was committed.
  static void Discard(std::unique_ptr<Store> store);

  // For a connection that stays open (rgsd's): it keeps the WAL index for the processes that
  // open the store meanwhile, so SQLite's own checkpoints every 1000 pages do, the WAL is
  // reused in place, and it is checkpointed and emptied when the connection closes.
  void StayOpen();

  static constexpr int kBusyTimeoutMs = 15000;
  static constexpr int kCheckpointFrames = 64;
  // The newest committed revision (0 for an empty store), as of Open or the last Begin.
  int64_t revision() const { return revision_; }
  // Reads the newest committed revision again (a long-running reader such as rgsd).
  Result<int64_t> Refresh();
  int schema_version() const;

  // Starts the one write transaction of a command (BEGIN IMMEDIATE, waiting while another
  // writer holds the lock). kConflict when the store stays busy.
  Status Begin();
  // Stages a new version of `obj` (a no-op when nothing differs) and its outgoing references.
  // kAlreadyExists when another live object of the kind has the name.
  Status Put(const Object& obj, const std::vector<Ref>& refs);
  Status Remove(const std::string& kind, const std::string& guid);
  // A point inside the transaction to go back to: Undo discards every change staged since Mark.
  struct Mark {
    int depth = 0;
    size_t undo = 0;  // length of the undo log at the mark
  };
  Result<Mark> MarkPoint();
  Status Undo(const Mark& mark);
  Status Keep(const Mark& mark);

  // What this transaction changed so far, by kind and name.
  std::vector<Change> changes() const;
  size_t change_count() const { return changes_.size(); }
  // Commits. Writes a revision only when something changed; returns the revision the store is
  // now at.
  Result<int64_t> Commit(const std::string& actor, const std::string& role, const std::string& command,
                         const std::string& summary);
  void Rollback();
  bool in_transaction() const { return in_tx_; }

  // Reads, as of revision `at` (kCurrent: the newest, including staged changes).
  Result<std::optional<Object>> Get(const std::string& kind, const std::string& guid, int64_t at = kCurrent);
  Result<std::optional<Object>> FindByName(const std::string& kind, const std::string& name, int64_t at = kCurrent);
  Result<std::vector<Object>> List(const std::string& kind, int64_t at = kCurrent);
  Result<std::vector<Object>> ListAll(int64_t at = kCurrent);
  // Calls f with each object of `kind` in name order, one at a time (long listings never hold
  // them all); stops at the first error f returns.
  Status ForEach(const std::string& kind, int64_t at, const std::function<Status(Object&&)>& f);
  // Live objects whose references name (kind, guid).
  Result<std::vector<Object>> Users(const std::string& kind, const std::string& guid);

  Result<std::vector<Revision>> Revisions(int64_t limit);
  Result<std::optional<Revision>> GetRevision(int64_t number);
  // Objects that differ between revisions a and b (a before b, or the other way round).
  Result<std::vector<Change>> Compare(int64_t a, int64_t b);
  // (kind, GUID) of every object with a version made or ended after revision lo, up to hi.
  Result<std::vector<std::pair<std::string, std::string>>> Touched(int64_t lo, int64_t hi);

  // Live objects of `kind` whose document has `value` (JSON text, e.g. "true") at `json_path`.
  Result<std::vector<Object>> ListWhere(const std::string& kind, const std::string& json_path,
                                        const std::string& value);

  // Agents' digest credentials (see kAgentCredential). PutCredential sets or replaces the one of
  // c.aor (a no-op when it holds the same hashes); RemoveCredential: kNotFound when it has none.
  Status PutCredential(const core::AgentCredential& c);
  Status RemoveCredential(const std::string& aor);
  Result<std::optional<core::AgentCredential>> Credential(const std::string& aor, int64_t at = kCurrent);
  // Every credential, by address.
  Result<std::vector<core::AgentCredential>> Credentials(int64_t at = kCurrent);

  // Audio contents by SHA-256 (never removed: history refers to them).
  Status PutBlob(const std::string& sha256, const std::string& bytes);
  Result<std::optional<std::string>> GetBlob(const std::string& sha256);

  // Unversioned key/value facts of the store (pool name, ...).
  Result<std::optional<std::string>> Info(const std::string& key);
  Status SetInfo(const std::string& key, const std::string& value);

  sqlite3* db() { return db_; }

 private:
  // sqlite3_wal_hook: checkpoints and empties a WAL that has grown to kCheckpointFrames pages.
  static int AfterCommit(void*, sqlite3* db, const char*, int frames);
  Store() = default;
  Status Migrate();
  Status Exec(const char* sql);
  sqlite3_stmt* Prepare(const std::string& sql);
  Status Error(const char* what);
  // A change as the transaction holds it: documents as their JSON text ("" where the object
  // does not exist), parsed only when changes() is asked for (--whatif). An import of tens of
  // thousands of objects would otherwise keep a second parsed copy of every one.
  struct Pending {
    Change::Op op = Change::Op::kChanged;
    std::string kind, guid, name;
    std::string before, after;
  };
  void Record(Pending change);
  Result<std::vector<Object>> Query(const std::string& where, const std::vector<std::string>& args, int64_t at);
  Status Scan(const std::string& where, const std::vector<std::string>& args, int64_t at,
              const std::function<Status(Object&&)>& f, const char* from = "objects");
  Result<std::optional<Object>> QueryOne(const std::string& where, const std::vector<std::string>& args, int64_t at);

  sqlite3* db_ = nullptr;
  std::string path_, pool_;
  std::function<std::string()> default_pool_;
  int64_t revision_ = 0;
  bool in_tx_ = false;
  bool created_ = false;
  int marks_ = 0;
  std::map<std::string, Pending> changes_;  // by kind/guid
  // How to take back each Record since the transaction began: the key and what it held before.
  std::vector<std::pair<std::string, std::optional<Pending>>> undo_;
  std::map<std::string, sqlite3_stmt*> stmts_;
};

// Property-by-property differences of two documents: (property, before, after) with
// null for a property that one side lacks.
struct PropertyDiff {
  std::string property;
  Json before, after;
};
std::vector<PropertyDiff> Diff(const Json& before, const Json& after);

}  // namespace rgs::store
