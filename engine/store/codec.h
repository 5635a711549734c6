// Conversion between the configuration model and its JSON documents (Lync property names), with
// strict reading: unknown properties, wrong types and bad values are reported by property path.
#pragma once

#include <functional>
#include <string>

#include "core/model.h"
#include "core/validate.h"
#include "store/store.h"

namespace rgs::store {

// Kinds as stored, and the words messages use for them.
inline constexpr const char* kAgentGroup = "agentgroup";
inline constexpr const char* kQueue = "queue";
inline constexpr const char* kWorkflow = "workflow";
inline constexpr const char* kHoursOfBusiness = "hoursofbusiness";
inline constexpr const char* kHolidaySet = "holidayset";
inline constexpr const char* kAudioFile = "audiofile";
inline constexpr const char* kSettings = "configuration";
// The one service-settings object of a store.
inline constexpr const char* kSettingsGuid = "00000000-0000-4000-8000-000000000000";
// A workflow's addresses, kept as references so that uniqueness is one lookup.
inline constexpr const char* kAddress = "address";
std::string Noun(const std::string& kind);  // "agent group"

// "service:ApplicationServer:<pool>" and "<service>/<guid>".
std::string ServiceId(const std::string& pool);
std::string IdentityOf(const std::string& pool, const std::string& guid);
// Splits an identity (with or without "service:") into pool and GUID; false if it is not one.
bool ParseIdentity(const std::string& text, std::string* pool, std::string* guid);
// The pool a service identity names: "service:ApplicationServer:POOL" or "ApplicationServer:POOL"
// (prefixes in any letter case) gives POOL; other text is taken as a pool name and returned as is.
std::string ServicePool(const std::string& text);
// Whether `text` (a pool name or service identity, as ServicePool takes) names `pool`; pool
// names are DNS names, compared without regard to letter case.
bool SamePool(const std::string& text, const std::string& pool);
bool LooksLikeGuid(const std::string& text);
std::string NewGuid();

// Turns a reference written in a document or option (name, GUID or identity) into a GUID.
// Returns kNotFound with a message naming the object when nothing matches.
using Resolver = std::function<Result<std::string>(const std::string& kind, const std::string& ref)>;

// How references are written: as stored (GUIDs) or as shown to people and scripts (identities).
struct DocStyle {
  bool present = false;  // add Identity and Parent, write references as identities
  std::string pool;
};

Json ToDoc(const core::AgentGroup& g, const DocStyle& style = {});
Json ToDoc(const core::Queue& q, const DocStyle& style = {});
Json ToDoc(const core::HoursOfBusiness& h, const DocStyle& style = {});
Json ToDoc(const core::HolidaySet& s, const DocStyle& style = {});
Json ToDoc(const core::AudioFile& a, const DocStyle& style = {});
Json ToDoc(const core::Workflow& w, const DocStyle& style = {});
Json ToDoc(const core::ServiceSettings& s, const DocStyle& style = {});
Json ToDoc(const core::Question& q, const DocStyle& style = {});

// Reads a document into `out`. Problems are appended with `property` set to the path
// ("TimeoutAction.Prompt"); references go through `resolve`. `out` keeps the values of
// properties the document lacks, so a partial document edits an existing object.
void FromDoc(const Json& doc, const Resolver& resolve, core::AgentGroup* out, core::Problems* problems);
void FromDoc(const Json& doc, const Resolver& resolve, core::Queue* out, core::Problems* problems);
void FromDoc(const Json& doc, const Resolver& resolve, core::HoursOfBusiness* out, core::Problems* problems);
void FromDoc(const Json& doc, const Resolver& resolve, core::HolidaySet* out, core::Problems* problems);
void FromDoc(const Json& doc, const Resolver& resolve, core::AudioFile* out, core::Problems* problems);
void FromDoc(const Json& doc, const Resolver& resolve, core::Workflow* out, core::Problems* problems);
void FromDoc(const Json& doc, const Resolver& resolve, core::ServiceSettings* out, core::Problems* problems);
// A question tree alone (--question-file), at `path` in messages.
void FromDoc(const Json& doc, const Resolver& resolve, core::Question* out, core::Problems* problems);

// The objects a stored document refers to.
std::vector<Ref> RefsOf(const core::AgentGroup& g);
std::vector<Ref> RefsOf(const core::Queue& q);
std::vector<Ref> RefsOf(const core::HoursOfBusiness& h);
std::vector<Ref> RefsOf(const core::HolidaySet& s);
std::vector<Ref> RefsOf(const core::AudioFile& a);
std::vector<Ref> RefsOf(const core::Workflow& w);
std::vector<Ref> RefsOf(const core::ServiceSettings& s);
// Lower-cased, for the address references of workflows.
std::string AddressKey(const std::string& uri);

}  // namespace rgs::store
