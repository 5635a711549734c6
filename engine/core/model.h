// The configuration model: agent groups, queues, call actions and prompts (reference 1.2-1.8).
// Plain values; references between objects are GUIDs. No I/O.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rgs::core {

enum class RoutingMethod { kParallel, kLongestIdle, kSerial, kRoundRobin, kAttendant };
enum class ParticipationPolicy { kInformal, kFormal };
enum class OverflowCandidate { kNewestCall, kOldestCall };
enum class ActionKind {
  kTerminate,
  kTransferToQueue,
  kTransferToQuestion,
  kTransferToUri,
  kTransferToVoiceMailUri,
  kTransferToPstn,
};

// Canonical (Lync) spelling of each enum value, and case-insensitive parsing that accepts
// both `LongestIdle` and `longest-idle`. Parse returns nullopt for an unknown word.
std::string_view Name(RoutingMethod v);
std::string_view Name(ParticipationPolicy v);
std::string_view Name(OverflowCandidate v);
std::string_view Name(ActionKind v);
std::optional<RoutingMethod> ParseRoutingMethod(std::string_view s);
std::optional<ParticipationPolicy> ParseParticipationPolicy(std::string_view s);
std::optional<OverflowCandidate> ParseOverflowCandidate(std::string_view s);
std::optional<ActionKind> ParseActionKind(std::string_view s);
// The allowed spellings, for messages: "Parallel, LongestIdle, Serial, RoundRobin, Attendant".
std::string RoutingMethodNames();
std::string ParticipationPolicyNames();
std::string OverflowCandidateNames();
std::string ActionKindNames();

// Reference 1.6: text to speech, an audio file (by name), or both (the audio plays).
struct Prompt {
  std::string text;   // TextToSpeechPrompt, at most 4096 characters
  std::string audio;  // AudioFilePrompt: audio file GUID
  bool empty() const { return text.empty() && audio.empty(); }
  bool operator==(const Prompt&) const = default;
};

struct Question;

// Reference 1.5: what happens to a call at one point of a workflow or queue.
struct CallAction {
  ActionKind action = ActionKind::kTerminate;
  std::optional<Prompt> prompt;
  std::string queue;                    // QueueID (GUID) for kTransferToQueue
  std::shared_ptr<Question> question;   // for kTransferToQuestion
  std::string uri;                      // for the transfer-to-address kinds
  bool operator==(const CallAction& o) const;
};

// Reference 1.8.
struct Answer {
  std::string name;
  std::string dtmf;                 // one key: 0-9, * or #
  std::vector<std::string> voice;   // VoiceResponseList
  CallAction action;
  bool operator==(const Answer&) const = default;
};

// Reference 1.7.
struct Question {
  std::string name;
  Prompt prompt;
  std::optional<Prompt> invalid_answer_prompt;
  std::optional<Prompt> no_answer_prompt;
  std::vector<Answer> answers;
  bool operator==(const Question&) const = default;
};

// Fields every stored object has (reference 1.0). Parent is always the store's pool.
struct ObjectHeader {
  std::string guid;
  std::string owner;   // OwnerPool: the pool that owns the object
  std::string name;
  bool operator==(const ObjectHeader&) const = default;
};

// Reference 1.2.
struct AgentGroup : ObjectHeader {
  std::string description;
  int agent_alert_time = 20;
  ParticipationPolicy participation_policy = ParticipationPolicy::kInformal;
  RoutingMethod routing_method = RoutingMethod::kParallel;
  std::vector<std::string> agents;   // AgentsByUri, ordered
  std::string distribution_group_address;
  bool operator==(const AgentGroup&) const = default;
};

// Reference 1.3.
struct Queue : ObjectHeader {
  std::string description;
  std::vector<std::string> agent_groups;   // AgentGroupIDList (GUIDs), ordered
  std::optional<int> timeout_threshold;
  std::optional<CallAction> timeout_action;
  std::optional<int> overflow_threshold;
  OverflowCandidate overflow_candidate = OverflowCandidate::kNewestCall;
  std::optional<CallAction> overflow_action;
  bool operator==(const Queue&) const = default;
};

// Limits from reference 7.1.
inline constexpr int kMinAlertTime = 10, kMaxAlertTime = 600, kPracticalMaxAlertTime = 180;
inline constexpr int kMinTimeout = 10, kMaxTimeout = 65535;
inline constexpr int kMinOverflow = 0, kMaxOverflow = 1000;
inline constexpr size_t kMaxPromptText = 4096;
inline constexpr size_t kMaxValueNameLength = 128;

}  // namespace rgs::core
