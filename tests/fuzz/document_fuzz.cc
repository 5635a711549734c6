// Fuzz target: bytes as a YAML or JSON document, read as set-* --instance and import read them
// (store::ParseDocument, the positions of store::Locate), then as each kind of object
// (store::FromDoc and the core's validation). A document that reads without a problem must read
// back to the same object from the YAML get-* -o yaml would print for it (ToDoc, EmitYaml).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/validate.h"
#include "store/codec.h"
#include "store/document.h"
#include "tz/zone.h"

namespace {

using namespace rgs;

Result<std::string> Resolve(const std::string&, const std::string& ref) {
  std::string pool, guid;
  if (store::ParseIdentity(ref, &pool, &guid)) return guid;
  if (store::LooksLikeGuid(ref)) return ref;
  return NotFound("'" + ref + "' is not an identity");
}

core::Problems Validate(const core::AgentGroup& g) { return core::ValidateAgentGroup(g); }
core::Problems Validate(const core::Queue& q) { return core::ValidateQueue(q); }
core::Problems Validate(const core::HoursOfBusiness& h) { return core::ValidateHoursOfBusiness(h); }
core::Problems Validate(const core::HolidaySet& s) { return core::ValidateHolidaySet(s, true); }
core::Problems Validate(const core::ServiceSettings& s) { return core::ValidateSettings(s); }
core::Problems Validate(const core::Question& q) { return core::ValidateQuestion(q, "Question"); }
core::Problems Validate(const core::AudioFile&) { return {}; }
core::Problems Validate(const core::Workflow& w) {
  core::WorkflowProblems v = core::ValidateWorkflow(w, &tz::Known);
  return v.errors;
}

// Reads `doc` as a T; when it reads without a problem, checks the YAML round trip.
template <typename T>
void ReadAs(const store::Json& doc, const store::Positions& positions) {
  T obj;
  core::Problems problems;
  store::FromDoc(doc, Resolve, &obj, &problems);
  for (const auto& p : problems) store::Locate("fuzz.yaml", positions, p.property);
  for (const auto& p : Validate(obj)) problems.push_back(p);
  if (!problems.empty()) return;
  for (bool present : {false, true}) {
    std::string yaml = store::EmitYaml(store::ToDoc(obj, {present, "pool.example.com"}));
    store::Positions emitted;
    auto back = store::ParseDocument(yaml, "emitted.yaml", &emitted);
    T again;
    core::Problems again_problems;
    if (back.ok()) store::FromDoc(*back, Resolve, &again, &again_problems);
    if (!back.ok() || !again_problems.empty() || !(again == obj)) {
      fprintf(stderr, "the document does not read back from its own YAML:\n%s\n%s\n", yaml.c_str(),
              back.ok() ? (again_problems.empty() ? "another object" : again_problems.front().message.c_str())
                        : back.status().message().c_str());
      abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  store::Positions positions;
  auto doc = store::ParseDocument(text, "fuzz.yaml", &positions);
  if (!doc.ok()) return 0;
  for (const auto& [path, position] : positions) store::Locate("fuzz.yaml", positions, path + ".Missing");
  store::LazyLocator locate(text, "fuzz.yaml");
  locate("Name");
  // A list of one object stands for that object (get-* -o yaml of a list).
  const store::Json& j = doc->is_array() && doc->size() == 1 ? (*doc)[0] : *doc;
  if (!j.is_object()) return 0;
  ReadAs<core::AgentGroup>(j, positions);
  ReadAs<core::Queue>(j, positions);
  ReadAs<core::HoursOfBusiness>(j, positions);
  ReadAs<core::HolidaySet>(j, positions);
  ReadAs<core::AudioFile>(j, positions);
  ReadAs<core::Workflow>(j, positions);
  ReadAs<core::ServiceSettings>(j, positions);
  ReadAs<core::Question>(j, positions);
  return 0;
}
