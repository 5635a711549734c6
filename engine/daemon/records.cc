// The store thread: configuration reloads and call records.
#include "daemon/records.h"

#include <sys/resource.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>

#include <sqlite3.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "os/names.h"
#include "store/calls.h"
#include "store/catalog.h"
#include "store/served.h"
#include "store/statement.h"
#include "store/store.h"

namespace rgs::daemon {

StoreWorker::StoreWorker(std::string path, std::string pool, int reload_ms, AudioLibrary* audio,
                         std::function<void(std::shared_ptr<const core::Snapshot>)> on_snapshot,
                         std::function<void(const std::string&)> on_error)
    : path_(std::move(path)),
      pool_(std::move(pool)),
      reload_ms_(reload_ms),
      audio_(audio),
      on_snapshot_(std::move(on_snapshot)),
      on_error_(std::move(on_error)) {}

StoreWorker::~StoreWorker() { Stop(); }

Result<std::shared_ptr<const core::Snapshot>> StoreWorker::Start(bool create) {
  auto st = store::Store::Open(path_, create ? store::Store::Mode::kWrite : store::Store::Mode::kRead, pool_,
                               [] { return os::HostFqdn(); });
  if (!st.ok()) return st.status();
  store_ = std::move(*st);
  store_->StayOpen();
  // Call records need not wait for the disk; configuration revisions (written by rgs) still do.
  sqlite3_exec(store_->db(), "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  auto snap = Load();
  if (!snap.ok()) return snap.status();
  auto last = store::LastCallId(*store_);
  if (!last.ok()) return last.status();
  last_call_ = *last;
  if (create) {
    auto now = std::chrono::system_clock::now();
    auto ended = store::EndInterruptedCalls(*store_, now);
    if (!ended.ok()) return ended.status();
    interrupted_ = *ended;
    auto agents = store::LoadAgents(*store_, now);
    if (!agents.ok()) return agents.status();
    agents_ = std::move(*agents);
  }
  thread_ = std::thread([this] { Run(); });
  return snap;
}

Result<std::shared_ptr<const core::Snapshot>> StoreWorker::Load() {
  // One read transaction: the revision and every object come from the same state of the file.
  auto started = std::chrono::steady_clock::now();
  sqlite3_exec(store_->db(), "BEGIN", nullptr, nullptr, nullptr);
  auto rev = store_->Refresh();
  // After the first load, only the objects changed since the last one are read.
  Result<std::shared_ptr<const core::Snapshot>> snap = !rev.ok()
                                                           ? Result<std::shared_ptr<const core::Snapshot>>(rev.status())
                                                       : served_ ? store::UpdateSnapshot(*store_, *served_, *rev)
                                                                 : store::LoadSnapshot(*store_);
  sqlite3_exec(store_->db(), "COMMIT", nullptr, nullptr, nullptr);
  if (snap.ok()) {
    const_cast<core::Snapshot&>(**snap).revision = *rev;
    const_cast<core::Snapshot&>(**snap).load_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    revision_ = *rev;
    served_ = *snap;
    if (audio_) {
      store::Catalog catalog(*store_);
      AudioLibrary::Fetch fetch{[&](const std::string& guid) -> Result<std::string> {
                                  auto file = catalog.Find<core::AudioFile>(guid);
                                  if (!file.ok()) return file.status();
                                  return file->sha256;
                                },
                                [&](const std::string& sha) -> Result<std::string> {
                                  auto bytes = store_->GetBlob(sha);
                                  if (!bytes.ok()) return bytes.status();
                                  if (!*bytes) return NotFound("its contents are missing from the store");
                                  return **bytes;
                                }};
      for (const auto& problem : audio_->Prepare(**snap, fetch)) on_error_(problem);
    }
  }
  return snap;
}

void StoreWorker::Add(CallRecord record) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.records.push_back(std::move(record));
  ++given_;
  if (pending_.size() >= 256) cv_.notify_one();
}

void StoreWorker::Started(CallRecord record) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.started.push_back(std::move(record));
  ++given_;
  if (pending_.size() >= 256) cv_.notify_one();
}

void StoreWorker::Save(core::SaveAgent agent) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.agents.push_back(std::move(agent));
  ++given_;
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
    Batch batch;
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, next_check, [&] { return stop_ || pending_.size() >= 256; });
      std::swap(batch, pending_);
      stopping = stop_;
    }
    if (batch.size() > 0) Flush(batch);
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
      revision_ = *rev;  // not retried until the next revision
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

void StoreWorker::Flush(Batch& batch) {
  if (!batch.agents.empty())
    if (Status st = store::SaveAgents(*store_, batch.agents); !st.ok())
      on_error_("agent state not written: " + st.message());
  if (!batch.started.empty())
    if (Status st = store::WriteCallsStarted(*store_, batch.started); !st.ok())
      on_error_("call records not written: " + st.message());
  if (!batch.records.empty())
    if (Status st = store::WriteCallRecords(*store_, batch.records); !st.ok())
      on_error_("call records not written: " + st.message());
  written_ += batch.size();  // written or failed (and logged): no longer pending
}

}  // namespace rgs::daemon
