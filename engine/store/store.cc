// SQLite implementation of the versioned configuration store.
#include "store/store.h"
#include "store/vfs.h"

#include <unistd.h>

#include <cstring>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <set>

namespace rgs::store {
namespace {

// Binds text arguments 1..n and, when at != kCurrent, the revision as the last one.
class Bound {
 public:
  Bound(sqlite3_stmt* st) : st_(st) {}
  ~Bound() {
    if (st_) {
      sqlite3_reset(st_);
      sqlite3_clear_bindings(st_);
    }
  }
  Bound& Text(const std::string& s) {
    sqlite3_bind_text(st_, ++n_, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Bound& Int(int64_t v) {
    sqlite3_bind_int64(st_, ++n_, v);
    return *this;
  }
  int Step() { return sqlite3_step(st_); }
  std::string Col(int i) const {
    const unsigned char* p = sqlite3_column_text(st_, i);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st_, i)) : "";
  }
  int64_t ColInt(int i) const { return sqlite3_column_int64(st_, i); }
  bool IsNull(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }

 private:
  sqlite3_stmt* st_;
  int n_ = 0;
};

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Key(const std::string& kind, const std::string& guid) { return kind + "/" + guid; }

const char* kObjectColumns = "SELECT kind, guid, name, doc FROM ";

std::string Visible(int64_t at) {
  return at == kCurrent ? " AND rev_to IS NULL" : " AND rev_from <= ? AND (rev_to IS NULL OR rev_to > ?)";
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, Mode mode, const std::string& pool,
                                           const std::function<std::string()>& default_pool) {
  static const bool configured = [] {
    // No page cache allocated in advance: SQLite would touch 20 pages of heap up front, and a
    // short command reads fewer than that (each page first touched is a page fault).
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
    return true;
  }();
  (void)configured;
  std::unique_ptr<Store> s(new Store());
  s->path_ = path;
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && mode == Mode::kRead) return IoError("store '" + path + "' does not exist");
  if (!exists) {
    // The store holds the configuration of a whole pool: readable by its owner only.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      if (errno == EACCES)
        return Status(Code::kPermissionDenied, "cannot create store '" + path + "': permission denied");
      return IoError("cannot create store '" + path + "': " + std::strerror(errno));
    }
    if (fd >= 0) {
      s->created_ = true;
      ::close(fd);
    }
  } else if (S_ISDIR(st.st_mode)) {
    return IoError("store '" + path + "' is a directory");
  } else if (::access(path.c_str(), mode == Mode::kWrite ? (R_OK | W_OK) : R_OK) != 0 && errno == EACCES) {
    return Status(Code::kPermissionDenied, "cannot " + std::string(mode == Mode::kWrite ? "write" : "read") +
                                               " store '" + path + "': permission denied");
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &s->db_, flags, StoreVfs()) != SQLITE_OK) {
    std::string msg = s->db_ ? sqlite3_errmsg(s->db_) : "out of memory";
    return IoError("cannot open store '" + path + "': " + msg);
  }
  sqlite3_extended_result_codes(s->db_, 1);
  // Keep the WAL file when the last connection closes: rgs is one short process per command,
  // and deleting and re-creating the WAL and its index every time costs more than the command.
  int persist = 1;
  sqlite3_file_control(s->db_, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  // A command leaves its commit in the WAL instead of copying it into the database when it
  // closes: copying costs two more syncs and a truncation (the commit itself is durable once
  // the WAL is synced, synchronous=FULL). The next process to open the store rebuilds the WAL
  // index from the frames left, which costs little while the WAL is short, so a commit that
  // leaves kCheckpointFrames pages or more there checkpoints and empties it (truncated to
  // journal_size_limit=0).
  sqlite3_db_config(s->db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_wal_hook(s->db_, &Store::AfterCommit, nullptr);
  RGS_RETURN_IF_ERROR(s->Exec("PRAGMA journal_size_limit=0"));
  sqlite3_busy_timeout(s->db_, kBusyTimeoutMs);
  RGS_RETURN_IF_ERROR(s->Exec("PRAGMA foreign_keys=ON"));
  {
    // A file that is not SQLite at all shows up here first.
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(s->db_, "PRAGMA journal_mode", -1, &st, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    sqlite3_finalize(st);
    // A WAL store without its -wal and -shm files in a folder this user may not write: SQLite
    // cannot create them, for a read as for a write. Not a corrupt file: permission denied.
    if ((rc & 0xff) == SQLITE_READONLY) {
      std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + 1);
      return Status(Code::kPermissionDenied, "cannot open store '" + path + "': its folder '" + dir +
                                                 "' may not be written, and SQLite must create '" + path +
                                                 "-wal' and '" + path + "-shm' there (" + sqlite3_errmsg(s->db_) + ")");
    }
    // Nor is a disk that is full or fails (the -shm file could not be made, for one).
    if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL)
      return IoError("cannot open store '" + path + "': " + sqlite3_errmsg(s->db_));
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return Corrupt("store '" + path + "' is not an rgs store: " + sqlite3_errmsg(s->db_));
  }
  if (mode == Mode::kWrite) {
    // Processes creating one store at once race to turn it to WAL; SQLite answers the losers
    // SQLITE_BUSY at once, without its busy handler, when waiting could deadlock. They try again
    // for as long as the busy timeout.
    Status wal = s->Exec("PRAGMA journal_mode=WAL");
    for (int waited = 0; wal.code() == Code::kConflict && waited < kBusyTimeoutMs; waited += 5) {
      ::usleep(5000);
      wal = s->Exec("PRAGMA journal_mode=WAL");
    }
    RGS_RETURN_IF_ERROR(wal);
    RGS_RETURN_IF_ERROR(s->Exec("PRAGMA synchronous=FULL"));
  }
  s->pool_ = pool;
  s->default_pool_ = default_pool;
  RGS_RETURN_IF_ERROR(s->Migrate());
  auto stored = s->Info("pool");
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Corrupt("store '" + path + "' has no pool name");
  if (!pool.empty() && **stored != pool)
    return Invalid("store '" + path + "' belongs to pool '" + **stored + "', not '" + pool + "'");
  s->pool_ = **stored;
  Bound q(s->Prepare("SELECT coalesce(max(rev), 0) FROM revisions"));
  if (q.Step() != SQLITE_ROW) return s->Error("reading the revision");
  s->revision_ = q.ColInt(0);
  return s;
}

