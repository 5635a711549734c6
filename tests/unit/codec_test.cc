// Tests of the JSON documents of agent groups and queues.
#include "store/codec.h"

#include <catch2/catch.hpp>

using namespace rgs;
using namespace rgs::store;

namespace {

Result<std::string> Same(const std::string&, const std::string& ref) { return ref; }

Result<std::string> Missing(const std::string& kind, const std::string& ref) {
  return NotFound(Noun(kind) + " '" + ref + "' not found");
}

bool Has(const core::Problems& ps, const std::string& property) {
  for (const auto& p : ps)
    if (p.property == property) return true;
  return false;
}

}  // namespace

TEST_CASE("an agent group survives a trip through its document", "[codec]") {
  core::AgentGroup g;
  g.guid = "0e8e6d7d-a2f2-4e89-84fd-ef2834486b69";
  g.owner = "pool-a";
  g.name = "Sales";
  g.description = "First line";
  g.agent_alert_time = 45;
  g.participation_policy = core::ParticipationPolicy::kFormal;
  g.routing_method = core::RoutingMethod::kRoundRobin;
  g.agents = {"sip:b@example.com", "sip:a@example.com"};
  g.distribution_group_address = "sales@example.com";
  Json doc = ToDoc(g);
  CHECK(doc["RoutingMethod"] == "RoundRobin");
  CHECK(doc["ParticipationPolicy"] == "Formal");
  core::AgentGroup back;
  core::Problems problems;
  FromDoc(doc, Same, &back, &problems);
  CHECK(problems.empty());
  back.guid = g.guid;
  CHECK(back == g);
}

TEST_CASE("a presented document carries identity and parent", "[codec]") {
  core::Queue q;
  q.guid = "7ec2f715-4087-4e1e-9746-091bdc6ce572";
  q.owner = "pool-a";
  q.name = "Q";
  q.agent_groups = {"0e8e6d7d-a2f2-4e89-84fd-ef2834486b69"};
  Json doc = ToDoc(q, {true, "pool-b"});
  CHECK(doc["Identity"] == "service:ApplicationServer:pool-b/7ec2f715-4087-4e1e-9746-091bdc6ce572");
  CHECK(doc["Parent"] == "service:ApplicationServer:pool-b");
  CHECK(doc["OwnerPool"] == "pool-a");
  CHECK(doc["AgentGroupIDList"][0] == "service:ApplicationServer:pool-b/0e8e6d7d-a2f2-4e89-84fd-ef2834486b69");
  CHECK(doc["TimeoutThreshold"].is_null());
}

TEST_CASE("a queue with both actions survives a trip through its document", "[codec]") {
  core::Queue q;
  q.name = "Q";
  q.owner = "p";
  q.timeout_threshold = 60;
  q.overflow_threshold = 0;
  q.overflow_candidate = core::OverflowCandidate::kOldestCall;
  core::CallAction t;
  t.action = core::ActionKind::kTransferToQueue;
  t.queue = "other-queue";
  t.prompt = core::Prompt{"Moving you on", ""};
  q.timeout_action = t;
  core::CallAction o;
  o.action = core::ActionKind::kTransferToPstn;
  o.uri = "tel:+14255550121";
  q.overflow_action = o;
  core::Queue back;
  core::Problems problems;
  FromDoc(ToDoc(q), Same, &back, &problems);
  CHECK(problems.empty());
  CHECK(back == q);
}

TEST_CASE("unknown properties and wrong types are reported by path", "[codec]") {
  Json doc = Json::parse(R"({"Name": "Q", "Colour": "blue", "TimeoutThreshold": "soon",
                            "TimeoutAction": {"Action": "TransferToQueue", "Prompt": {"Text": "x"}},
                            "AgentGroupIDList": "g1"})");
  core::Queue q;
  core::Problems problems;
  FromDoc(doc, Same, &q, &problems);
  CHECK(Has(problems, "Colour"));
  CHECK(Has(problems, "TimeoutThreshold"));
  CHECK(Has(problems, "TimeoutAction.QueueID"));
  CHECK(Has(problems, "TimeoutAction.Prompt.Text"));
  CHECK(Has(problems, "AgentGroupIDList"));
}

TEST_CASE("references that resolve to nothing are reported", "[codec]") {
  Json doc = Json::parse(R"({"Name": "Q", "AgentGroupIDList": ["Nope"]})");
  core::Queue q;
  core::Problems problems;
  FromDoc(doc, Missing, &q, &problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].property == "AgentGroupIDList[0]");
  CHECK(problems[0].code == Code::kNotFound);
}

TEST_CASE("an action needs the fields of its kind and no others", "[codec]") {
  Json doc = Json::parse(R"({"Name": "Q",
                            "TimeoutAction": {"Action": "TransferToUri"},
                            "OverflowAction": {"Action": "Terminate", "Uri": "sip:a@example.com"}})");
  core::Queue q;
  core::Problems problems;
  FromDoc(doc, Same, &q, &problems);
  CHECK(Has(problems, "TimeoutAction.Uri"));
  CHECK(Has(problems, "OverflowAction.Uri"));
}

TEST_CASE("identities parse with and without the service prefix", "[codec]") {
  std::string pool, guid;
  CHECK(ParseIdentity("service:ApplicationServer:a.example.com/0e8e6d7d-a2f2-4e89-84fd-ef2834486b69", &pool, &guid));
  CHECK(pool == "a.example.com");
  CHECK(guid == "0e8e6d7d-a2f2-4e89-84fd-ef2834486b69");
  CHECK(ParseIdentity("ApplicationServer:a/0e8e6d7d-a2f2-4e89-84fd-ef2834486b69", &pool, &guid));
  CHECK(pool == "a");
  CHECK_FALSE(ParseIdentity("Sales", &pool, &guid));
  CHECK_FALSE(ParseIdentity("service:ApplicationServer:a/not-a-guid", &pool, &guid));
  CHECK_FALSE(ParseIdentity("service:ApplicationServer:", &pool, &guid));
}

TEST_CASE("a service identity or a pool name names a pool, in any letter case", "[codec]") {
  CHECK(ServicePool("service:ApplicationServer:a.example.com") == "a.example.com");
  CHECK(ServicePool("SERVICE:applicationserver:a.example.com") == "a.example.com");
  CHECK(ServicePool("ApplicationServer:a.example.com") == "a.example.com");
  CHECK(ServicePool("a.example.com") == "a.example.com");
  CHECK(ServicePool("service:a.example.com") == "service:a.example.com");
  CHECK(SamePool("service:ApplicationServer:A.Example.COM", "a.example.com"));
  CHECK(SamePool("a.example.com", "a.example.com"));
  CHECK_FALSE(SamePool("service:ApplicationServer:b.example.com", "a.example.com"));
  CHECK_FALSE(SamePool("a.example.com.", "a.example.com"));
}

TEST_CASE("new GUIDs are version 4 and distinct", "[codec]") {
  std::string a = NewGuid(), b = NewGuid();
  CHECK(LooksLikeGuid(a));
  CHECK(a != b);
  CHECK(a[14] == '4');
}
