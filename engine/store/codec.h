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
std::string Noun(const std::string& kind);   // "agent group"

// "service:ApplicationServer:<pool>" and "<service>/<guid>".
std::string ServiceId(const std::string& pool);
std::string IdentityOf(const std::string& pool, const std::string& guid);
// Splits an identity (with or without "service:") into pool and GUID; false if it is not one.
bool ParseIdentity(const std::string& text, std::string* pool, std::string* guid);
bool LooksLikeGuid(const std::string& text);
std::string NewGuid();

// Turns a reference written in a document or option (name, GUID or identity) into a GUID.
// Returns kNotFound with a message naming the object when nothing matches.
using Resolver = std::function<Result<std::string>(const std::string& kind, const std::string& ref)>;

// How references are written: as stored (GUIDs) or as shown to people and scripts (identities).
struct DocStyle {
  bool present = false;   // add Identity and Parent, write references as identities
  std::string pool;
};

Json ToDoc(const core::AgentGroup& g, const DocStyle& style = {});
Json ToDoc(const core::Queue& q, const DocStyle& style = {});

// Reads a document into `out`. Problems are appended with `property` set to the path
// ("TimeoutAction.Prompt"); references go through `resolve`. `out` keeps the values of
// properties the document lacks, so a partial document edits an existing object.
void FromDoc(const Json& doc, const Resolver& resolve, core::AgentGroup* out, core::Problems* problems);
void FromDoc(const Json& doc, const Resolver& resolve, core::Queue* out, core::Problems* problems);

// The objects a stored document refers to.
std::vector<Ref> RefsOf(const core::AgentGroup& g);
std::vector<Ref> RefsOf(const core::Queue& q);

}  // namespace rgs::store
