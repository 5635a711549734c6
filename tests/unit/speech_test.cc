// Tests of the voice answers' pure side: keywords of a question, their grammar, and the keyword
// a recognised utterance holds.
#include "core/speech.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace rgs::core;

namespace {

Question Billing() {
  Question q;
  q.name = "Department";
  Answer billing;
  billing.name = "Billing";
  billing.dtmf = "1";
  billing.voice = {"Billing", "my bill"};
  Answer support;
  support.name = "Support";
  support.voice = {"Technical  Support!", "billing"};  // "billing" again: the first answer keeps it
  Answer operator_;
  operator_.name = "Operator";
  operator_.dtmf = "0";
  q.answers = {billing, support, operator_};
  return q;
}

bool AnyWord(const std::string&) { return true; }

}  // namespace

TEST_CASE("speech: only en-US callers answer by voice", "[speech]") {
  CHECK(SpeechLanguage("en-US"));
  CHECK(SpeechLanguage("en-us"));
  CHECK_FALSE(SpeechLanguage("en-GB"));
  CHECK_FALSE(SpeechLanguage("de-DE"));
  CHECK_FALSE(SpeechLanguage(""));
}

TEST_CASE("speech: a question's keywords are its answers' voice responses, normalized, each once", "[speech]") {
  CHECK(NormalizeKeyword("  Technical--Support! ") == "technical support");
  CHECK(NormalizeKeyword("O'Brien") == "o'brien");
  CHECK(NormalizeKeyword("?!") == "");
  CHECK(VoiceKeywords(Billing()) == std::vector<std::string>{"billing", "my bill", "technical support"});
  Question keys_only;
  keys_only.answers.resize(2);
  keys_only.answers[0].dtmf = "1";
  CHECK(VoiceKeywords(keys_only).empty());
}

TEST_CASE("speech: the grammar offers the keywords among common words, without unknown ones", "[speech]") {
  std::vector<std::string> left_out;
  auto known = [](const std::string& w) { return w != "brien"; };
  std::string g = KeywordGrammar({"billing", "my bill", "o brien", "yes"}, known, &left_out);
  CHECK(left_out == std::vector<std::string>{"o brien"});
  CHECK(g.rfind("#JSGF V1.0;\ngrammar answers;\npublic <utterance> = <word>+;\n", 0) == 0);
  CHECK(g.find("<keyword> = billing | my bill | yes;\n") != std::string::npos);
  auto other = g.substr(g.find("<other> = "));
  CHECK(other.find(" the ") != std::string::npos);
  CHECK(other.find("yes") == std::string::npos);  // a keyword is never taken for other speech
  CHECK(KeywordGrammar({"o brien"}, known, nullptr).empty());
  CHECK(KeywordGrammar({}, AnyWord, nullptr).empty());
}

TEST_CASE("speech: an utterance answers with the first keyword it holds as whole words", "[speech]") {
  std::vector<std::string> keywords = {"billing", "technical", "technical support"};
  CHECK(SpokenKeyword(keywords, "billing") == "billing");
  CHECK(SpokenKeyword(keywords, "I want BILLING please") == "billing");
  CHECK(SpokenKeyword(keywords, "uh technical support") == "technical support");  // the longest at one place
  CHECK(SpokenKeyword(keywords, "technical") == "technical");
  CHECK(SpokenKeyword(keywords, "the billings") == "");
  CHECK(SpokenKeyword(keywords, "") == "");
}
