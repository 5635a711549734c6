// Tests of the catalog: workflow validation on save, integrity of references, managed workflows,
// and the whole-store check.
#include "store/catalog.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

using namespace rgs;
using namespace rgs::store;

namespace {

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Catalog> catalog;
  std::vector<std::string> warnings;

  Fixture() {
    char tmpl[] = "/tmp/rgs-catalog-XXXXXX";
    dir = mkdtemp(tmpl);
    auto s = Store::Open((dir / "s.db").string(), Store::Mode::kWrite, "pool-a");
    REQUIRE(s.ok());
    store = std::move(*s);
    catalog = std::make_unique<Catalog>(*store);
    REQUIRE(store->Begin().ok());
  }
  ~Fixture() {
    store->Rollback();
    catalog.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  std::string Group(const std::string& name) {
    core::AgentGroup g;
    g.name = name;
    g.agents = {"sip:" + name + "@example.com"};
    REQUIRE(catalog->Save(g, true, &warnings).ok());
    return g.guid;
  }
  std::string Queue(const std::string& name, std::vector<std::string> groups) {
    core::Queue q;
    q.name = name;
    q.agent_groups = std::move(groups);
    REQUIRE(catalog->Save(q, true, &warnings).ok());
    return q.guid;
  }
  core::Workflow Hunt(const std::string& name, const std::string& queue) {
    core::Workflow w;
    w.name = name;
    w.primary_uri = "sip:" + name + "@example.com";
    w.active = true;
    w.default_action = core::CallAction{};
    w.default_action->action = core::ActionKind::kTransferToQueue;
    w.default_action->queue = queue;
    return w;
  }
};

}  // namespace

TEST_CASE("an active workflow needs a default action; an inactive one is saved with warnings", "[catalog]") {
  Fixture f;
  core::Workflow w;
  w.name = "Desk";
  w.primary_uri = "sip:desk@example.com";
  w.active = true;
  Status s = f.catalog->Save(w, true, &f.warnings);
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message().find("DefaultAction") != std::string::npos);
  w.active = false;
  REQUIRE(f.catalog->Save(w, true, &f.warnings).ok());
  REQUIRE(f.warnings.size() == 1);
  CHECK(f.warnings[0].find("DefaultAction") != std::string::npos);
}

TEST_CASE("workflow addresses are unique", "[catalog]") {
  Fixture f;
  std::string q = f.Queue("Q", {f.Group("g")});
  core::Workflow a = f.Hunt("a", q);
  a.line_uri = "tel:+14255550100";
  REQUIRE(f.catalog->Save(a, true, &f.warnings).ok());
  core::Workflow b = f.Hunt("b", q);
  b.primary_uri = "SIP:A@example.com";
  CHECK(f.catalog->Save(b, true, &f.warnings).code() == Code::kAlreadyExists);
  b.primary_uri = "sip:b@example.com";
  b.line_uri = "tel:+14255550100";
  CHECK(f.catalog->Save(b, true, &f.warnings).code() == Code::kAlreadyExists);
  b.line_uri = "tel:+14255550101";
  CHECK(f.catalog->Save(b, true, &f.warnings).ok());
  // Saving a workflow again with its own addresses is no clash.
  a.description = "changed";
  CHECK(f.catalog->Save(a, false, &f.warnings).ok());
}

TEST_CASE("action slots are enforced on active workflows", "[catalog]") {
  Fixture f;
  std::string q = f.Queue("Q", {});
  core::Workflow w = f.Hunt("w", q);
  w.holiday_action = core::CallAction{};
  w.holiday_action->action = core::ActionKind::kTransferToQueue;
  w.holiday_action->queue = q;
  Status s = f.catalog->Save(w, true, &f.warnings);
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message().find("HolidayAction") != std::string::npos);
}

