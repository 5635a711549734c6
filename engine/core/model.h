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
  std::string queue;                   // QueueID (GUID) for kTransferToQueue
  std::shared_ptr<Question> question;  // for kTransferToQuestion
  std::string uri;                     // for the transfer-to-address kinds
  bool operator==(const CallAction& o) const;
};

// Reference 1.8.
struct Answer {
  std::string name;
  std::string dtmf;                // one key: 0-9, * or #
  std::vector<std::string> voice;  // VoiceResponseList
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
  std::string owner;  // OwnerPool: the pool that owns the object
  std::string name;
  bool operator==(const ObjectHeader&) const = default;
};

// Reference 1.2.
struct AgentGroup : ObjectHeader {
  std::string description;
  int agent_alert_time = 20;
  ParticipationPolicy participation_policy = ParticipationPolicy::kInformal;
  RoutingMethod routing_method = RoutingMethod::kParallel;
  std::vector<std::string> agents;  // AgentsByUri, ordered
  std::string distribution_group_address;
  bool operator==(const AgentGroup&) const = default;
};

// Reference 1.3.
struct Queue : ObjectHeader {
  std::string description;
  std::vector<std::string> agent_groups;  // AgentGroupIDList (GUIDs), ordered
  std::optional<int> timeout_threshold;
  std::optional<CallAction> timeout_action;
  std::optional<int> overflow_threshold;
  OverflowCandidate overflow_candidate = OverflowCandidate::kNewestCall;
  std::optional<CallAction> overflow_action;
  bool operator==(const Queue&) const = default;
};

// Reference 1.10: an open interval of one day, [open, close), in minutes after midnight.
struct TimeRange {
  std::string name;
  int open = 0;
  int close = 0;
  bool operator==(const TimeRange&) const = default;
};

enum class Weekday { kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };
inline constexpr int kDays = 7;
std::string_view Name(Weekday d);                         // "Monday"
std::optional<Weekday> ParseWeekday(std::string_view s);  // "monday", "Mon", case-insensitive

// Reference 1.9: up to two open ranges per weekday; a day with none is closed.
struct HoursOfBusiness : ObjectHeader {
  bool custom = false;
  std::optional<TimeRange> hours[kDays][2];
  bool operator==(const HoursOfBusiness& o) const;
};

// A local date and time (no zone): minutes since 1970-01-01T00:00 of the local calendar.
using LocalMinutes = long long;
// "2026-12-25", "2026-12-25T09:30" or "2026-12-25T09:30:00"; nullopt when malformed.
std::optional<LocalMinutes> ParseLocalDateTime(std::string_view s);
std::string FormatLocalDateTime(LocalMinutes m);  // "2026-12-25T09:30:00"
// "HH:MM", 00:00 to 24:00; nullopt when malformed.
std::optional<int> ParseClock(std::string_view s);
std::string FormatClock(int minutes);

// Reference 1.12: a holiday is the half-open local interval [start, end).
struct Holiday {
  std::string name;
  LocalMinutes start = 0;
  LocalMinutes end = 0;
  bool operator==(const Holiday&) const = default;
};

// Reference 1.11.
struct HolidaySet : ObjectHeader {
  std::vector<Holiday> holidays;
  bool operator==(const HolidaySet&) const = default;
};

// An imported WAV file (reference 1.13, 7.2); its bytes are stored once per SHA-256.
struct AudioFile : ObjectHeader {
  std::string sha256;
  std::string file_name;  // the original file name
  std::string encoding;   // PCM, A-law, mu-law
  int sample_rate = 0;
  int bits_per_sample = 0;
  int channels = 0;
  long long bytes = 0;
  long long duration_ms = 0;
  bool operator==(const AudioFile&) const = default;
};

// Reference 1.4.
struct Workflow : ObjectHeader {
  std::string description;
  std::string primary_uri;
  std::string line_uri;
  std::string display_number;
  bool active = false;
  bool anonymous = false;
  bool enabled_for_federation = false;
  bool managed = false;
  std::vector<std::string> managers;  // ManagersByUri
  std::string language = "en-US";
  std::string time_zone = "UTC";
  std::string business_hours;             // BusinessHoursID (GUID) or empty
  std::vector<std::string> holiday_sets;  // HolidaySetIDList (GUIDs)
  std::optional<CallAction> default_action;
  std::optional<CallAction> non_business_hours_action;
  std::optional<CallAction> holiday_action;
  std::string custom_music_on_hold;  // audio file GUID or empty
  bool operator==(const Workflow&) const = default;
};

// Reference 1.1: one per pool.
struct ServiceSettings {
  int agent_ringback_grace_period = 60;
  std::string default_music_on_hold;  // audio file GUID or empty
  bool disable_call_context = false;
  bool operator==(const ServiceSettings&) const = default;
};

// The 26 languages of reference 1.4.
const std::vector<std::string>& Languages();

// Limits from reference 7.1.
inline constexpr int kMinAlertTime = 10, kMaxAlertTime = 600, kPracticalMaxAlertTime = 180;
inline constexpr int kMinTimeout = 10, kMaxTimeout = 65535;
inline constexpr int kMinOverflow = 0, kMaxOverflow = 1000;
inline constexpr size_t kMaxPromptText = 4096;
inline constexpr size_t kMaxValueNameLength = 128;
inline constexpr int kMinGracePeriod = 30, kMaxGracePeriod = 600;
inline constexpr long long kMaxAudioBytes = 4LL * 1024 * 1024;
inline constexpr int kIvrAttempts = 5;

}  // namespace rgs::core
