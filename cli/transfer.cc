// export-configuration and import-configuration: whole configurations moved between pools as
// zip archives, for disaster recovery (reference §5, DESIGN §4, rgs-archive(5)).
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <set>

#include "cli/nouns.h"
#include "store/transfer.h"

namespace rgs::cli {
namespace {

// The pool options of Lync (-Source, -Destination) name this store's pool; anything else is a
// mistake worth stopping for.
Status CheckPool(Context& ctx, const std::string& option, const std::string& value) {
  if (value.empty() || store::SamePool(value, ctx.store->pool())) return Status::Ok();
  return Invalid(option + ": '" + value + "' is not this store's pool ('" + ctx.store->pool() + "')");
}

// --remove-exported-configuration removes what the archive holds; objects that stay and use
// them would be left dangling, which needs --force (and then each is a warning).
Status CheckRemovable(Context& ctx, const std::vector<store::Object>& objects) {
  std::set<std::string> leaving;
  for (const auto& o : objects) leaving.insert(o.kind + "/" + o.guid);
  std::string users;
  for (const auto& o : objects) {
    auto u = ctx.store->Users(o.kind, o.guid);
    if (!u.ok()) return u.status();
    for (const auto& user : *u) {
      if (leaving.count(user.kind + "/" + user.guid)) continue;
      std::string who =
          user.kind == store::kSettings ? "the service settings" : store::Noun(user.kind) + " '" + user.name + "'";
      users += "\n" + who + " uses " + store::Noun(o.kind) + " '" + o.name + "'";
    }
  }
  if (users.empty()) return Status::Ok();
  if (!ctx.force)
    return Invalid(
        "--remove-exported-configuration would leave objects that stay pointing at removed ones; "
        "use --force to remove them anyway:" +
        users);
  ctx.warnings.push_back("objects that stay still name removed ones:" + users);
  return Status::Ok();
}

// export --force replaces an archive only with one that holds as many workflows or more
// (store::CheckReplace). A free name needs no check, nor one that is not a regular file: WriteZip
// refuses to replace it at all.
Status CheckShrink(Context& ctx, const std::string& path, const store::ExportResult& fresh) {
  struct stat st {};
  if (!ctx.force || ::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return Status::Ok();
  auto file = OpenOptionFile("--file", path);
  if (!file.ok()) return file.status();
  std::vector<std::string> problems;
  auto existing = archive::ReadZip(file->fd(), path, store::kMaxArchiveEntries, store::kMaxArchiveBytes,
                                   store::EntryLimit, &problems);
  return store::CheckReplace(path, existing.ok() ? *existing : std::vector<archive::Entry>{}, fresh);
}

void ShowPlan(Context& ctx, const store::ImportPlan& plan, bool whatif) {
  std::string lead = whatif ? "What if: " : "";
  store::Json j;
  j["SourcePool"] = plan.source_pool;
  j["SourceRevision"] = plan.source_revision;
  j["Added"] = plan.added;
  j["Updated"] = plan.updated;
  j["Renamed"] = plan.renamed;
  j["Unchanged"] = plan.unchanged.size();
  j["AudioAdded"] = plan.audio_added;
  j["SettingsReplaced"] = plan.settings_replaced;
  j["AgentCredentials"] = plan.credentials;
  if (ctx.format != Format::kList) {
    PrintObjects(ctx, {j}, true);
    return;
  }
  ctx.out << lead << "import from pool '" << plan.source_pool << "' (revision " << plan.source_revision
          << "): " << plan.added.size() << " added, " << plan.updated.size() << " updated, " << plan.unchanged.size()
          << " unchanged, " << plan.renamed.size() << " renamed, " << plan.audio_added.size() << " audio file"
          << (plan.audio_added.size() == 1 ? "" : "s") << " added"
          << (plan.settings_replaced ? ", service settings replaced" : "")
          << (plan.credentials ? ", " + std::to_string(plan.credentials) + " agent credential(s) set" : "") << "\n";
  for (const auto& a : plan.added) ctx.out << "+ " << a << "\n";
  for (const auto& u : plan.updated) ctx.out << "~ " << u << "\n";
  for (const auto& r : plan.renamed) ctx.out << "renamed " << r << "\n";
}

}  // namespace

Runner ExportConfiguration(CLI::App& app) {
  struct Opts {
    std::string file, source, owner, revision;
    bool remove = false, allow_empty = false, allow_shrink = false, include_credentials = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("--file,--file-name", o->file, "the zip archive to write")->required();
  app.add_option("--source", o->source, "the pool to export from: this store's (the default)");
  app.add_option(
      "--owner", o->owner,
      "only objects owned by this pool, POOL or service:ApplicationServer:POOL (after a failover: the primary's)");
  app.add_option("--revision", o->revision, "export the configuration as it was at revision N");
  app.add_flag("--remove-exported-configuration", o->remove,
               "after the archive is safely on disk, remove what it holds from this store (one revision)");
  app.add_flag("--allow-empty", o->allow_empty,
               "write the archive even when it holds no object (only the service settings)");
  app.add_flag("--include-credentials", o->include_credentials,
               "also write the agents' SIP credentials (their digest hashes) to credentials.yaml; keep such an "
               "archive as safe as the store");
  app.add_flag("--allow-shrink", o->allow_shrink,
               "with --force, replace an archive even by one that holds fewer workflows");
  return [o](Context& ctx) -> Status {
    RGS_RETURN_IF_ERROR(CheckPool(ctx, "--source", o->source));
    auto at = RevisionOption(ctx, o->revision);
    if (!at.ok()) return at.status();
    if (o->remove && *at != store::kCurrent)
      return Usage("--remove-exported-configuration removes the current objects: give no --revision with it");
    if (ctx.store->created()) return IoError("store '" + ctx.store->path() + "' does not exist");
    auto result = store::BuildExport(*ctx.catalog, {o->owner, *at, o->allow_empty, o->include_credentials});
    if (!result.ok()) return result.status();
    if (!o->allow_shrink) RGS_RETURN_IF_ERROR(CheckShrink(ctx, o->file, *result));
    if (o->remove) RGS_RETURN_IF_ERROR(CheckRemovable(ctx, result->objects));
    if (ctx.whatif) {
      ctx.own_whatif_report = true;
      ctx.out << "What if: write '" << o->file << "' with " << result->objects.size() << " objects and "
              << std::count_if(result->entries.begin(), result->entries.end(),
                               [](const archive::Entry& e) { return e.name.rfind("audio/", 0) == 0; })
              << " audio files" << (o->include_credentials ? " and the agents' credentials" : "") << " (revision "
              << result->revision << ")\n";
    } else {
      std::tm tm{};
      strptime(result->time.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
      RGS_RETURN_IF_ERROR(archive::WriteZip(o->file, result->entries, timegm(&tm), ctx.force));
    }
    if (o->remove) {
      if (ctx.whatif) ctx.out << "What if: remove the " << result->objects.size() << " exported objects\n";
      for (const auto& obj : result->objects) RGS_RETURN_IF_ERROR(ctx.store->Remove(obj.kind, obj.guid));
      ctx.summary = "removed the " + std::to_string(result->objects.size()) + " objects exported to " + o->file;
    }
    return Status::Ok();
  };
}

Runner ImportConfiguration(CLI::App& app) {
  struct Opts {
    std::string file, destination;
    bool overwrite_owner = false, replace_settings = false, resolve = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("--file,--file-name", o->file, "the zip archive to read")->required();
  app.add_option("--destination", o->destination, "the pool to import into: this store's (the default)");
  app.add_flag("--overwrite-owner", o->overwrite_owner, "make this pool the owner of every imported object");
  app.add_flag("--replace-existing-rgs-settings,--replace-existing-settings", o->replace_settings,
               "take the archive's service settings (grace period, default hold music, call context)");
  app.add_flag("--resolve-name-conflicts", o->resolve, "import an object whose name is taken as 'Name (2)'");
  return [o](Context& ctx) -> Status {
    RGS_RETURN_IF_ERROR(CheckPool(ctx, "--destination", o->destination));
    auto file = OpenOptionFile("--file", o->file);
    if (!file.ok()) return file.status();
    std::vector<std::string> problems;
    auto entries = archive::ReadZip(file->fd(), o->file, store::kMaxArchiveEntries, store::kMaxArchiveBytes,
                                    store::EntryLimit, &problems);
    if (!entries.ok() && problems.empty()) return entries.status();
    store::ImportPlan plan;
    if (entries.ok()) {
      bool bar = isatty(STDERR_FILENO) && !ctx.quiet;
      auto progress = [bar](size_t done, size_t total) {
        if (!bar || total < 500 || (done % 100 != 0 && done != total)) return;
        std::cerr << "\rrgs: importing " << done << "/" << total << " objects" << (done == total ? "\n" : "")
                  << std::flush;
      };
      Status s = store::Import(*ctx.catalog, *entries, {o->overwrite_owner, o->replace_settings, o->resolve}, &plan,
                               &problems, progress);
      if (!s.ok() && problems.empty()) return s;
    }
    if (!problems.empty()) {
      std::string msg = "'" + o->file + "' cannot be imported; nothing was changed:";
      // A hostile archive can have a problem per entry (100,000): the first ones say what is wrong.
      constexpr size_t kListed = 100;
      for (size_t i = 0; i < problems.size() && i < kListed; ++i) msg += "\n" + problems[i];
      if (problems.size() > kListed)
        msg += "\n... and " + std::to_string(problems.size() - kListed) + " more problems (" +
               std::to_string(problems.size()) + " in all)";
      return Invalid(msg);
    }
    ShowPlan(ctx, plan, ctx.whatif);
    ctx.own_whatif_report = true;
    ctx.summary = "imported '" + o->file + "' from pool '" + plan.source_pool + "' (revision " +
                  std::to_string(plan.source_revision) + ")";
    return Status::Ok();
  };
}

}  // namespace rgs::cli
