// The routing core alone (Google Benchmark): the time of one routing decision with 10,000 calls
// waiting and 5,000 agents in one group, for each routing method. A decision is what the daemon
// does when an agent comes free: take the oldest call ringing nobody, choose the agent by the
// group's method, and mark that agent ringing and the call offered. For comparison, the
// planner test-workflow uses (PlanOffers), which builds the same index from scratch.
#include <benchmark/benchmark.h>

#include <random>

#include "core/distributor.h"
#include "core/router.h"

using namespace rgs::core;

namespace {

constexpr size_t kAgents = 5000;
constexpr uint64_t kCalls = 10000;

RoutingMethod MethodOf(int64_t m) { return static_cast<RoutingMethod>(m); }

// One agent comes free and the oldest call ringing nobody is offered by the group's method: the
// chosen agents are marked ringing. Each iteration then puts everything back as it was (the
// call to the back of the queue, the agents as they were), so every iteration is the same
// decision; the figure includes that undo. The second argument is the share of agents available
// beforehand: 0 is the steady state of a queue with calls waiting (a call waits only when no
// agent is free), 10 is 500 of 5000 free.
void BM_Decision(benchmark::State& state) {
  RoutingMethod method = MethodOf(state.range(0));
  double available_share = static_cast<double>(state.range(1)) / 100.0;
  GroupIndex group(method, kAgents);
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> idle(0, 1000);
  std::bernoulli_distribution up(available_share);
  std::vector<double> idle_of(kAgents);
  for (size_t i = 0; i < kAgents; ++i) {
    idle_of[i] = idle(rng);
    group.Update(i, up(rng), idle_of[i]);
  }
  size_t before = group.available_count();
  IdleCalls calls;
  for (uint64_t c = 0; c < kCalls; ++c) calls.Add(c, c);
  uint64_t next_arrival = kCalls;
  size_t rr = 0, freed = 0;
  auto no_skip = [](size_t) { return false; };
  bool simultaneous = method == RoutingMethod::kParallel || method == RoutingMethod::kAttendant;
  for (auto _ : state) {
    size_t agent = freed;
    freed = (freed + 7919) % kAgents;
    bool was = group.available(agent);
    group.Update(agent, true, idle_of[agent]);  // the agent comes free
    auto oldest = *calls.begin();               // the oldest call ringing nobody
    calls.Remove(oldest.first, oldest.second);
    if (simultaneous) {
      std::vector<size_t> ring = group.All(no_skip);
      for (size_t i : ring) group.Update(i, false, 0);  // all of them ring
      benchmark::DoNotOptimize(ring.data());
      for (size_t i : ring) group.Update(i, true, idle_of[i]);  // undo
    } else {
      long chosen = group.Next(rr, no_skip);
      benchmark::DoNotOptimize(chosen);
      if (chosen >= 0) {
        auto c = static_cast<size_t>(chosen);
        rr = (c + 1) % kAgents;
        group.Update(c, false, 0);          // ringing
        group.Update(c, true, idle_of[c]);  // undo
      }
    }
    group.Update(agent, was, idle_of[agent]);
    calls.Add(next_arrival++, oldest.second);  // undo: back in the queue
  }
  state.SetLabel(std::string(Name(method)) + ", 10000 calls waiting, " + std::to_string(before) +
                 " of 5000 agents free");
}

// PlanOffers over the same group, as test-workflow calls it: every agent's eligibility and an
// index built from scratch, O(n log n) — what each decision would cost without the live indexes.
void BM_ScanPlan(benchmark::State& state) {
  RoutingMethod method = MethodOf(state.range(0));
  AgentGroup g;
  g.routing_method = method;
  std::vector<AgentView> views(kAgents);
  std::mt19937 rng(42);
  std::bernoulli_distribution up(static_cast<double>(state.range(1)) / 100.0);
  for (size_t i = 0; i < kAgents; ++i) {
    g.agents.push_back("sip:agent" + std::to_string(i) + "@example.com");
    views[i].uri = g.agents.back();
    views[i].presence = up(rng) ? Presence::kAvailable : Presence::kBusy;
    views[i].idle_seconds = static_cast<double>(i % 977);
  }
  for (auto _ : state) {
    OfferPlan plan = PlanOffers(g, views, 60, 17);
    benchmark::DoNotOptimize(plan.order.data());
  }
  state.SetLabel(std::string(Name(method)) + ", plan built from the 5000 agents");
}

void Methods(benchmark::internal::Benchmark* b) {
  for (int m = 0; m <= 4; ++m)
    for (int share : {0, 10}) b->Args({m, share});
}

}  // namespace

BENCHMARK(BM_Decision)->Apply(Methods);
BENCHMARK(BM_ScanPlan)->Apply(Methods);
BENCHMARK_MAIN();
