// Tests of the validation rules for every agent group and queue property.
#include "core/validate.h"

#include <catch2/catch.hpp>

using namespace rgs::core;
using rgs::Code;

namespace {

bool Has(const Problems& ps, const std::string& property, Code code = Code::kInvalid) {
  for (const auto& p : ps)
    if (p.property == property && p.code == code) return true;
  return false;
}

AgentGroup Group() {
  AgentGroup g;
  g.name = "Sales";
  return g;
}

Queue NamedQueue() {
  Queue q;
  q.name = "Q";
  q.guid = "11111111-1111-4111-8111-111111111111";
  return q;
}

}  // namespace

TEST_CASE("SIP URIs are checked", "[validate]") {
  CHECK(CheckSipUri("sip:alice@example.com").empty());
  CHECK(CheckSipUri("SIP:alice@example.com").empty());
  CHECK(CheckSipUri("sips:alice@example.com:5061;transport=tls").empty());
  CHECK(CheckSipUri("sip:alice@127.0.0.1:5070").empty());
  CHECK(CheckSipUri("sip:alice@[::1]:5070").empty());
  CHECK(CheckSipUri("sip:+14255550121@example.com;user=phone").empty());
  CHECK_FALSE(CheckSipUri("alice@example.com").empty());
  CHECK_FALSE(CheckSipUri("sip:example.com").empty());
  CHECK_FALSE(CheckSipUri("sip:@example.com").empty());
  CHECK_FALSE(CheckSipUri("sip:alice@").empty());
  CHECK_FALSE(CheckSipUri("sip:al ice@example.com").empty());
  CHECK_FALSE(CheckSipUri("sip:alice@exa mple.com").empty());
  CHECK_FALSE(CheckSipUri("sip:alice@example.com:0").empty());
  CHECK_FALSE(CheckSipUri("sip:alice@example.com:65536").empty());
  CHECK_FALSE(CheckSipUri("sip:alice@example..com").empty());
  CHECK_FALSE(CheckSipUri("tel:+123").empty());
}

TEST_CASE("tel and PSTN addresses are checked", "[validate]") {
  CHECK(CheckTelUri("tel:+14255550121").empty());
  CHECK_FALSE(CheckTelUri("tel:14255550121").empty());
  CHECK_FALSE(CheckTelUri("tel:+1425-555").empty());
  CHECK_FALSE(CheckTelUri("tel:+").empty());
  CHECK_FALSE(CheckTelUri("tel:+1234567890123456").empty());
  CHECK(CheckPstnUri("tel:+14255550121").empty());
  CHECK(CheckPstnUri("sip:+14255550121@example.com").empty());
  CHECK(CheckPstnUri("sip:+14255550121@example.com;user=phone").empty());
  CHECK_FALSE(CheckPstnUri("sip:alice@example.com").empty());
  CHECK_FALSE(CheckPstnUri("sip:+1425x@example.com").empty());
}

TEST_CASE("e-mail addresses and object names are checked", "[validate]") {
  CHECK(CheckEmail("helpdesk@example.com").empty());
  CHECK_FALSE(CheckEmail("helpdesk").empty());
  CHECK_FALSE(CheckEmail("help desk@example.com").empty());
  CHECK_FALSE(CheckEmail("a@b@example.com").empty());
  CHECK_FALSE(CheckEmail("helpdesk@localhost").empty());
  CHECK(CheckObjectName("Help Desk (2)").empty());
  CHECK_FALSE(CheckObjectName("").empty());
  CHECK_FALSE(CheckObjectName(" Sales").empty());
  CHECK_FALSE(CheckObjectName("Sa\nles").empty());
  CHECK_FALSE(CheckObjectName(std::string(257, 'x')).empty());
  CHECK(CheckObjectName(std::string(256, 'x')).empty());
}

TEST_CASE("text is checked to be UTF-8", "[validate]") {
  for (const char* ok : {"", "Help Desk", "caf\xc3\xa9", "\xe2\x9c\x93", "\xf0\x9f\x93\x9e", "\xf4\x8f\xbf\xbf"})
    CHECK(CheckUtf8(ok).empty());
  CHECK(CheckUtf8("caf\xe9") == "is not UTF-8 text (byte 0xe9 at position 4)");  // Latin-1
  CHECK(CheckUtf8("ab\xc3") == "is not UTF-8 text (byte 0xc3 at position 3)");   // cut short
  CHECK(CheckUtf8("\xc3(") == "is not UTF-8 text (byte 0x28 at position 2)");    // no continuation
  CHECK_FALSE(CheckUtf8("\xc0\xaf").empty());                                    // overlong "/"
  CHECK_FALSE(CheckUtf8("\xe0\x80\xaf").empty());                                // overlong "/"
  CHECK_FALSE(CheckUtf8("\xed\xa0\x80").empty());                                // a UTF-16 surrogate
  CHECK_FALSE(CheckUtf8("\xf4\x90\x80\x80").empty());                            // past U+10FFFF
  CHECK_FALSE(CheckUtf8("\xff").empty());
  CHECK_FALSE(CheckUtf8("\x80").empty());
}

