// The live routing indexes: who is offered a call next under each method, and idle calls.
#include <catch2/catch.hpp>

#include "core/distributor.h"

using namespace rgs::core;

namespace {
auto None() {
  return [](size_t) { return false; };
}
}  // namespace

TEST_CASE("serial offers from the top of the list, skipping the unavailable and the tried", "[distributor]") {
  GroupIndex g(RoutingMethod::kSerial, 4);
  CHECK(g.Next(0, None()) == -1);
  for (size_t i = 0; i < 4; ++i) g.Update(i, true, 10.0 * i);
  CHECK(g.Next(0, None()) == 0);
  g.Update(0, false, 0);
  CHECK(g.Next(0, None()) == 1);
  CHECK(g.Next(0, [](size_t i) { return i == 1; }) == 2);
  CHECK(g.Next(3, None()) == 1);  // serial ignores the round-robin start
  CHECK(g.available_count() == 3);
}

TEST_CASE("round robin starts after the previous call's agent and wraps round", "[distributor]") {
  GroupIndex g(RoutingMethod::kRoundRobin, 5);
  for (size_t i : {0, 1, 3}) g.Update(i, true, 0);
  CHECK(g.Next(0, None()) == 0);
  CHECK(g.Next(1, None()) == 1);
  CHECK(g.Next(2, None()) == 3);
  CHECK(g.Next(4, None()) == 0);  // wraps
  CHECK(g.Next(4, [](size_t i) { return i == 0; }) == 1);
  CHECK(g.Next(2, [](size_t i) { return i != 1; }) == 1);  // round to the one left
  CHECK(g.Next(2, [](size_t) { return true; }) == -1);
}

TEST_CASE("longest idle offers the agent available longest; an update moves it", "[distributor]") {
  GroupIndex g(RoutingMethod::kLongestIdle, 3);
  g.Update(0, true, 30);
  g.Update(1, true, 10);
  g.Update(2, true, 20);
  CHECK(g.Next(0, None()) == 1);
  CHECK(g.Next(0, [](size_t i) { return i == 1; }) == 2);
  g.Update(1, true, 40);  // back from a call: idle since now
  CHECK(g.Next(0, None()) == 2);
  g.Update(2, false, 0);
  CHECK(g.Next(0, None()) == 0);
}

TEST_CASE("parallel and attendant ring everyone available, in list order", "[distributor]") {
  GroupIndex g(RoutingMethod::kParallel, 4);
  g.Update(3, true, 0);
  g.Update(1, true, 0);
  CHECK(g.All(None()) == std::vector<size_t>{1, 3});
  CHECK(g.All([](size_t i) { return i == 3; }) == std::vector<size_t>{1});
  g.Update(1, false, 0);
  g.Update(1, false, 0);  // twice: no harm
  CHECK(g.All(None()) == std::vector<size_t>{3});
  g.Update(9, true, 0);  // out of range: ignored
  CHECK(g.available_count() == 1);
}

TEST_CASE("idle calls come oldest first", "[distributor]") {
  IdleCalls q;
  q.Add(3, 30);
  q.Add(1, 10);
  q.Add(2, 20);
  CHECK(q.begin()->second == 10);
  q.Remove(1, 10);
  CHECK(q.begin()->second == 20);
  CHECK(q.size() == 2);
}
