// Live routing indexes.
#include "core/distributor.h"

namespace rgs::core {

GroupIndex::GroupIndex(RoutingMethod method, size_t size) : method_(method), available_(size, 0), idle_(size, 0) {}

void GroupIndex::Update(size_t i, bool available, double idle_since) {
  if (i >= idle_.size()) return;
  if (available_[i]) {
    by_position_.erase(i);
    by_idle_.erase({idle_[i], i});
    available_[i] = 0;
  }
  if (!available) return;
  available_[i] = 1;
  idle_[i] = idle_since;
  by_position_.insert(i);
  by_idle_.insert({idle_since, i});
}

long GroupIndex::Next(size_t start, const std::function<bool(size_t)>& skip) const {
  switch (method_) {
    case RoutingMethod::kLongestIdle:
      for (const auto& [since, i] : by_idle_)
        if (!skip(i)) return static_cast<long>(i);
      return -1;
    case RoutingMethod::kRoundRobin: {
      for (auto it = by_position_.lower_bound(start); it != by_position_.end(); ++it)
        if (!skip(*it)) return static_cast<long>(*it);
      for (auto it = by_position_.begin(); it != by_position_.end() && *it < start; ++it)
        if (!skip(*it)) return static_cast<long>(*it);
      return -1;
    }
    default:  // Serial (and any method asked one at a time): from the top of the list
      for (size_t i : by_position_)
        if (!skip(i)) return static_cast<long>(i);
      return -1;
  }
}

std::vector<size_t> GroupIndex::All(const std::function<bool(size_t)>& skip) const {
  std::vector<size_t> out;
  out.reserve(by_position_.size());
  for (size_t i : by_position_)
    if (!skip(i)) out.push_back(i);
  return out;
}

std::vector<size_t> GroupIndex::Order(size_t start) const {
  std::vector<size_t> out;
  out.reserve(by_position_.size());
  switch (method_) {
    case RoutingMethod::kLongestIdle:
      for (const auto& [since, i] : by_idle_) out.push_back(i);
      break;
    case RoutingMethod::kRoundRobin:
      for (auto it = by_position_.lower_bound(start); it != by_position_.end(); ++it) out.push_back(*it);
      for (auto it = by_position_.begin(); it != by_position_.end() && *it < start; ++it) out.push_back(*it);
      break;
    default: out.assign(by_position_.begin(), by_position_.end()); break;
  }
  return out;
}

}  // namespace rgs::core
