// Reading what rgsd recorded of its calls (schema/0003_calls.sql): the call records and the
// queue statistics computed from them.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace rgs::store {

struct CallFilter {
  std::string workflow;   // name (case-insensitive) or GUID; "" for all
  std::string queue;      // name or GUID; "" for all
  std::string since, until;   // UTC "2026-11-24T10:00:00.000Z"; "" for no bound
  int64_t last = -1;      // the newest N calls only
};

// Calls received in [since, until), in the order they were received, each with its queue visits and offers:
// Id, CallId, Workflow, Caller, Received, Ended, Outcome, Detail, Agent, Answered, WaitSeconds,
// Queues [{Queue, Entered, Left, Outcome, Reason, Agent, WaitSeconds, Offers}].
Result<std::vector<Json>> CallRecords(Store& store, const CallFilter& filter);

// Per queue, over the visits that entered it in [since, until): Queue, Received, Answered,
// Abandoned, Transferred, Disconnected, AverageWaitSeconds, P95WaitSeconds (waits of every
// visit, whatever its outcome; nearest-rank percentile).
Result<std::vector<Json>> QueueStatistics(Store& store, const CallFilter& filter);

}  // namespace rgs::store
