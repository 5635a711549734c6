// The store thread: configuration reloads and call records.
#include "daemon/records.h"

#include <sqlite3.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace rgs::daemon {

std::string IsoTime(SysTime t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

StoreWorker::StoreWorker(std::string path, std::string pool, int reload_ms,
                         std::function<void(std::shared_ptr<const Snapshot>)> on_snapshot,
                         std::function<void(const std::string&)> on_error)
    : path_(std::move(path)), pool_(std::move(pool)), reload_ms_(reload_ms), on_snapshot_(std::move(on_snapshot)),
      on_error_(std::move(on_error)) {}

StoreWorker::~StoreWorker() { Stop(); }

Result<std::shared_ptr<const Snapshot>> StoreWorker::Start(bool create) {
  auto st = store::Store::Open(path_, create ? store::Store::Mode::kWrite : store::Store::Mode::kRead, pool_,
                               [] { return store::HostFqdn(); });
  if (!st.ok()) return st.status();
  store_ = std::move(*st);
  // Call records need not wait for the disk; configuration revisions (written by rgs) still do.
  sqlite3_exec(store_->db(), "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  auto snap = Load();
  if (!snap.ok()) return snap.status();
  thread_ = std::thread([this] { Run(); });
  return snap;
}

Result<std::shared_ptr<const Snapshot>> StoreWorker::Load() {
  // One read transaction: the revision and every object come from the same state of the file.
  sqlite3_exec(store_->db(), "BEGIN", nullptr, nullptr, nullptr);
  auto rev = store_->Refresh();
  Result<std::shared_ptr<const Snapshot>> snap = rev.ok() ? LoadSnapshot(*store_) : Result<std::shared_ptr<const Snapshot>>(rev.status());
  sqlite3_exec(store_->db(), "COMMIT", nullptr, nullptr, nullptr);
  if (snap.ok()) {
    const_cast<Snapshot&>(**snap).revision = *rev;
    revision_ = *rev;
  }
  return snap;
}

void StoreWorker::Add(CallRecord record) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.push_back(std::move(record));
  if (pending_.size() >= 256) cv_.notify_one();
}

void StoreWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void StoreWorker::Run() {
  auto next_check = std::chrono::steady_clock::now();
  while (true) {
    std::vector<CallRecord> batch;
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, next_check, [&] { return stop_ || pending_.size() >= 256; });
      batch.swap(pending_);
      stopping = stop_;
    }
    if (!batch.empty()) Flush(batch);
    if (stopping) break;
    auto now = std::chrono::steady_clock::now();
    if (now < next_check) continue;
    next_check = now + std::chrono::milliseconds(reload_ms_);
    auto rev = store_->Refresh();
    if (!rev.ok()) {
      on_error_(rev.status().message());
      continue;
    }
    if (*rev == revision_) continue;
    auto snap = Load();
    if (!snap.ok()) {
      on_error_("revision " + std::to_string(*rev) + " cannot be served: " + snap.status().message());
      revision_ = *rev;   // not retried until the next revision
      continue;
    }
    on_snapshot_(*snap);
  }
}

void StoreWorker::Flush(std::vector<CallRecord>& batch) {
  sqlite3* db = store_->db();
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    on_error_(std::string("call records not written: ") + sqlite3_errmsg(db));
    return;
  }
  sqlite3_stmt* call = nullptr;
  sqlite3_stmt* visit = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO calls(call_id, workflow, workflow_name, caller, received, ended, outcome, detail, "
                     "agent, answered, wait_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     -1, &call, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO queue_visits(call, seq, queue, queue_name, entered, left_at, outcome, reason, agent, "
                     "wait_ms, offers) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     -1, &visit, nullptr);
  auto text = [](sqlite3_stmt* st, int i, const std::string& s, bool null_if_empty = false) {
    if (null_if_empty && s.empty()) sqlite3_bind_null(st, i);
    else sqlite3_bind_text(st, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  };
  bool ok = call && visit;
  for (const auto& r : batch) {
    if (!ok) break;
    sqlite3_reset(call);
    text(call, 1, r.call_id);
    text(call, 2, r.workflow, true);
    text(call, 3, r.workflow_name, true);
    text(call, 4, r.caller);
    text(call, 5, IsoTime(r.received));
    text(call, 6, IsoTime(r.ended));
    text(call, 7, r.outcome);
    text(call, 8, r.detail);
    text(call, 9, r.agent, true);
    text(call, 10, r.answered ? IsoTime(*r.answered) : "", true);
    if (r.wait_ms) sqlite3_bind_int64(call, 11, *r.wait_ms);
    else sqlite3_bind_null(call, 11);
    ok = sqlite3_step(call) == SQLITE_DONE;
    sqlite3_int64 id = sqlite3_last_insert_rowid(db);
    int seq = 0;
    for (const auto& v : r.visits) {
      if (!ok) break;
      sqlite3_reset(visit);
      sqlite3_bind_int64(visit, 1, id);
      sqlite3_bind_int(visit, 2, ++seq);
      text(visit, 3, v.queue);
      text(visit, 4, v.queue_name);
      text(visit, 5, IsoTime(v.entered));
      text(visit, 6, IsoTime(v.left));
      text(visit, 7, v.outcome);
      text(visit, 8, v.reason);
      text(visit, 9, v.agent, true);
      sqlite3_bind_int64(visit, 10, v.wait_ms);
      nlohmann::json offers = nlohmann::json::array();
      for (const auto& o : v.offers) offers.push_back({{"Agent", o.agent}, {"At", IsoTime(o.at)}, {"Result", o.result}});
      text(visit, 11, offers.dump());
      ok = sqlite3_step(visit) == SQLITE_DONE;
    }
  }
  if (!ok) on_error_(std::string("call records not written: ") + sqlite3_errmsg(db));
  sqlite3_finalize(call);
  sqlite3_finalize(visit);
  sqlite3_exec(db, ok ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace rgs::daemon
