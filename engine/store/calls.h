// What rgsd records of its calls (schema/0003_calls.sql) and of its agents across restarts
// (schema/0004_agent_state.sql): writing them, and reading the call records and the queue
// statistics computed from them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/call_flow.h"
#include "store/store.h"

namespace rgs::store {

struct CallFilter {
  std::string workflow;      // name (case-insensitive) or GUID; "" for all
  std::string queue;         // name or GUID; "" for all
  std::string since, until;  // UTC "2026-11-24T10:00:00.000Z"; "" for no bound
  int64_t last = -1;         // the newest N calls only
};

// Calls received in [since, until), in the order they were received, each with its queue visits and offers:
// Id, CallId, Workflow, Caller, Received, Ended, Outcome, Detail, Agent, Answered, WaitSeconds,
// Queues [{Queue, Entered, Left, Outcome, Reason, Agent, WaitSeconds, Offers}].
Result<std::vector<Json>> CallRecords(Store& store, const CallFilter& filter);

// Per queue, over the visits that entered it in [since, until): Queue, Received, Answered,
// Abandoned, Transferred, Disconnected, AverageWaitSeconds, P95WaitSeconds (waits of every
// visit, whatever its outcome; nearest-rank percentile).
Result<std::vector<Json>> QueueStatistics(Store& store, const CallFilter& filter);

// "2026-11-24T10:00:00.123Z".
std::string IsoTime(std::chrono::system_clock::time_point t);

// Writes finished calls (with their queue visits), in one transaction; a call already recorded
// as in progress (Started) is replaced.
Status WriteCallRecords(Store& store, const std::vector<core::CallRecord>& records);
// Records calls as in progress (outcome InProgress), so that a crash leaves a trace of them.
Status WriteCallsStarted(Store& store, const std::vector<core::CallRecord>& calls);
// Calls still in progress from an rgsd that stopped without ending them: recorded as
// Interrupted, "ended by the restart of rgsd". Returns how many.
Result<int64_t> EndInterruptedCalls(Store& store, std::chrono::system_clock::time_point now);

// Agents' registrations and formal sign-ins, kept across restarts.
Status SaveAgents(Store& store, const std::vector<core::SaveAgent>& agents);
// Those still registered at `now`, or signed in to a group.
Result<std::vector<core::AgentRestored>> LoadAgents(Store& store, std::chrono::system_clock::time_point now);

// The highest call number recorded (0 when none): rgsd numbers its calls on from it, so that a
// record's Id is the call number of its log lines.
Result<int64_t> LastCallId(Store& store);

}  // namespace rgs::store
