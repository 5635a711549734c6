// The store thread: configuration reloads and call records.
#include "daemon/records.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <unistd.h>

#include <sqlite3.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "os/names.h"
#include "store/statement.h"
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
                               [] { return os::HostFqdn(); });
  if (!st.ok()) return st.status();
  store_ = std::move(*st);
  store_->StayOpen();
  // Call records need not wait for the disk; configuration revisions (written by rgs) still do.
  sqlite3_exec(store_->db(), "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  auto snap = Load();
  if (!snap.ok()) return snap.status();
  thread_ = std::thread([this] { Run(); });
  return snap;
}

Result<std::shared_ptr<const Snapshot>> StoreWorker::Load() {
  // One read transaction: the revision and every object come from the same state of the file.
  auto started = std::chrono::steady_clock::now();
  sqlite3_exec(store_->db(), "BEGIN", nullptr, nullptr, nullptr);
  auto rev = store_->Refresh();
  // After the first load, only the objects changed since the last one are read.
  Result<std::shared_ptr<const Snapshot>> snap =
      !rev.ok() ? Result<std::shared_ptr<const Snapshot>>(rev.status())
      : served_ ? UpdateSnapshot(*store_, *served_, *rev)
                : LoadSnapshot(*store_);
  sqlite3_exec(store_->db(), "COMMIT", nullptr, nullptr, nullptr);
  if (snap.ok()) {
    const_cast<Snapshot&>(**snap).revision = *rev;
    const_cast<Snapshot&>(**snap).load_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    revision_ = *rev;
    served_ = *snap;
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
  // Loading a new revision of a large configuration takes a core for a fraction of a second:
  // it yields to the SIP loop, the control socket and the commands rgsd runs for rgs.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
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
    // A large configuration takes a while to load: under a burst of changes (a script writing
    // hundreds of revisions) rgsd loads at most every ten load times, so that picking up
    // changes takes no more than about a tenth of a core; each load brings in every change
    // made since the last.
    auto pause = std::chrono::milliseconds(static_cast<int64_t>((*snap)->load_ms * 10));
    next_check = std::max(next_check, std::chrono::steady_clock::now() + pause);
  }
}

void StoreWorker::Flush(std::vector<CallRecord>& batch) {
  sqlite3* db = store_->db();
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    on_error_(std::string("call records not written: ") + sqlite3_errmsg(db));
    return;
  }
  store::Statement call(db,
                        "INSERT INTO calls(call_id, workflow, workflow_name, caller, received, ended, outcome, "
                        "detail, agent, answered, wait_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  store::Statement visit(db,
                         "INSERT INTO queue_visits(call, seq, queue, queue_name, entered, left_at, outcome, reason, "
                         "agent, wait_ms, offers) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  bool ok = call.ok() && visit.ok();
  for (const auto& r : batch) {
    if (!ok) break;
    ok = call.Run(r.call_id, store::NullIfEmpty(r.workflow), store::NullIfEmpty(r.workflow_name), r.caller,
                  IsoTime(r.received), IsoTime(r.ended), r.outcome, r.detail, store::NullIfEmpty(r.agent),
                  r.answered ? std::optional<std::string>(IsoTime(*r.answered)) : std::nullopt,
                  r.wait_ms ? std::optional<int64_t>(*r.wait_ms) : std::nullopt) == SQLITE_DONE;
    int64_t id = sqlite3_last_insert_rowid(db);
    int64_t seq = 0;
    for (const auto& v : r.visits) {
      if (!ok) break;
      nlohmann::json offers = nlohmann::json::array();
      for (const auto& o : v.offers) offers.push_back({{"Agent", o.agent}, {"At", IsoTime(o.at)}, {"Result", o.result}});
      ok = visit.Run(id, ++seq, v.queue, v.queue_name, IsoTime(v.entered), IsoTime(v.left), v.outcome, v.reason,
                     store::NullIfEmpty(v.agent), static_cast<int64_t>(v.wait_ms), offers.dump()) == SQLITE_DONE;
    }
  }
  if (!ok) on_error_(std::string("call records not written: ") + sqlite3_errmsg(db));
  sqlite3_exec(db, ok ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace rgs::daemon
