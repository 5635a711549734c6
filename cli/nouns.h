// The cmdlet handlers of every noun family, and the pieces the families share.
#pragma once

#include <strings.h>

#include <algorithm>
#include <set>

#include "cli/context.h"

namespace rgs::cli {

// cli/agentgroup.cc
Runner NewAgentGroup(CLI::App& app);
Runner GetAgentGroup(CLI::App& app);
Runner SetAgentGroup(CLI::App& app);
Runner RemoveAgentGroup(CLI::App& app);
// cli/queue.cc
Runner NewQueue(CLI::App& app);
Runner GetQueue(CLI::App& app);
Runner SetQueue(CLI::App& app);
Runner RemoveQueue(CLI::App& app);
// cli/calls.cc
Runner GetCallRecord(CLI::App& app);
Runner GetQueueStatistics(CLI::App& app);
Runner SetAgentState(CLI::App& app);
Runner GetAgentState(CLI::App& app);
Runner GetQueueState(CLI::App& app);
// cli/revision.cc
Runner GetRevision(CLI::App& app);
Runner CompareRevision(CLI::App& app);
Runner RestoreRevision(CLI::App& app);
// cli/hours.cc
Runner NewHoursOfBusiness(CLI::App& app);
Runner GetHoursOfBusiness(CLI::App& app);
Runner SetHoursOfBusiness(CLI::App& app);
Runner RemoveHoursOfBusiness(CLI::App& app);
// cli/holiday.cc
Runner NewHolidaySet(CLI::App& app);
Runner GetHolidaySet(CLI::App& app);
Runner SetHolidaySet(CLI::App& app);
Runner RemoveHolidaySet(CLI::App& app);
// cli/audio.cc
Runner ImportAudioFile(CLI::App& app);
Runner GetAudioFile(CLI::App& app);
Runner RemoveAudioFile(CLI::App& app);
// cli/workflow.cc
Runner NewWorkflow(CLI::App& app);
Runner GetWorkflow(CLI::App& app);
Runner SetWorkflow(CLI::App& app);
Runner RemoveWorkflow(CLI::App& app);
// cli/configuration.cc
Runner GetConfiguration(CLI::App& app);
Runner SetConfiguration(CLI::App& app);
Runner TestConfiguration(CLI::App& app);
// cli/transfer.cc
Runner ExportConfiguration(CLI::App& app);
Runner ImportConfiguration(CLI::App& app);
// cli/simulate.cc
Runner TestWorkflow(CLI::App& app);
// cli/credential.cc
Runner SetAgentCredential(CLI::App& app);
Runner GetAgentCredential(CLI::App& app);
Runner RemoveAgentCredential(CLI::App& app);
// cli/cmdlets.cc
Runner Help(CLI::App& app);

// NAME as the first positional argument or as --name (Lync's -Name); one is required.
struct NameArg {
  std::string positional, option;
  void Add(CLI::App& app, const std::string& noun) {
    app.add_option("NAME", positional, "the new " + noun + "'s name, unique among " + noun + "s");
    app.add_option("--name", option, "the same as NAME");
  }
  Result<std::string> Get(const std::string& noun) const {
    if (!positional.empty() && !option.empty() && positional != option)
      return Usage("two names given ('" + positional + "' and --name '" + option + "'): give one");
    std::string n = positional.empty() ? option : positional;
    if (n.empty()) return Usage("give the " + noun + "'s name (NAME or --name)");
    return n;
  }
};

// An action option with its prompt option: --timeout-action and --timeout-prompt.
struct ActionOption {
  std::string name;  // "timeout"
  std::optional<std::string> action;
  std::vector<std::string> prompt;

