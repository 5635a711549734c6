// rgsd's own thread for the store: it watches for new revisions (loading a Snapshot for each)
// and writes call records in batches, so that SQLite never blocks the SIP or call threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon/snapshot.h"

namespace rgs::daemon {

using SysTime = std::chrono::system_clock::time_point;
std::string IsoTime(SysTime t);   // 2026-11-24T10:00:00.123Z

struct Offer {
  std::string agent;
  SysTime at;
  std::string result;   // Answered, Declined 486, NoAnswer, Cancelled, Failed 408, ...
};

struct QueueVisit {
  std::string queue, queue_name;
  SysTime entered, left;
  std::string outcome = "Abandoned", reason, agent;
  long long wait_ms = 0;
  std::vector<Offer> offers;
};

struct CallRecord {
  std::string call_id, workflow, workflow_name, caller;
  SysTime received, ended;
  std::string outcome, detail, agent;
  std::optional<SysTime> answered;
  std::optional<long long> wait_ms;
  std::vector<QueueVisit> visits;
};

class StoreWorker {
 public:
  // on_snapshot runs on the worker thread with each new configuration; on_error with problems
  // reading it (the previous configuration stays in force).
  StoreWorker(std::string path, std::string pool, int reload_ms,
              std::function<void(std::shared_ptr<const Snapshot>)> on_snapshot,
              std::function<void(const std::string&)> on_error);
  ~StoreWorker();

  // Opens the store (creating it when missing) and loads the first snapshot, on the caller's
  // thread; then starts the thread.
  // `create`: make the store when it does not exist (false for --check-config, which writes nothing).
  Result<std::shared_ptr<const Snapshot>> Start(bool create = true);
  void Add(CallRecord record);
  // Writes what is pending and stops the thread.
  void Stop();

 private:
  void Run();
  void Flush(std::vector<CallRecord>& batch);
  Result<std::shared_ptr<const Snapshot>> Load();

  std::string path_, pool_;
  int reload_ms_;
  std::function<void(std::shared_ptr<const Snapshot>)> on_snapshot_;
  std::function<void(const std::string&)> on_error_;
  std::unique_ptr<store::Store> store_;
  int64_t revision_ = -1;
  std::shared_ptr<const Snapshot> served_;   // the last snapshot loaded: the base of the next
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CallRecord> pending_;
  bool stop_ = false;
};

}  // namespace rgs::daemon
