// The cmdlet handlers of every noun family, and the pieces the families share.
#pragma once

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
// cli/revision.cc
Runner GetRevision(CLI::App& app);
Runner CompareRevision(CLI::App& app);
Runner RestoreRevision(CLI::App& app);
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
  auto all = ctx.catalog->List<T>(*at);
  if (!all.ok()) return all.status();
  for (const auto& t : *all)
    if (Visible(ctx, o, t.owner)) docs.push_back(ctx.catalog->Present(t));
  PrintObjects(ctx, docs, false);
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
  std::string doc_identity = doc.contains("Identity") && doc["Identity"].is_string() ? doc["Identity"].get<std::string>() : "";
  if (ref.empty()) ref = doc_identity;
  if (ref.empty() && doc.contains("Name") && doc["Name"].is_string()) ref = doc["Name"].get<std::string>();
  if (ref.empty()) return Invalid(inst->label("Identity") + ": the document names no object (Identity or Name)");
  auto current = ctx.catalog->Find<T>(ref);
  if (!current.ok()) return current.status();
  if (!doc_identity.empty()) {
    std::string pool, guid;
    if (!store::ParseIdentity(doc_identity, &pool, &guid))
      return Invalid(inst->label("Identity") + ": '" + doc_identity + "' is not an identity (service:ApplicationServer:POOL/GUID)");
    if (guid != current->guid)
      return Invalid(inst->label("Identity") + ": the document is another object than '" + current->name + "'");
  }
  T updated = *current;
  core::Problems problems;
  store::FromDoc(doc, ctx.catalog->resolver(), &updated, &problems);
  updated.guid = current->guid;
  if (updated.owner != current->owner)
    problems.push_back({"OwnerPool", "is '" + current->owner + "'; only import-configuration --overwrite-owner changes it",
                        Code::kInvalid});
  std::string subject = store::Noun(store::KindOf<T>::kName) + " '" + current->name + "'";
  RGS_RETURN_IF_ERROR(AsDocumentStatus(store::ToStatus("", problems, inst->label)));
  RGS_RETURN_IF_ERROR(AsDocumentStatus(ctx.catalog->Save(updated, false, &ctx.warnings, inst->label)));
  ctx.summary = "changed " + subject + " from " + (path == "-" ? std::string("standard input") : path);
  return Status::Ok();
}

}  // namespace rgs::cli