  void Add(CLI::App& app, const std::string& help) {
    app.add_option("--" + name + "-action", action, help);
    app.add_option("--" + name + "-prompt", prompt,
                   "played before the " + name + " action: text:WORDS or audio:NAME (both may be given)");
  }
  // Sets or clears *slot; a prompt alone changes the prompt of the action already there.
  Status Apply(Context& ctx, std::optional<core::CallAction>* slot) const {
    const std::string action_opt = "--" + name + "-action", prompt_opt = "--" + name + "-prompt";
    if (action && (strcasecmp(action->c_str(), "none") == 0 || action->empty())) {
      if (!prompt.empty()) return Usage(prompt_opt + ": there is no action to play it before");
      slot->reset();
      return Status::Ok();
    }
    if (action) {
      auto a = ParseAction(ctx, action_opt, *action);
      if (!a.ok()) return a.status();
      *slot = *a;
    }
    if (!prompt.empty()) {
      if (!*slot) return Usage(prompt_opt + ": give " + action_opt + " too: there is no action to play it before");
      auto p = ParsePrompts(ctx, prompt_opt, prompt);
      if (!p.ok()) return p.status();
      (*slot)->prompt = *p;
    }
    return Status::Ok();
  }
};

// get-*: the object named, or every visible one, as of --revision.
template <typename T>
Status GetObjects(Context& ctx, const GetOptions& o) {
  auto at = RevisionOption(ctx, o.revision);
  if (!at.ok()) return at.status();
  std::vector<store::Json> docs;
  if (!o.identity.empty()) {
    auto t = ctx.catalog->Find<T>(o.identity, *at);
    if (!t.ok()) return t.status();
    docs.push_back(ctx.catalog->Present(*t));
    PrintObjects(ctx, docs, true);
    return Status::Ok();
  }
  ObjectStream stream(ctx);
  RGS_RETURN_IF_ERROR(ctx.store->ForEach(store::KindOf<T>::kName, *at, [&](store::Object&& obj) -> Status {
    if (!Visible(ctx, o, obj.doc.value("OwnerPool", ""))) return Status::Ok();
    auto doc = ctx.catalog->Present(std::move(obj));
    if (!doc.ok()) return doc.status();
    stream.Add(std::move(*doc));
    return Status::Ok();
  }));
  stream.Finish();
  return Status::Ok();
}

// set-* --instance: the whole object from a document, as get-* -o yaml|json prints it. The
// object is the one IDENTITY names, else the document's Identity, else its Name.
template <typename T>
Status SetFromInstance(Context& ctx, const std::string& identity, const std::string& path) {
  auto inst = ReadInstance(path);
  if (!inst.ok()) return inst.status();
  const store::Json& doc = inst->doc;
  std::string ref = identity;
  std::string doc_identity =
      doc.contains("Identity") && doc["Identity"].is_string() ? doc["Identity"].get<std::string>() : "";
  if (ref.empty()) ref = doc_identity;
  if (ref.empty() && doc.contains("Name") && doc["Name"].is_string()) ref = doc["Name"].get<std::string>();
  if (ref.empty()) return Invalid(inst->label("Identity") + ": the document names no object (Identity or Name)");
  auto current = ctx.catalog->Find<T>(ref);
  if (!current.ok()) return current.status();
  if (!doc_identity.empty()) {
    std::string pool, guid;
    if (!store::ParseIdentity(doc_identity, &pool, &guid))
      return Invalid(inst->label("Identity") + ": '" + doc_identity +
                     "' is not an identity (service:ApplicationServer:POOL/GUID)");
    if (guid != current->guid)
      return Invalid(inst->label("Identity") + ": the document is another object than '" + current->name + "'");
  }
  T updated = *current;
  core::Problems problems;
  // A reference the object already has resolves even when a forced removal left it dangling:
  // get-X -o yaml | set-X --instance - must round-trip.
  std::set<std::string> had;
  for (const auto& r : store::RefsOf(*current)) had.insert(r.kind + "/" + r.guid);
  store::Resolver base = ctx.catalog->resolver();
  store::Resolver resolve = [&](const std::string& kind, const std::string& ref) -> Result<std::string> {
    auto g = base(kind, ref);
    if (g.ok() || g.status().code() != Code::kNotFound) return g;
    std::string pool, guid = ref;
    if (store::ParseIdentity(ref, &pool, &guid) || store::LooksLikeGuid(ref))
      if (had.count(kind + "/" + guid)) return guid;
    return g;
  };
  store::FromDoc(doc, resolve, &updated, &problems);
  updated.guid = current->guid;
  if (updated.owner != current->owner)
    problems.push_back({"OwnerPool",
                        "is '" + current->owner + "'; only import-configuration --overwrite-owner changes it",
                        Code::kInvalid});
  std::string subject = store::Noun(store::KindOf<T>::kName) + " '" + current->name + "'";
  RGS_RETURN_IF_ERROR(AsDocumentStatus(store::ToStatus("", problems, inst->label)));
  RGS_RETURN_IF_ERROR(AsDocumentStatus(ctx.catalog->Save(updated, false, &ctx.warnings, inst->label)));
  ctx.summary = "changed " + subject + " from " + (path == "-" ? std::string("standard input") : path);
  return Status::Ok();
}

}  // namespace rgs::cli