TEST_CASE("managed workflows are created active and share nothing", "[catalog]") {
  Fixture f;
  std::string g1 = f.Group("g1");
  std::string q1 = f.Queue("Q1", {g1});
  std::string q2 = f.Queue("Q2", {g1});  // shares g1 with Q1
  std::string q3 = f.Queue("Q3", {f.Group("g3")});
  core::Workflow m = f.Hunt("m", q1);
  m.managed = true;
  m.managers = {"sip:boss@example.com"};
  m.active = false;
  CHECK(f.catalog->Save(m, true, &f.warnings).code() == Code::kInvalid);
  m.active = true;
  REQUIRE(f.catalog->Save(m, true, &f.warnings).ok());
  core::Workflow other = f.Hunt("other", q2);
  Status s = f.catalog->Save(other, true, &f.warnings);
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message().find("agent group 'g1'") != std::string::npos);
  core::Workflow fine = f.Hunt("fine", q3);
  REQUIRE(f.catalog->Save(fine, true, &f.warnings).ok());
  // A queue edit that would make the managed workflow share a group is refused too.
  auto queue3 = f.catalog->Find<core::Queue>(q3);
  REQUIRE(queue3.ok());
  queue3->agent_groups.push_back(g1);
  CHECK(f.catalog->Save(*queue3, false, &f.warnings).code() == Code::kInvalid);
  auto breaches = f.catalog->SharingBreaches();
  REQUIRE(breaches.ok());
  CHECK(breaches->empty());
}

TEST_CASE("sharing through a queue's timeout target counts", "[catalog]") {
  Fixture f;
  std::string shared = f.Queue("Shared", {f.Group("g")});
  core::Queue front;
  front.name = "Front";
  front.timeout_threshold = 30;
  front.timeout_action = core::CallAction{};
  front.timeout_action->action = core::ActionKind::kTransferToQueue;
  front.timeout_action->queue = shared;
  REQUIRE(f.catalog->Save(front, true, &f.warnings).ok());
  core::Workflow m = f.Hunt("m", front.guid);
  m.managed = true;
  m.managers = {"sip:boss@example.com"};
  REQUIRE(f.catalog->Save(m, true, &f.warnings).ok());
  core::Workflow other = f.Hunt("other", shared);
  CHECK(f.catalog->Save(other, true, &f.warnings).code() == Code::kInvalid);
}

TEST_CASE("removing what others use needs force and leaves a problem test-configuration finds", "[catalog]") {
  Fixture f;
  std::string g = f.Group("g");
  std::string q = f.Queue("Q", {g});
  core::Workflow w = f.Hunt("w", q);
  REQUIRE(f.catalog->Save(w, true, &f.warnings).ok());
  auto clean = f.catalog->Check();
  REQUIRE(clean.ok());
  CHECK(clean->empty());
  Status s = f.catalog->Remove(kQueue, q, false, &f.warnings);
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message().find("workflow 'w'") != std::string::npos);
  REQUIRE(f.catalog->Remove(kQueue, q, true, &f.warnings).ok());
  size_t objects = 0;
  auto problems = f.catalog->Check(&objects);
  REQUIRE(problems.ok());
  REQUIRE(problems->size() == 1);
  const Finding& found = (*problems)[0];
  CHECK(found.error);
  CHECK(found.kind == kWorkflow);
  CHECK(found.name == "w");
  CHECK(found.missing == q);
  CHECK(found.property == "DefaultAction.QueueID");
  CHECK(found.message.find(q) == std::string::npos);
  CHECK(objects == 2);  // the group and the workflow: the queue is gone, the settings were never saved
}

TEST_CASE("holiday sets need a holiday when created and may be emptied later", "[catalog]") {
  Fixture f;
  core::HolidaySet s;
  s.name = "Hols";
  CHECK(f.catalog->Save(s, true, &f.warnings).code() == Code::kInvalid);
  s.holidays.push_back({"Day", *core::ParseLocalDateTime("2026-12-25"), *core::ParseLocalDateTime("2026-12-26")});
  REQUIRE(f.catalog->Save(s, true, &f.warnings).ok());
  s.holidays.clear();
  CHECK(f.catalog->Save(s, false, &f.warnings).ok());
}

TEST_CASE("hours of business refuse overlapping and reversed ranges", "[catalog]") {
  Fixture f;
  core::HoursOfBusiness h;
  h.name = "H";
  h.hours[0][0] = core::TimeRange{"", 8 * 60, 12 * 60};
  h.hours[0][1] = core::TimeRange{"", 11 * 60, 17 * 60};
  Status s = f.catalog->Save(h, true, &f.warnings);
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message().find("MondayHours2") != std::string::npos);
  h.hours[0][1] = core::TimeRange{"", 17 * 60, 13 * 60};
  CHECK(f.catalog->Save(h, true, &f.warnings).code() == Code::kInvalid);
  h.hours[0][1] = core::TimeRange{"", 13 * 60, 24 * 60};
  CHECK(f.catalog->Save(h, true, &f.warnings).ok());
}