void Store::StayOpen() {
  sqlite3_wal_autocheckpoint(db_, 1000);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
  // The WAL keeps its length when it starts over, so a commit overwrites blocks instead of
  // growing the file, which fdatasync does not have to journal (0.33 -> 0.20 ms median here).
  // It is still emptied when the connection closes.
  Exec("PRAGMA journal_size_limit=8388608");
}

int Store::AfterCommit(void*, sqlite3* db, const char*, int frames) {
  if (frames < kCheckpointFrames) return SQLITE_OK;
  // Not waiting for other connections: if one is reading, a later commit checkpoints.
  sqlite3_busy_timeout(db, 0);
  sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return SQLITE_OK;
}

void Store::Discard(std::unique_ptr<Store> store) {
  if (!store || !store->created_) return;
  std::string path = store->path_;
  bool empty = store->revision_ == 0;
  store.reset();
  if (!empty) return;
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

Store::~Store() {
  for (auto& [sql, st] : stmts_) sqlite3_finalize(st);
  if (in_tx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  if (db_) sqlite3_close(db_);
}

Status Store::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Conflict("store '" + path_ + "' is busy: " + msg + "; try again");
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    return Corrupt("store '" + path_ + "' is not a valid rgs store: " + msg);
  return IoError("store '" + path_ + "': " + msg);
}

sqlite3_stmt* Store::Prepare(const std::string& sql) {
  auto it = stmts_.find(sql);
  if (it != stmts_.end()) return it->second;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) return nullptr;
  stmts_[sql] = st;
  return st;
}