TEST_CASE("agent alert time is 10 to 600 with a warning above 180", "[validate]") {
  AgentGroup g = Group();
  for (int ok : {10, 20, 180, 181, 600}) {
    g.agent_alert_time = ok;
    CHECK(ValidateAgentGroup(g).empty());
  }
  for (int bad : {9, 0, -1, 601}) {
    g.agent_alert_time = bad;
    CHECK(Has(ValidateAgentGroup(g), "AgentAlertTime"));
  }
  g.agent_alert_time = 180;
  CHECK(Warnings(g).empty());
  g.agent_alert_time = 181;
  REQUIRE(Warnings(g).size() == 1);
  CHECK(Warnings(g)[0].find("180") != std::string::npos);
}

TEST_CASE("agents must be distinct SIP URIs", "[validate]") {
  AgentGroup g = Group();
  g.agents = {"sip:a@example.com", "sip:b@example.com"};
  CHECK(ValidateAgentGroup(g).empty());
  g.agents.push_back("bob");
  CHECK(Has(ValidateAgentGroup(g), "AgentsByUri", Code::kUsage));
  g.agents = {"sip:a@example.com", "SIP:A@EXAMPLE.COM"};
  CHECK(Has(ValidateAgentGroup(g), "AgentsByUri"));
}

TEST_CASE("an agent group needs a good name and distribution address", "[validate]") {
  AgentGroup g = Group();
  g.name = "";
  CHECK(Has(ValidateAgentGroup(g), "Name"));
  g = Group();
  g.distribution_group_address = "not-an-address";
  CHECK(Has(ValidateAgentGroup(g), "DistributionGroupAddress", Code::kUsage));
  g.distribution_group_address = "sales@example.com";
  CHECK(ValidateAgentGroup(g).empty());
}

TEST_CASE("a distribution group address is accepted with a warning that it is not expanded", "[validate]") {
  AgentGroup g = Group();
  CHECK(Warnings(g).empty());
  g.distribution_group_address = "sales@example.com";
  REQUIRE(Warnings(g).size() == 1);
  CHECK(Warnings(g)[0] ==
        "agent group 'Sales': DistributionGroupAddress 'sales@example.com' is stored but not expanded (rgs reads no "
        "directory): its members are not agents of the group, which has none, so calls that reach it are disconnected");
  g.agents = {"sip:a@example.com"};
  REQUIRE(Warnings(g).size() == 1);
  CHECK(Warnings(g)[0].find("its members are not agents of the group") != std::string::npos);
  CHECK(Warnings(g)[0].find("which has none") == std::string::npos);
}

TEST_CASE("queue thresholds have their ranges and none is allowed", "[validate]") {
  Queue q = NamedQueue();
  CHECK(ValidateQueue(q).empty());
  for (int ok : {10, 65535}) {
    q.timeout_threshold = ok;
    CHECK(ValidateQueue(q).empty());
  }
  for (int bad : {9, 65536, 0}) {
    q.timeout_threshold = bad;
    CHECK(Has(ValidateQueue(q), "TimeoutThreshold"));
  }
  q.timeout_threshold.reset();
  for (int ok : {0, 1000}) {
    q.overflow_threshold = ok;
    CHECK(ValidateQueue(q).empty());
  }
  for (int bad : {-1, 1001}) {
    q.overflow_threshold = bad;
    CHECK(Has(ValidateQueue(q), "OverflowThreshold"));
  }
}

TEST_CASE("each action slot allows exactly the actions of reference 1.5", "[validate]") {
  using K = ActionKind;
  const K all[] = {K::kTerminate,     K::kTransferToQueue,        K::kTransferToQuestion,
                   K::kTransferToUri, K::kTransferToVoiceMailUri, K::kTransferToPstn};
  for (K k : all) {
    CHECK(Allowed(Slot::kDefault, k) == (k == K::kTransferToQueue || k == K::kTransferToQuestion));
    CHECK(Allowed(Slot::kAnswer, k) == (k == K::kTransferToQueue || k == K::kTransferToQuestion));
    bool addr_or_end =
        k == K::kTerminate || k == K::kTransferToUri || k == K::kTransferToVoiceMailUri || k == K::kTransferToPstn;
    CHECK(Allowed(Slot::kNonBusinessHours, k) == addr_or_end);
    CHECK(Allowed(Slot::kHoliday, k) == addr_or_end);
    CHECK(Allowed(Slot::kQueueTimeout, k) == (k != K::kTransferToQuestion));
    CHECK(Allowed(Slot::kQueueOverflow, k) == (k != K::kTransferToQuestion));
  }
  CHECK(AllowedNames(Slot::kDefault) == "TransferToQueue, TransferToQuestion");
}

