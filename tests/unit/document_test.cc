// Tests of reading YAML and JSON documents with positions, and of writing YAML.
#include "store/document.h"

#include <catch2/catch.hpp>

using namespace rgs;
using namespace rgs::store;

TEST_CASE("YAML scalars get their types, quoted ones stay strings", "[document]") {
  Positions pos;
  auto doc = ParseDocument("Name: Sales\nAgentAlertTime: 30\nActive: true\nCode: \"49\"\nNothing: null\nEmpty:\n",
                           "x.yaml", &pos);
  REQUIRE(doc.ok());
  CHECK((*doc)["Name"] == "Sales");
  CHECK((*doc)["AgentAlertTime"] == 30);
  CHECK((*doc)["Active"] == true);
  CHECK((*doc)["Code"] == "49");
  CHECK((*doc)["Nothing"].is_null());
  CHECK((*doc)["Empty"].is_null());
}

TEST_CASE("JSON documents read as YAML", "[document]") {
  auto doc = ParseDocument(R"({"Name": "Q", "AgentGroupIDList": ["a", "b"], "TimeoutThreshold": null})", "q.json",
                           nullptr);
  REQUIRE(doc.ok());
  CHECK((*doc)["AgentGroupIDList"].size() == 2);
  CHECK((*doc)["TimeoutThreshold"].is_null());
}

TEST_CASE("positions point at the line and column of each property", "[document]") {
  Positions pos;
  auto doc = ParseDocument("Name: Q\nTimeoutAction:\n  Action: Terminate\n  Prompt:\n    Bad: 1\n", "q.yaml", &pos);
  REQUIRE(doc.ok());
  CHECK(Locate("q.yaml", pos, "TimeoutAction.Prompt.Bad") == "q.yaml:5:5: ");
  CHECK(Locate("q.yaml", pos, "TimeoutAction") == "q.yaml:2:1: ");
  CHECK(Locate("q.yaml", pos, "Missing.Deeper") == "q.yaml:1:1: ");
}

TEST_CASE("syntax errors say where", "[document]") {
  auto doc = ParseDocument("Name: [unclosed\n", "bad.yaml", nullptr);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().code() == Code::kInvalid);
  CHECK(doc.status().message().rfind("bad.yaml:", 0) == 0);
}

TEST_CASE("a property given twice is refused", "[document]") {
  auto doc = ParseDocument("Name: A\nName: B\n", "d.yaml", nullptr);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message().find("twice") != std::string::npos);
}

TEST_CASE("emitted YAML reads back to the same value", "[document]") {
  Json v = Json::parse(R"({"Name": "true", "Number": "0123", "Count": 5, "List": [], "Map": {},
                           "Null": null, "Text": "a: b # c", "Agents": ["sip:a@example.com"], "Yes": "yes"})");
  std::string yaml = EmitYaml(v);
  auto back = ParseDocument(yaml, "e.yaml", nullptr);
  REQUIRE(back.ok());
  CHECK(*back == v);
}
