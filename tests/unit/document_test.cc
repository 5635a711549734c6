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
  auto doc =
      ParseDocument(R"({"Name": "Q", "AgentGroupIDList": ["a", "b"], "TimeoutThreshold": null})", "q.json", nullptr);
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

TEST_CASE("anchors and aliases are read as copies of what they name", "[document]") {
  auto doc =
      ParseDocument("Base: &b {Name: Q, Agents: [a, b]}\nCopy: *b\nText: &t hello\nAgain: *t\n", "a.yaml", nullptr);
  REQUIRE(doc.ok());
  CHECK((*doc)["Copy"] == (*doc)["Base"]);
  CHECK((*doc)["Again"] == "hello");
  auto unknown = ParseDocument("A: *nowhere\n", "u.yaml", nullptr);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message().rfind("u.yaml:", 0) == 0);
}

TEST_CASE("aliases that would expand a small document without limit are refused", "[document]") {
  // Each level doubles the one before: 2^30 nodes from a few hundred bytes.
  std::string yaml = "l0: &l0 [x, x]\n";
  for (int i = 1; i <= 30; ++i)
    yaml += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) + ", *l" +
            std::to_string(i - 1) + "]\n";
  auto doc = ParseDocument(yaml, "bomb.yaml", nullptr);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message().find("aliases expand the document too far") != std::string::npos);
}

TEST_CASE("a second document is refused at its line, and an empty stream is null", "[document]") {
  auto doc = ParseDocument("Name: A\n---\nName: B\n", "m.yaml", nullptr);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().code() == Code::kInvalid);
  CHECK(doc.status().message() == "m.yaml: line 2: a second YAML document begins here; a file holds one document");
  auto after_end = ParseDocument("---\nName: A\n...\n---\n", "n.yaml", nullptr);
  REQUIRE_FALSE(after_end.ok());
  CHECK(after_end.status().message().rfind("n.yaml: line 4: a second YAML document", 0) == 0);
  auto one = ParseDocument("---\nName: A\n...\n", "o.yaml", nullptr);
  REQUIRE(one.ok());
  CHECK((*one)["Name"] == "A");
  auto json = ParseDocument("{\"Name\": \"A\"}\n{\"Name\": \"B\"}\n", "j.json", nullptr);
  CHECK_FALSE(json.ok());
  auto empty = ParseDocument("", "e.yaml", nullptr);
  REQUIRE(empty.ok());
  CHECK(empty->is_null());
  auto typed =
      ParseDocument("A: !!str 5\nB: 1.5e3\nC: -7\nD: 'true'\nE: .inf\nF: 99999999999999999999\n", "t.yaml", nullptr);
  REQUIRE(typed.ok());
  CHECK((*typed)["A"] == "5");
  CHECK((*typed)["B"] == 1500.0);
  CHECK((*typed)["C"] == -7);
  CHECK((*typed)["D"] == "true");
  CHECK((*typed)["E"].get<double>() > 1e308);
  CHECK((*typed)["F"] == "99999999999999999999");
}