Status Store::Error(const char* what) {
  int rc = sqlite3_extended_errcode(db_) & 0xff;
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db_);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Conflict("store is busy (" + msg + "); try again");
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) return Corrupt("store '" + path_ + "' is corrupt: " + msg);
  return IoError("store '" + path_ + "': " + msg);
}

int Store::schema_version() const {
  sqlite3_stmt* st = nullptr;
  int v = 0;
  if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

Status Store::Migrate() {
  const auto& all = Migrations();
  int latest = all.empty() ? 0 : all.back().number;
  int have = schema_version();
  if (have > latest)
    return Corrupt("store '" + path_ + "' was written by a newer rgs (schema " + std::to_string(have) +
                   "; this rgs knows schema " + std::to_string(latest) + "): upgrade rgs");
  if (have == latest) return Status::Ok();
  RGS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  have = schema_version();  // another process may have migrated while we waited
  for (const auto& m : all) {
    if (m.number <= have) continue;
    Status s = Exec(m.sql);
    if (s.ok()) s = Exec(("PRAGMA user_version=" + std::to_string(m.number)).c_str());
    if (!s.ok()) {
      Exec("ROLLBACK");
      return Status(s.code(), "applying migration " + std::string(m.name) + ": " + s.message());
    }
  }
  if (have == 0) {
    if (pool_.empty() && default_pool_) pool_ = default_pool_();
    if (pool_.empty()) {
      Exec("ROLLBACK");
      return Internal("a new store needs a pool name");
    }
    Bound q(Prepare("INSERT OR IGNORE INTO store_info(key, value) VALUES ('pool', ?)"));
    if (q.Text(pool_).Step() != SQLITE_DONE) {
      Status s = Error("naming the pool");
      Exec("ROLLBACK");
      return s;
    }
  }
  return Exec("COMMIT");
}

Result<std::optional<std::string>> Store::Info(const std::string& key) {
  Bound q(Prepare("SELECT value FROM store_info WHERE key = ?"));
  int rc = q.Text(key).Step();
  if (rc == SQLITE_ROW) return std::optional<std::string>(q.Col(0));
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  return Error("reading store information");
}

Status Store::SetInfo(const std::string& key, const std::string& value) {
  Bound q(
      Prepare("INSERT INTO store_info(key, value) VALUES (?, ?) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  if (q.Text(key).Text(value).Step() != SQLITE_DONE) return Error("writing store information");
  return Status::Ok();
}

Result<int64_t> Store::Refresh() {
  Bound q(Prepare("SELECT coalesce(max(rev), 0) FROM revisions"));
  if (q.Step() != SQLITE_ROW) return Error("reading the revision");
  revision_ = q.ColInt(0);
  return revision_;
}

Status Store::Begin() {
  RGS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  in_tx_ = true;
  changes_.clear();
  undo_.clear();
  Bound q(Prepare("SELECT coalesce(max(rev), 0) FROM revisions"));
  if (q.Step() != SQLITE_ROW) return Error("reading the revision");
  revision_ = q.ColInt(0);
  // The revision row exists from the start so that object versions can refer to it; Commit
  // fills it in, or the whole transaction is rolled back when nothing changed.
  Bound ins(
      Prepare("INSERT INTO revisions(rev, time, actor, role, command, summary) "
              "VALUES (?, '', '', '', '', '')"));
  if (ins.Int(revision_ + 1).Step() != SQLITE_DONE) return Error("starting a revision");
  return Status::Ok();
}

Result<Store::Mark> Store::MarkPoint() {
  if (!in_tx_) return Internal("MarkPoint outside a transaction");
  Mark m{++marks_, undo_.size()};
  RGS_RETURN_IF_ERROR(Exec(("SAVEPOINT rgs_mark_" + std::to_string(m.depth)).c_str()));
  return m;
}

Status Store::Undo(const Mark& m) {
  std::string name = "rgs_mark_" + std::to_string(m.depth);
  RGS_RETURN_IF_ERROR(Exec(("ROLLBACK TO " + name).c_str()));
  while (undo_.size() > m.undo) {
    auto& [key, previous] = undo_.back();
    if (previous)
      changes_[key] = std::move(*previous);
    else
      changes_.erase(key);
    undo_.pop_back();
  }
  marks_ = m.depth - 1;
  return Exec(("RELEASE " + name).c_str());
}

Status Store::Keep(const Mark& m) {
  marks_ = m.depth - 1;
  return Exec(("RELEASE rgs_mark_" + std::to_string(m.depth)).c_str());
}

void Store::Record(Pending c) {
  std::string key = Key(c.kind, c.guid);
  auto it = changes_.find(key);
  undo_.emplace_back(key, it == changes_.end() ? std::nullopt : std::optional<Pending>(it->second));
  if (it == changes_.end()) {
    changes_.emplace(std::move(key), std::move(c));
    return;
  }
  Pending& m = it->second;
  m.after = std::move(c.after);
  m.name = c.name;
  if (m.before == m.after) {  // both absent, or back to what it was
    changes_.erase(it);
  } else {
    m.op = m.before.empty() ? Change::Op::kAdded : m.after.empty() ? Change::Op::kRemoved : Change::Op::kChanged;
  }
}

std::vector<Change> Store::changes() const {
  std::vector<Change> out;
  auto doc = [](const std::string& text) { return text.empty() ? Json() : Json::parse(text); };
  for (const auto& [key, c] : changes_) out.push_back({c.op, c.kind, c.guid, c.name, doc(c.before), doc(c.after)});
  std::stable_sort(out.begin(), out.end(), [](const Change& a, const Change& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return out;
}

Status Store::Put(const Object& obj, const std::vector<Ref>& refs) {
  if (!in_tx_) return Internal("Put outside a transaction");
  const int64_t pending = revision_ + 1;
  std::string text = obj.doc.dump();
  int64_t live_from = 0;
  std::string live_name, live_doc;
  {
    Bound q(Prepare("SELECT rev_from, name, doc FROM objects WHERE kind = ? AND guid = ? AND rev_to IS NULL"));
    int rc = q.Text(obj.kind).Text(obj.guid).Step();
    if (rc == SQLITE_ROW) {
      live_from = q.ColInt(0);
      live_name = q.Col(1);
      live_doc = q.Col(2);
    } else if (rc != SQLITE_DONE) {
      return Error("reading an object");
    }
  }
  if (live_from != 0 && live_doc == text && live_name == obj.name) return Status::Ok();
  if (live_from == pending) {
    Bound u(Prepare("UPDATE objects SET name = ?, doc = ? WHERE kind = ? AND guid = ? AND rev_from = ?"));
    if (u.Text(obj.name).Text(text).Text(obj.kind).Text(obj.guid).Int(pending).Step() != SQLITE_DONE)
      return Error("updating an object");
  } else {
    if (live_from != 0) {
      Bound u(Prepare("UPDATE objects SET rev_to = ? WHERE kind = ? AND guid = ? AND rev_to IS NULL"));
      if (u.Int(pending).Text(obj.kind).Text(obj.guid).Step() != SQLITE_DONE) return Error("closing an object version");
    }
    Bound ins(Prepare("INSERT INTO objects(kind, guid, name, rev_from, rev_to, doc) VALUES (?, ?, ?, ?, NULL, ?)"));
    int rc = ins.Text(obj.kind).Text(obj.guid).Text(obj.name).Int(pending).Text(text).Step();
    if ((sqlite3_extended_errcode(db_) & 0xff) == SQLITE_CONSTRAINT && rc != SQLITE_DONE)
      return AlreadyExists(obj.kind + " '" + obj.name + "' already exists");
    if (rc != SQLITE_DONE) return Error("writing an object");
  }
  {
    Bound d(Prepare("DELETE FROM refs WHERE from_kind = ? AND from_guid = ?"));
    if (d.Text(obj.kind).Text(obj.guid).Step() != SQLITE_DONE) return Error("writing references");
  }
  for (const Ref& r : refs) {
    Bound ins(Prepare("INSERT OR IGNORE INTO refs(to_kind, to_guid, from_kind, from_guid) VALUES (?, ?, ?, ?)"));
    if (ins.Text(r.kind).Text(r.guid).Text(obj.kind).Text(obj.guid).Step() != SQLITE_DONE)
      return Error("writing references");
  }
  Record({live_from == 0 ? Change::Op::kAdded : Change::Op::kChanged, obj.kind, obj.guid, obj.name, std::move(live_doc),
          std::move(text)});
  return Status::Ok();
}

Status Store::Remove(const std::string& kind, const std::string& guid) {
  if (!in_tx_) return Internal("Remove outside a transaction");
  const int64_t pending = revision_ + 1;
  int64_t live_from = 0;
  std::string name, doc;
  {
    Bound q(Prepare("SELECT rev_from, name, doc FROM objects WHERE kind = ? AND guid = ? AND rev_to IS NULL"));
    int rc = q.Text(kind).Text(guid).Step();
    if (rc == SQLITE_DONE) return NotFound(kind + " '" + guid + "' not found");
    if (rc != SQLITE_ROW) return Error("reading an object");
    live_from = q.ColInt(0);
    name = q.Col(1);
    doc = q.Col(2);
  }
  if (live_from == pending) {
    Bound d(Prepare("DELETE FROM objects WHERE kind = ? AND guid = ? AND rev_from = ?"));
    if (d.Text(kind).Text(guid).Int(pending).Step() != SQLITE_DONE) return Error("removing an object");
  } else {
    Bound u(Prepare("UPDATE objects SET rev_to = ? WHERE kind = ? AND guid = ? AND rev_to IS NULL"));
    if (u.Int(pending).Text(kind).Text(guid).Step() != SQLITE_DONE) return Error("removing an object");
  }
  Bound d(Prepare("DELETE FROM refs WHERE from_kind = ? AND from_guid = ?"));
  if (d.Text(kind).Text(guid).Step() != SQLITE_DONE) return Error("removing references");
  Record({Change::Op::kRemoved, kind, guid, name, std::move(doc), ""});
  return Status::Ok();
}

Result<int64_t> Store::Commit(const std::string& actor, const std::string& role, const std::string& command,
                              const std::string& summary) {
  if (!in_tx_) return Internal("Commit outside a transaction");
  if (changes_.empty()) {
    Rollback();
    return revision_;
  }
  Bound u(Prepare("UPDATE revisions SET time = ?, actor = ?, role = ?, command = ?, summary = ? WHERE rev = ?"));
  if (u.Text(UtcNow()).Text(actor).Text(role).Text(command).Text(summary).Int(revision_ + 1).Step() != SQLITE_DONE) {
    Status s = Error("writing the revision");
    Rollback();
    return s;
  }
  Status s = Exec("COMMIT");
  if (!s.ok()) {
    Rollback();
    return s;
  }
  in_tx_ = false;
  changes_.clear();
  undo_.clear();
  return ++revision_;
}

void Store::Rollback() {
  if (in_tx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  in_tx_ = false;
  changes_.clear();
  undo_.clear();
}

Status Store::Scan(const std::string& where, const std::vector<std::string>& args, int64_t at,
                   const std::function<Status(Object&&)>& f, const char* from) {
  std::string sql = kObjectColumns + std::string(from) + " WHERE " + where + Visible(at) + " ORDER BY name";
  sqlite3_stmt* st = Prepare(sql);
  if (!st) return Error("preparing a query");
  Bound q(st);
  for (const auto& a : args) q.Text(a);
  if (at != kCurrent) q.Int(at).Int(at);
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    Object o{q.Col(0), q.Col(1), q.Col(2), {}};
    const char* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
    try {
      o.doc = Json::parse(text, text + sqlite3_column_bytes(st, 3));
    } catch (const std::exception& e) {
      return Corrupt("store '" + path_ + "': " + o.kind + " '" + o.name + "' is not valid JSON");
    }
    RGS_RETURN_IF_ERROR(f(std::move(o)));
  }
  if (rc != SQLITE_DONE) return Error("reading objects");
  return Status::Ok();
}

Result<std::vector<Object>> Store::Query(const std::string& where, const std::vector<std::string>& args, int64_t at) {
  std::vector<Object> out;
  RGS_RETURN_IF_ERROR(Scan(where, args, at, [&](Object&& o) {
    out.push_back(std::move(o));
    return Status::Ok();
  }));
  return out;
}

Status Store::ForEach(const std::string& kind, int64_t at, const std::function<Status(Object&&)>& f) {
  return Scan("kind = ?", {kind}, at, f);
}

Result<std::optional<Object>> Store::QueryOne(const std::string& where, const std::vector<std::string>& args,
                                              int64_t at) {
  auto r = Query(where, args, at);
  if (!r.ok()) return r.status();
  if (r->empty()) return std::optional<Object>();
  return std::optional<Object>(std::move(r->front()));
}

Result<std::optional<Object>> Store::Get(const std::string& kind, const std::string& guid, int64_t at) {
  return QueryOne("kind = ? AND guid = ?", {kind, guid}, at);
}

Result<std::optional<Object>> Store::FindByName(const std::string& kind, const std::string& name, int64_t at) {
  return QueryOne("kind = ? AND name = ?", {kind, name}, at);
}

Result<std::vector<Object>> Store::List(const std::string& kind, int64_t at) { return Query("kind = ?", {kind}, at); }

Result<std::vector<Object>> Store::ListAll(int64_t at) { return Query("1", {}, at); }

Result<std::vector<Object>> Store::Users(const std::string& kind, const std::string& guid) {
  // A join from the references, so that finding the users is an index lookup, not a scan.
  std::vector<Object> out;
  RGS_RETURN_IF_ERROR(Scan(
      "to_kind = ? AND to_guid = ?", {kind, guid}, kCurrent,
      [&](Object&& o) {
        out.push_back(std::move(o));
        return Status::Ok();
      },
      "refs JOIN objects ON kind = from_kind AND guid = from_guid"));
  return out;
}

Result<std::vector<Object>> Store::ListWhere(const std::string& kind, const std::string& json_path,
                                             const std::string& value) {
  return Query("kind = ? AND json_extract(doc, ?) = json_extract(?, '$')", {kind, json_path, value}, kCurrent);
}

Json CredentialDoc(const core::AgentCredential& c) {
  return Json{{"Agent", c.aor},
              {"UserName", c.username},
              {"Realm", c.realm},
              {"Algorithms", {"SHA-256", "MD5"}},
              {"SetInRevision", c.revision}};
}

Result<std::optional<core::AgentCredential>> Store::Credential(const std::string& aor, int64_t at) {
  std::string sql =
      "SELECT aor, username, realm, ha1_md5, ha1_sha256, rev_from FROM agent_credentials WHERE aor = ?" + Visible(at);
  Bound q(Prepare(sql));
  q.Text(aor);
  if (at != kCurrent) q.Int(at).Int(at);
  int rc = q.Step();
  if (rc == SQLITE_DONE) return std::optional<core::AgentCredential>();
  if (rc != SQLITE_ROW) return Error("reading a credential");
  return std::optional<core::AgentCredential>(
      core::AgentCredential{q.Col(0), q.Col(1), q.Col(2), q.Col(3), q.Col(4), q.ColInt(5)});
}

Result<std::vector<core::AgentCredential>> Store::Credentials(int64_t at) {
  std::string sql = "SELECT aor, username, realm, ha1_md5, ha1_sha256, rev_from FROM agent_credentials WHERE 1" +
                    Visible(at) + " ORDER BY aor";
  Bound q(Prepare(sql));
  if (at != kCurrent) q.Int(at).Int(at);
  std::vector<core::AgentCredential> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back({q.Col(0), q.Col(1), q.Col(2), q.Col(3), q.Col(4), q.ColInt(5)});
  if (rc != SQLITE_DONE) return Error("reading credentials");
  return out;
}

Status Store::PutCredential(const core::AgentCredential& c) {
  if (!in_tx_) return Internal("PutCredential outside a transaction");
  const int64_t pending = revision_ + 1;
  auto live = Credential(c.aor);
  if (!live.ok()) return live.status();
  std::string before;
  if (*live) {
    const core::AgentCredential& l = **live;
    if (l.username == c.username && l.realm == c.realm && l.ha1_md5 == c.ha1_md5 && l.ha1_sha256 == c.ha1_sha256)
      return Status::Ok();
    before = CredentialDoc(l).dump();
    Bound d(Prepare(l.revision == pending
                        ? "DELETE FROM agent_credentials WHERE aor = ? AND rev_from = ?"
                        : "UPDATE agent_credentials SET rev_to = ? WHERE aor = ? AND rev_to IS NULL"));
    if (l.revision == pending)
      d.Text(c.aor).Int(pending);
    else
      d.Int(pending).Text(c.aor);
    if (d.Step() != SQLITE_DONE) return Error("replacing a credential");
  }
  Bound ins(
      Prepare("INSERT INTO agent_credentials(aor, rev_from, rev_to, username, realm, ha1_md5, ha1_sha256) "
              "VALUES (?, ?, NULL, ?, ?, ?, ?)"));
  if (ins.Text(c.aor).Int(pending).Text(c.username).Text(c.realm).Text(c.ha1_md5).Text(c.ha1_sha256).Step() !=
      SQLITE_DONE)
    return Error("writing a credential");
  core::AgentCredential shown = c;
  shown.revision = pending;
  Record({before.empty() ? Change::Op::kAdded : Change::Op::kChanged, kAgentCredential, c.aor, c.aor, std::move(before),
          CredentialDoc(shown).dump()});
  return Status::Ok();
}

Status Store::RemoveCredential(const std::string& aor) {
  if (!in_tx_) return Internal("RemoveCredential outside a transaction");
  const int64_t pending = revision_ + 1;
  auto live = Credential(aor);
  if (!live.ok()) return live.status();
  if (!*live) return NotFound("agent '" + aor + "' has no credential");
  Bound d(Prepare((*live)->revision == pending
                      ? "DELETE FROM agent_credentials WHERE aor = ? AND rev_from = ?"
                      : "UPDATE agent_credentials SET rev_to = ? WHERE aor = ? AND rev_to IS NULL"));
  if ((*live)->revision == pending)
    d.Text(aor).Int(pending);
  else
    d.Int(pending).Text(aor);
  if (d.Step() != SQLITE_DONE) return Error("removing a credential");
  Record({Change::Op::kRemoved, kAgentCredential, aor, aor, CredentialDoc(**live).dump(), ""});
  return Status::Ok();
}

Status Store::PutBlob(const std::string& sha256, const std::string& bytes) {
  sqlite3_stmt* st = Prepare("INSERT OR IGNORE INTO audio_blobs(sha256, bytes) VALUES (?, ?)");
  Bound q(st);
  q.Text(sha256);
  sqlite3_bind_blob(st, 2, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  if (q.Step() != SQLITE_DONE) return Error("writing audio");
  return Status::Ok();
}

Result<std::optional<std::string>> Store::GetBlob(const std::string& sha256) {
  sqlite3_stmt* st = Prepare("SELECT bytes FROM audio_blobs WHERE sha256 = ?");
  Bound q(st);
  int rc = q.Text(sha256).Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return Error("reading audio");
  const char* p = static_cast<const char*>(sqlite3_column_blob(st, 0));
  return std::optional<std::string>(std::string(p ? p : "", sqlite3_column_bytes(st, 0)));
}

Result<std::vector<Revision>> Store::Revisions(int64_t limit) {
  Bound q(
      Prepare("SELECT rev, time, actor, role, command, summary FROM revisions "
              "WHERE rev <= ? ORDER BY rev DESC LIMIT ?"));
  q.Int(revision_).Int(limit < 0 ? -1 : limit);
  std::vector<Revision> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back({q.ColInt(0), q.Col(1), q.Col(2), q.Col(3), q.Col(4), q.Col(5)});
  if (rc != SQLITE_DONE) return Error("reading revisions");
  return out;
}

Result<std::optional<Revision>> Store::GetRevision(int64_t number) {
  Bound q(Prepare("SELECT rev, time, actor, role, command, summary FROM revisions WHERE rev = ? AND rev <= ?"));
  int rc = q.Int(number).Int(revision_).Step();
  if (rc == SQLITE_DONE) return std::optional<Revision>();
  if (rc != SQLITE_ROW) return Error("reading a revision");
  return std::optional<Revision>(Revision{q.ColInt(0), q.Col(1), q.Col(2), q.Col(3), q.Col(4), q.Col(5)});
}

Result<std::vector<std::pair<std::string, std::string>>> Store::Touched(int64_t lo, int64_t hi) {
  std::vector<std::pair<std::string, std::string>> keys;
  Bound q(
      Prepare("SELECT DISTINCT kind, guid FROM objects WHERE (rev_from > ? AND rev_from <= ?) "
              "OR (rev_to > ? AND rev_to <= ?) UNION "
              "SELECT DISTINCT 'agentcredential', aor FROM agent_credentials WHERE (rev_from > ? AND rev_from <= ?) "
              "OR (rev_to > ? AND rev_to <= ?)"));
  q.Int(lo).Int(hi).Int(lo).Int(hi).Int(lo).Int(hi).Int(lo).Int(hi);
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) keys.emplace_back(q.Col(0), q.Col(1));
  if (rc != SQLITE_DONE) return Error("comparing revisions");
  return keys;
}

Result<std::vector<Change>> Store::Compare(int64_t a, int64_t b) {
  auto keys = Touched(std::min(a, b), std::max(a, b));
  if (!keys.ok()) return keys.status();
  std::vector<Change> out;
  for (const auto& [kind, guid] : *keys) {
    if (kind == kAgentCredential) {
      auto x = Credential(guid, a);
      if (!x.ok()) return x.status();
      auto y = Credential(guid, b);
      if (!y.ok()) return y.status();
      Change c{
          Change::Op::kChanged, kind, guid, guid, *x ? CredentialDoc(**x) : Json(), *y ? CredentialDoc(**y) : Json()};
      if (c.before == c.after) continue;
      c.op = c.before.is_null() ? Change::Op::kAdded : c.after.is_null() ? Change::Op::kRemoved : Change::Op::kChanged;
      out.push_back(std::move(c));
      continue;
    }
    auto x = Get(kind, guid, a);
    if (!x.ok()) return x.status();
    auto y = Get(kind, guid, b);
    if (!y.ok()) return y.status();
    Change c;
    c.kind = kind;
    c.guid = guid;
    if (x->has_value()) c.before = (*x)->doc;
    if (y->has_value()) c.after = (*y)->doc;
    if (c.before == c.after) continue;
    c.name = y->has_value() ? (*y)->name : (*x)->name;
    c.op = c.before.is_null() ? Change::Op::kAdded : c.after.is_null() ? Change::Op::kRemoved : Change::Op::kChanged;
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const Change& p, const Change& q) {
    return std::tie(p.kind, p.name) < std::tie(q.kind, q.name);
  });
  return out;
}

std::vector<PropertyDiff> Diff(const Json& before, const Json& after) {
  std::vector<PropertyDiff> out;
  std::vector<std::string> keys;
  if (before.is_object())
    for (auto it = before.begin(); it != before.end(); ++it) keys.push_back(it.key());
  if (after.is_object())
    for (auto it = after.begin(); it != after.end(); ++it)
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
  for (const auto& k : keys) {
    Json x = before.is_object() && before.contains(k) ? before[k] : Json();
    Json y = after.is_object() && after.contains(k) ? after[k] : Json();
    if (x != y) out.push_back({k, x, y});
  }
  return out;
}

}  // namespace rgs::store