TEST_CASE("queue actions are validated in their slots", "[validate]") {
  Queue q = NamedQueue();
  CallAction a;
  a.action = ActionKind::kTransferToQuestion;
  a.question = std::make_shared<Question>();
  q.timeout_action = a;
  CHECK(Has(ValidateQueue(q), "TimeoutAction"));
  a = CallAction{};
  a.action = ActionKind::kTransferToPstn;
  a.uri = "sip:alice@example.com";
  q.timeout_action.reset();
  q.overflow_action = a;
  CHECK(Has(ValidateQueue(q), "OverflowAction.Uri", Code::kUsage));
  a.uri = "tel:+14255550121";
  q.overflow_action = a;
  CHECK(ValidateQueue(q).empty());
  a = CallAction{};
  a.action = ActionKind::kTransferToQueue;
  a.queue = q.guid;
  q.overflow_action = a;
  CHECK(Has(ValidateQueue(q), "OverflowAction"));
  a.action = ActionKind::kTransferToVoiceMailUri;
  a.queue.clear();
  a.uri = "sip:vm@example.com";
  a.prompt = Prompt{std::string(4097, 'x'), ""};
  q.overflow_action = a;
  CHECK(Has(ValidateQueue(q), "OverflowAction.Prompt"));
  a.prompt = Prompt{std::string(4096, 'x'), ""};
  q.overflow_action = a;
  CHECK(ValidateQueue(q).empty());
  a.prompt = Prompt{};
  q.overflow_action = a;
  CHECK(Has(ValidateQueue(q), "OverflowAction.Prompt"));
}

TEST_CASE("a queue lists each agent group once", "[validate]") {
  Queue q = NamedQueue();
  q.agent_groups = {"g1", "g2", "g1"};
  CHECK(Has(ValidateQueue(q), "AgentGroupIDList"));
}

TEST_CASE("questions need a prompt, answers, and keys that are unique single keys", "[validate][ivr]") {
  Question q;
  q.name = "Menu";
  q.prompt.text = "Press 1 or 2";
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.AnswerList"));  // no answers
  Answer a;
  a.name = "One";
  a.dtmf = "1";
  a.action.action = ActionKind::kTransferToQueue;
  a.action.queue = "q1";
  q.answers = {a};
  CHECK(ValidateQuestion(q, "Q").empty());
  Answer dup = a;
  dup.name = "Again";
  q.answers = {a, dup};
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.AnswerList[1].DtmfResponse"));
  Answer bad = a;
  bad.dtmf = "12";
  q.answers = {bad};
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.AnswerList[0].DtmfResponse", Code::kUsage));
  bad.dtmf = "A";
  q.answers = {bad};
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.AnswerList[0].DtmfResponse", Code::kUsage));
  for (const char* key : {"0", "9", "*", "#"}) {
    Answer ok = a;
    ok.dtmf = key;
    q.answers = {ok};
    CHECK(ValidateQuestion(q, "Q").empty());
  }
  Answer spoken = a;
  spoken.dtmf.clear();
  spoken.voice = {"say \"sales\""};
  q.answers = {spoken};
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.AnswerList[0].VoiceResponseList", Code::kUsage));
  Answer neither = a;
  neither.dtmf.clear();
  q.answers = {neither};
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.AnswerList[0]"));
  Answer ends = a;
  ends.action = CallAction{};  // Terminate: an answer sends to a queue or asks again
  q.answers = {ends};
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.AnswerList[0].Action"));
  q.answers = {a};
  q.prompt = Prompt{};
  CHECK(Has(ValidateQuestion(q, "Q"), "Q.Prompt"));
}

TEST_CASE("nested questions are validated at every depth", "[validate][ivr]") {
  Question inner;
  inner.name = "Inner";
  inner.prompt.text = "Press 3";
  Answer deep;
  deep.dtmf = "3";
  deep.voice = {"three", "THREE"};  // the same keyword twice, compared without case
  deep.action.action = ActionKind::kTransferToQueue;
  deep.action.queue = "q";
  inner.answers = {deep};
  Question outer;
  outer.name = "Outer";
  outer.prompt.text = "Press 2";
  Answer more;
  more.dtmf = "2";
  more.action.action = ActionKind::kTransferToQuestion;
  more.action.question = std::make_shared<Question>(inner);
  outer.answers = {more};
  CHECK(Has(ValidateQuestion(outer, "Q"), "Q.AnswerList[0].Action.Question.AnswerList[0].VoiceResponseList"));
}

