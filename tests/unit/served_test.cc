// Tests of the configuration rgsd serves: a snapshot brought up to date from the objects changed
// since the last one is the snapshot a full load gives.
#include "store/served.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "store/catalog.h"
#include "store/store.h"

using namespace rgs;
using namespace rgs::store;
using rgs::core::Snapshot;

namespace {

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  std::vector<std::string> warnings;

  Fixture() {
    char tmpl[] = "/tmp/rgs-snapshot-XXXXXX";
    dir = mkdtemp(tmpl);
    auto s = Store::Open((dir / "s.db").string(), Store::Mode::kWrite, "pool-a");
    REQUIRE(s.ok());
    store = std::move(*s);
  }
  ~Fixture() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  // One revision made by f(catalog).
  template <typename F>
  void Write(F f) {
    REQUIRE(store->Begin().ok());
    Catalog c(*store);
    f(c);
    REQUIRE(store->Commit("t", "administrator", "c", "s").ok());
  }
  std::shared_ptr<const Snapshot> Full() {
    auto snap = store::LoadSnapshot(*store);
    REQUIRE(snap.ok());
    const_cast<Snapshot&>(**snap).revision = store->revision();
    return *snap;
  }
};

// The parts of a snapshot rgsd routes with, as text that two snapshots can be compared by.
std::string Describe(const Snapshot& s) {
  std::string out;
  for (const auto& [g, w] : s.workflows)
    out += "w " + g + " " + w.name + " " + w.primary_uri + " " + w.time_zone + "\n";
  for (const auto& [g, q] : s.queues) {
    out += "q " + g + " " + q.name;
    for (const auto& x : q.agent_groups) out += " " + x;
    out += "\n";
  }
  for (const auto& [g, a] : s.groups) {
    out += "g " + g + " " + a.name;
    for (const auto& x : a.agents) out += " " + x;
    out += "\n";
  }
  for (const auto& [g, h] : s.hours) out += "h " + g + " " + h.name + "\n";
  for (const auto& [g, h] : s.holiday_sets) out += "s " + g + " " + h.name + "\n";
  std::map<std::string, std::string> sorted(s.by_address.begin(), s.by_address.end());
  for (const auto& [a, g] : sorted) out += "a " + a + " " + g + "\n";
  std::map<std::string, std::string> users(s.by_user.begin(), s.by_user.end());
  for (const auto& [u, g] : users) out += "u " + u + " " + g + "\n";
  std::map<std::string, std::vector<std::pair<std::string, size_t>>> agents(s.groups_of_agent.begin(),
                                                                            s.groups_of_agent.end());
  for (const auto& [a, list] : agents)
    for (const auto& [g, i] : list) out += "ag " + a + " " + g + " " + std::to_string(i) + "\n";
  std::map<std::string, std::vector<std::string>> queues(s.queues_of_group.begin(), s.queues_of_group.end());
  for (const auto& [g, list] : queues)
    for (const auto& q : list) out += "qg " + g + " " + q + "\n";
  for (const auto& p : s.problems) out += "p " + p + "\n";
  return out;
}

}  // namespace

TEST_CASE("a snapshot updated from the changes equals a full load", "[snapshot]") {
  Fixture f;
  std::string a, b, q, w;
  f.Write([&](Catalog& c) {
    core::AgentGroup g1;
    g1.name = "A";
    g1.agents = {"sip:a1@example.com", "sip:a2@example.com"};
    REQUIRE(c.Save(g1, true, &f.warnings).ok());
    a = g1.guid;
    core::AgentGroup g2;
    g2.name = "B";
    g2.agents = {"sip:b1@example.com"};
    REQUIRE(c.Save(g2, true, &f.warnings).ok());
    b = g2.guid;
    core::Queue queue;
    queue.name = "Q";
    queue.agent_groups = {a};
    REQUIRE(c.Save(queue, true, &f.warnings).ok());
    q = queue.guid;
    core::Workflow flow;
    flow.name = "Help";
    flow.primary_uri = "sip:help@example.com";
    flow.default_action = core::CallAction{};
    flow.default_action->action = core::ActionKind::kTransferToQueue;
    flow.default_action->queue = q;
    REQUIRE(c.Save(flow, true, &f.warnings).ok());
    w = flow.guid;
  });
  auto base = f.Full();
  REQUIRE(base->groups.size() == 2);

  // Changed, added and removed objects, over two revisions.
  f.Write([&](Catalog& c) {
    auto g = c.Find<core::AgentGroup>(a);
    REQUIRE(g.ok());
    g->agents = {"sip:a3@example.com"};
    REQUIRE(c.Save(*g, false, &f.warnings).ok());
    auto queue = c.Find<core::Queue>(q);
    REQUIRE(queue.ok());
    queue->agent_groups = {a, b};
    REQUIRE(c.Save(*queue, false, &f.warnings).ok());
  });
  f.Write([&](Catalog& c) {
    core::AgentGroup g3;
    g3.name = "C";
    g3.agents = {"sip:c1@example.com"};
    REQUIRE(c.Save(g3, true, &f.warnings).ok());
    auto flow = c.Find<core::Workflow>(w);
    REQUIRE(flow.ok());
    flow->primary_uri = "sip:support@example.com";
    REQUIRE(c.Save(*flow, false, &f.warnings).ok());
    REQUIRE(f.store->Remove(kAgentGroup, b).ok());
  });

  auto updated = store::UpdateSnapshot(*f.store, *base, f.store->revision());
  REQUIRE(updated.ok());
  auto full = f.Full();
  CHECK(Describe(**updated) == Describe(*full));
  CHECK((*updated)->groups.size() == 2);
  CHECK((*updated)->by_address.count("sip:support@example.com") == 1);
  CHECK((*updated)->by_address.count("sip:help@example.com") == 0);
  CHECK((*updated)->groups_of_agent.count("sip:a3@example.com") == 1);
  CHECK((*updated)->groups_of_agent.count("sip:a1@example.com") == 0);
  // The base is unchanged: calls in progress keep the configuration they started with.
  CHECK(base->groups.size() == 2);
  CHECK(base->groups.count(b) == 1);

  // Nothing changed since: the same snapshot again.
  auto again = store::UpdateSnapshot(*f.store, *full, f.store->revision());
  REQUIRE(again.ok());
  CHECK(Describe(**again) == Describe(*full));
}
