// rgsd's own thread for the store: it watches for new revisions (loading a Snapshot for each)
// and writes call records in batches, so that SQLite never blocks the SIP or call threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/call_flow.h"
#include "daemon/audio.h"

#include "store/calls.h"

namespace rgs::daemon {

using store::IsoTime;

using core::CallRecord;

class StoreWorker {
 public:
  // on_snapshot runs on the worker thread with each new configuration; on_error with problems
  // reading it (the previous configuration stays in force).
  // audio (optional): the clips of each revision are prepared on the worker thread before the
  // revision is handed on.
  StoreWorker(std::string path, std::string pool, int reload_ms, AudioLibrary* audio,
              std::function<void(std::shared_ptr<const core::Snapshot>)> on_snapshot,
              std::function<void(const std::string&)> on_error);
  ~StoreWorker();

  // Opens the store (creating it when missing) and loads the first snapshot, on the caller's
  // thread; then starts the thread.
  // `create`: make the store when it does not exist (false for --check-config, which writes nothing).
  Result<std::shared_ptr<const core::Snapshot>> Start(bool create = true);
  void Add(CallRecord record);
  void Started(CallRecord record);   // a call in progress (records it as InProgress)
  void Save(core::SaveAgent agent);  // an agent's registration and sign-ins
  // The highest call number recorded: valid after Start, before calls are added.
  int64_t last_call() const { return last_call_; }
  // After Start (when it may create the store): the calls a previous rgsd left in progress, now
  // recorded as interrupted, and the agents it knew.
  int64_t interrupted() const { return interrupted_; }
  const std::vector<core::AgentRestored>& agents() const { return agents_; }
  // Writes what is pending and stops the thread.
  void Stop();
  // Call records, registrations and sign-ins given to Add, Started and Save and not yet written
  // to the store (the status: a test waits for 0 instead of sleeping).
  uint64_t unwritten() const { return given_ - written_; }

 private:
  void Run();
  struct Batch {
    std::vector<CallRecord> records, started;
    std::vector<core::SaveAgent> agents;
    size_t size() const { return records.size() + started.size() + agents.size(); }
  };
  void Flush(Batch& batch);
  Result<std::shared_ptr<const core::Snapshot>> Load();

  std::string path_, pool_;
  int reload_ms_;
  AudioLibrary* audio_;
  std::function<void(std::shared_ptr<const core::Snapshot>)> on_snapshot_;
  std::function<void(const std::string&)> on_error_;
  std::unique_ptr<store::Store> store_;
  int64_t revision_ = -1;
  std::shared_ptr<const core::Snapshot> served_;  // the last snapshot loaded: the base of the next
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  Batch pending_;
  bool stop_ = false;
  std::atomic<uint64_t> given_{0}, written_{0};
  int64_t last_call_ = 0, interrupted_ = 0;
  std::vector<core::AgentRestored> agents_;
};

}  // namespace rgs::daemon
