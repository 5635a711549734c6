// The live side of routing (reference 3.4-3.6), kept event by event so that a decision never
// scans every agent of a group or every waiting call: which agents of a group could be offered
// a call now, ordered the way the group's routing method offers them, and which waiting calls
// are not ringing anyone, oldest first. Pure: the daemon feeds it agent changes; time comes in
// as numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "core/model.h"

namespace rgs::core {

class GroupIndex {
 public:
  GroupIndex() = default;
  // `size` agents, in the group's list order (AgentsByUri).
  GroupIndex(RoutingMethod method, size_t size);

  // Agent `i` can (or can no longer) be offered a call; `idle_since` orders LongestIdle (the
  // smallest, the longest idle, first). O(log n).
  void Update(size_t i, bool available, double idle_since);
  bool available(size_t i) const { return i < available_.size() && available_[i]; }
  size_t available_count() const { return by_position_.size(); }
  size_t size() const { return idle_.size(); }
  RoutingMethod method() const { return method_; }

  // The agent to offer a call to next, for one-at-a-time methods: Serial from the top, RoundRobin
  // from `start` round the list, LongestIdle the longest idle; `skip(i)` is true for agents this
  // call must not get (tried already in this pass, or declined it recently). -1 when none.
  // O(log n + skipped).
  long Next(size_t start, const std::function<bool(size_t)>& skip) const;
  // Every agent to ring at once (Parallel, Attendant), in list order, minus `skip`. O(available).
  std::vector<size_t> All(const std::function<bool(size_t)>& skip) const;
  // Every available agent in the order the method offers them (Serial: list order; RoundRobin:
  // from `start` round the list; LongestIdle: longest idle first; Parallel, Attendant: list
  // order, all at once). O(available).
  std::vector<size_t> Order(size_t start) const;

 private:
  RoutingMethod method_ = RoutingMethod::kParallel;
  std::vector<char> available_;                  // per agent
  std::vector<double> idle_;                     // per agent: idle_since, while available
  std::set<size_t> by_position_;                 // available agents by list position
  std::set<std::pair<double, size_t>> by_idle_;  // available agents, longest idle first
};

// Calls waiting in one queue that are not ringing anyone, oldest first. O(log n) each.
class IdleCalls {
 public:
  void Add(uint64_t arrival, uint64_t call) { set_.emplace(arrival, call); }
  void Remove(uint64_t arrival, uint64_t call) { set_.erase({arrival, call}); }
  bool empty() const { return set_.empty(); }
  size_t size() const { return set_.size(); }
  // Calls in arrival order, from the oldest; the caller stops when it wants.
  std::set<std::pair<uint64_t, uint64_t>>::const_iterator begin() const { return set_.begin(); }
  std::set<std::pair<uint64_t, uint64_t>>::const_iterator end() const { return set_.end(); }

 private:
  std::set<std::pair<uint64_t, uint64_t>> set_;
};

}  // namespace rgs::core
