// Tests of the enum spellings of the configuration model.
#include "core/model.h"

#include <catch2/catch.hpp>

using namespace rgs::core;

TEST_CASE("routing methods parse in both spellings and any case", "[model]") {
  CHECK(ParseRoutingMethod("LongestIdle") == RoutingMethod::kLongestIdle);
  CHECK(ParseRoutingMethod("longest-idle") == RoutingMethod::kLongestIdle);
  CHECK(ParseRoutingMethod("ROUND_ROBIN") == RoutingMethod::kRoundRobin);
  CHECK(ParseRoutingMethod("serial") == RoutingMethod::kSerial);
  CHECK(ParseRoutingMethod("Parallel") == RoutingMethod::kParallel);
  CHECK(ParseRoutingMethod("attendant") == RoutingMethod::kAttendant);
  CHECK_FALSE(ParseRoutingMethod("random").has_value());
  CHECK_FALSE(ParseRoutingMethod("").has_value());
}

TEST_CASE("every enum value prints its Lync name and parses back", "[model]") {
  for (auto v : {RoutingMethod::kParallel, RoutingMethod::kLongestIdle, RoutingMethod::kSerial,
                 RoutingMethod::kRoundRobin, RoutingMethod::kAttendant})
    CHECK(ParseRoutingMethod(Name(v)) == v);
  for (auto v : {ParticipationPolicy::kInformal, ParticipationPolicy::kFormal})
    CHECK(ParseParticipationPolicy(Name(v)) == v);
  for (auto v : {OverflowCandidate::kNewestCall, OverflowCandidate::kOldestCall})
    CHECK(ParseOverflowCandidate(Name(v)) == v);
  for (auto v : {ActionKind::kTerminate, ActionKind::kTransferToQueue, ActionKind::kTransferToQuestion,
                 ActionKind::kTransferToUri, ActionKind::kTransferToVoiceMailUri, ActionKind::kTransferToPstn})
    CHECK(ParseActionKind(Name(v)) == v);
  CHECK(Name(ActionKind::kTransferToPstn) == "TransferToPSTN");
}

TEST_CASE("the voice-mail action accepts both spellings the Lync docs use", "[model]") {
  CHECK(ParseActionKind("TransferToVoicemailUri") == ActionKind::kTransferToVoiceMailUri);
  CHECK(ParseActionKind("TransferToVoiceMailUri") == ActionKind::kTransferToVoiceMailUri);
}

TEST_CASE("overflow candidates accept newest and oldest alone", "[model]") {
  CHECK(ParseOverflowCandidate("newest") == OverflowCandidate::kNewestCall);
  CHECK(ParseOverflowCandidate("Oldest") == OverflowCandidate::kOldestCall);
  CHECK(ParseOverflowCandidate("oldest-call") == OverflowCandidate::kOldestCall);
  CHECK_FALSE(ParseOverflowCandidate("middle").has_value());
}

TEST_CASE("defaults follow the reference", "[model]") {
  AgentGroup g;
  CHECK(g.agent_alert_time == 20);
  CHECK(g.routing_method == RoutingMethod::kParallel);
  CHECK(g.participation_policy == ParticipationPolicy::kInformal);
  Queue q;
  CHECK_FALSE(q.timeout_threshold.has_value());
  CHECK_FALSE(q.overflow_threshold.has_value());
  CHECK(q.overflow_candidate == OverflowCandidate::kNewestCall);
}

TEST_CASE("call actions compare their question trees by value", "[model]") {
  CallAction a, b;
  a.action = b.action = ActionKind::kTransferToQuestion;
  a.question = std::make_shared<Question>();
  b.question = std::make_shared<Question>();
  a.question->prompt.text = b.question->prompt.text = "Sales or support?";
  CHECK(a == b);
  b.question->prompt.text = "Something else?";
  CHECK_FALSE(a == b);
}
