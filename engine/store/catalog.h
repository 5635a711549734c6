// The catalog: typed reading and writing of configuration objects over the versioned store,
// with validation, reference resolution and the integrity rules of reference 1.15.
#pragma once

#include <functional>
#include <string>
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

// Names a property in messages: the CLI maps "AgentAlertTime" to "--agent-alert-time".
using Labeler = std::function<std::string(const std::string& property)>;

// One Status for a list of problems: kNotFound if a reference is missing, kUsage if every
// problem is a malformed value, kInvalid otherwise. One line per problem.
Status ToStatus(const std::string& subject, const core::Problems& problems, const Labeler& label = {});

class Catalog {
 public:
  explicit Catalog(Store& store) : store_(store) {}
  Store& store() { return store_; }

  // A name, GUID or identity of an object of `kind`, as of `at`, to its GUID. kNotFound names it.
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
  Status Save(core::AgentGroup& g, bool create, std::vector<std::string>* warnings, const Labeler& label = {});
  Status Save(core::Queue& q, bool create, std::vector<std::string>* warnings, const Labeler& label = {});

  // Stages the removal of an object. When other objects use it, refuses with kInvalid naming
  // them, unless force (then each user is reported in warnings).
  Status Remove(const std::string& kind, const std::string& guid, bool force, std::vector<std::string>* warnings);

  // Stages whatever makes the current configuration equal to revision `rev`.
  Status Restore(int64_t rev);

  // The document shown to people and scripts (Identity, Parent, references as identities).
  Json Present(const core::AgentGroup& g) const;
  Json Present(const core::Queue& q) const;
  // The same for a stored object of any kind.
  Result<Json> Present(const Object& obj);

 private:
  template <typename T>
  Status Stage(T& obj, bool create, const core::Problems& problems, const Labeler& label);
  Result<std::vector<Ref>> RefsOfStored(const Object& obj);

  Store& store_;
};

}  // namespace rgs::store
