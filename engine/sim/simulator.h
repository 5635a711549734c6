// The call simulator behind `rgs test-workflow`: loads a workflow and what it refers to, and runs
// the routing core on one call at one instant, reporting the path the call takes and which agents
// would be offered it.
#pragma once

#include <string>
#include <vector>

#include "core/router.h"
#include "store/catalog.h"
#include "store/document.h"

namespace rgs::sim {

struct CallInput {
  std::string workflow;  // name, GUID or identity
  std::string at;        // ISO-8601 instant, or local time in the workflow's zone
  std::vector<core::IvrInput> digits;
  store::Json agent_state;     // the --agent-state document, or null: all available
  store::Labeler state_label;  // file:line:column for problems in agent_state
};

// The report: Workflow, At, TimeZone, LocalTime, Weekday, Schedule, Holiday, Steps, Outcome,
// Queue (with AgentGroups, each with Offered and NotOffered). kNotFound for an unknown
// workflow, kUsage for a malformed time, kInvalid for a bad agent-state document.
Result<store::Json> Simulate(store::Catalog& catalog, const CallInput& input);

// "1,2,-,3": keys, with "-" (or nothing between commas) for silence.
Result<std::vector<core::IvrInput>> ParseDigits(const std::string& text);

}  // namespace rgs::sim