TEST_CASE("a description is at most 4096 characters, counted as characters, not bytes", "[validate]") {
  CHECK(CheckDescription("").empty());
  CHECK(CheckDescription(std::string(4096, 'x')).empty());
  CHECK(CheckDescription(std::string(4097, 'x')) == "is 4097 characters: at most 4096 allowed");
  std::string e_acute;
  for (int i = 0; i < 4096; ++i) e_acute += "\xc3\xa9";  // 4096 characters, 8192 bytes
  CHECK(CheckDescription(e_acute).empty());
  CHECK(CheckDescription(e_acute + "x") == "is 4097 characters: at most 4096 allowed");
  AgentGroup g = Group();
  g.description = std::string(4097, 'x');
  CHECK(Has(ValidateAgentGroup(g), "Description"));
  Queue q = NamedQueue();
  q.description = g.description;
  CHECK(Has(ValidateQueue(q), "Description"));
  Workflow w;
  w.name = "Desk";
  w.primary_uri = "sip:help@example.com";
  w.description = g.description;
  CHECK(Has(ValidateWorkflow(w, nullptr).errors, "Description"));
  w.description = std::string(4096, 'x');
  CHECK_FALSE(Has(ValidateWorkflow(w, nullptr).errors, "Description"));
}

TEST_CASE("workflows check their addresses, language and time zone whether or not active", "[validate]") {
  Workflow w;
  w.name = "Desk";
  w.primary_uri = "help@example.com";
  w.line_uri = "+14255550100";
  w.language = "xx-XX";
  w.time_zone = "Mars/Olympus";
  auto p = ValidateWorkflow(w, [](const std::string& z) { return z == "Europe/Paris"; });
  CHECK(Has(p.errors, "PrimaryUri", Code::kUsage));
  CHECK(Has(p.errors, "LineUri", Code::kUsage));
  CHECK(Has(p.errors, "Language"));
  CHECK(Has(p.errors, "TimeZone"));
  CHECK(Has(p.checks, "DefaultAction"));
  w.primary_uri = "sip:help@example.com";
  w.line_uri = "tel:+14255550100";
  w.language = "fr-FR";
  w.time_zone = "Europe/Paris";
  w.name = "RGS Presence Watcher";
  p = ValidateWorkflow(w, [](const std::string& z) { return z == "Europe/Paris"; });
  CHECK(Has(p.errors, "Name"));
  w.name = "Help <desk>";
  CHECK(Has(ValidateWorkflow(w, nullptr).errors, "Name"));
}

TEST_CASE("text for the log: control bytes and invalid UTF-8 escaped, long text cut", "[validate][log]") {
  CHECK(Printable("plain text, caf\xc3\xa9 \xe2\x9c\x93", 100) == "plain text, caf\xc3\xa9 \xe2\x9c\x93");
  CHECK(Printable("a\r\nb\x01", 100) == "a\\x0d\\x0ab\\x01");
  CHECK(Printable("bad \xff\xc3", 100) == "bad \\xff\\xc3");
  CHECK(Printable("\xed\xa0\x80", 100) == "\\xed\\xa0\\x80");  // a UTF-16 surrogate is not UTF-8
  std::string long_text(5000, 'x');
  std::string cut = Printable(long_text, 2000);
  CHECK(cut == std::string(2000, 'x') + "... (5000 bytes)");
}

TEST_CASE("a workflow outside en-US with voice keywords is warned of: keypad only", "[validate]") {
  auto q = std::make_shared<Question>();
  q->name = "Menu";
  Answer sales;
  sales.name = "Sales";
  sales.dtmf = "1";
  sales.voice = {"Verkauf"};
  Answer keys;
  keys.name = "Keys";
  keys.dtmf = "2";
  q->answers = {sales, keys};
  Workflow w;
  w.name = "W";
  w.language = "de-DE";
  w.default_action = CallAction{};
  w.default_action->action = ActionKind::kTransferToQuestion;
  w.default_action->question = q;
  auto warnings = Warnings(w);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("question 'Menu' answer 'Sales'") != std::string::npos);
  CHECK(warnings[0].find("keypad only") != std::string::npos);
  w.language = "en-US";
  CHECK(Warnings(w).empty());
  w.language = "fr-FR";
  q->answers[0].voice.clear();
  CHECK(Warnings(w).empty());
}
