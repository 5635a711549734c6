// The catalog: typed reading and writing of configuration objects over the versioned store,
// with validation, reference resolution and the integrity rules of reference 1.15.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/validate.h"
#include "store/codec.h"
#include "store/store.h"

namespace rgs::store {

template <typename T>
struct KindOf;
template <>
struct KindOf<core::AgentGroup> {
  static constexpr const char* kName = kAgentGroup;
};
template <>
struct KindOf<core::Queue> {
  static constexpr const char* kName = kQueue;
};
template <>
struct KindOf<core::Workflow> {
  static constexpr const char* kName = kWorkflow;
};
template <>
struct KindOf<core::HoursOfBusiness> {
  static constexpr const char* kName = kHoursOfBusiness;
};
template <>
struct KindOf<core::HolidaySet> {
  static constexpr const char* kName = kHolidaySet;
};
template <>
struct KindOf<core::AudioFile> {
  static constexpr const char* kName = kAudioFile;
};

// Names a property in messages: the CLI maps "AgentAlertTime" to "--agent-alert-time".
using Labeler = std::function<std::string(const std::string& property)>;

// Lower-case hexadecimal SHA-256 of bytes (libmd).
std::string Sha256Hex(const std::string& bytes);

// One Status for a list of problems: kNotFound if a reference is missing, kUsage if every
// problem is a malformed value, kInvalid otherwise. One line per problem.
Status ToStatus(const std::string& subject, const core::Problems& problems, const Labeler& label = {});

// A managed workflow sharing a queue or agent group with another workflow (reference 1.4).
struct SharingBreach {
  std::string managed;  // workflow GUID
  std::string other;    // workflow GUID
  std::string kind;     // kQueue or kAgentGroup
  std::string shared;   // its GUID
};

// One thing test-configuration reports about one object.
struct Finding {
  bool error = true;             // false: a warning (it works, perhaps not as meant)
  std::string kind, guid, name;  // the object; kind kSettings for the service settings
  std::string property;          // where in the object ("DefaultAction.QueueID"), or ""
  std::string message;           // "refers to a queue that no longer exists"
  std::string missing;           // the GUID a dangling reference names, or ""
  bool operator==(const Finding&) const = default;
};

class Catalog {
 public:
  explicit Catalog(Store& store) : store_(store) {}
  Store& store() { return store_; }

  // A name, GUID or identity of an object of `kind` (for audio files also its SHA-256), as of
  // `at`, to its GUID. kNotFound names it.
  Result<std::string> Resolve(const std::string& kind, const std::string& ref, int64_t at = kCurrent);
  Resolver resolver(int64_t at = kCurrent);

  template <typename T>
  Result<T> Find(const std::string& ref, int64_t at = kCurrent);
  template <typename T>
  Result<std::vector<T>> List(int64_t at = kCurrent);
  template <typename T>
  Result<T> Decode(const Object& obj);

  // Validates and stages `obj`. create: assigns its GUID and owner; kAlreadyExists when the name
  // is taken. Otherwise it replaces the object with obj.guid. Warnings are appended.
  // On failure nothing of it stays staged.
  template <typename T>
  Status Save(T& obj, bool create, std::vector<std::string>* warnings, const Labeler& label = {});

  // Imports audio: checks the WAV, stores its bytes once by SHA-256, stages the object.
  Status ImportAudio(core::AudioFile& audio, const std::string& bytes, std::vector<std::string>* warnings);

  Result<core::ServiceSettings> Settings(int64_t at = kCurrent);
  Status SaveSettings(const core::ServiceSettings& settings, const Labeler& label = {});

  // Stages the removal of an object. When other objects use it, refuses with kInvalid naming
  // them, unless force (then each user is reported in warnings).
  Status Remove(const std::string& kind, const std::string& guid, bool force, std::vector<std::string>* warnings);

  // Stages whatever makes the current configuration equal to revision `rev`.
  Status Restore(int64_t rev);

  // The document shown to people and scripts (Identity, Parent, references as identities).
  template <typename T>
  Json Present(const T& obj) const {
    return ToDoc(obj, {true, store_.pool()});
  }
  // The same for a stored object of any kind. Kinds without references are presented from the
  // stored document directly (listing 10,000 groups is then a copy, not a decode and encode).
  Result<Json> Present(const Object& obj);
  Result<Json> Present(Object&& obj);

  // Every managed-workflow sharing breach in the current configuration.
  Result<std::vector<SharingBreach>> SharingBreaches();
  // The queues a workflow can send a call to (its actions, its questions, and the timeout and
  // overflow queues of those, transitively).
  Result<std::vector<std::string>> QueuesOf(const core::Workflow& w);

  // Every finding about the whole configuration (test-configuration), each once, object by
  // object in the order they are stored: the errors, and the warnings a save of each object
  // would give (core::Warnings). *objects is set to the number of objects checked.
  Result<std::vector<Finding>> Check(size_t* objects = nullptr);

 private:
  template <typename T>
  Status SaveStaged(T& obj, bool create, std::vector<std::string>* warnings, const Labeler& label);
  template <typename T>
  Status Stage(T& obj, bool create, core::Problems problems, const Labeler& label);
  Status MissingRefs(const std::vector<Ref>& refs, core::Problems* problems);
  // A finding for each of `refs` (of object o) whose object no longer exists.
  Status Dangling(const Object& o, const std::vector<Ref>& refs, std::vector<Finding>* out);
  template <typename T>
  Status NewMissingRefs(const T& obj, bool create, core::Problems* problems);
  Result<std::vector<Ref>> RefsOfStored(const Object& obj);
  // all_missing: every dangling reference is a problem (test-configuration); otherwise only
  // those the change adds, the others becoming warnings.
  core::Problems WorkflowChecks(const core::Workflow& w, core::Problems* errors, bool all_missing);
  // The breaches now; empty without looking when no workflow is managed, unless force.
  Result<std::vector<SharingBreach>> Breaches(bool force);
  Status NoNewBreaches(const std::vector<SharingBreach>& before, const std::string& subject);
  Status RestoreCredentials(int64_t rev);

  Store& store_;
  std::vector<std::string> dangling_;  // warnings about references left by forced removals
  std::optional<bool> any_managed_;    // whether a managed workflow exists (cached)

 public:
  // Warnings gathered while saving: references that forced removals left dangling.
  std::vector<std::string> TakeDangling() { return std::exchange(dangling_, {}); }
};

}  // namespace rgs::store
