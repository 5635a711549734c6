// Cmdlets of the service settings: get-, set-configuration (reference 2.1), and
// test-configuration, which checks the whole store.
#include "cli/nouns.h"

namespace rgs::cli {

Runner GetConfiguration(CLI::App& app) {
  struct Opts {
    std::string identity, revision;
  };
  // The handler keeps the options alive: CLI11 writes into them after this function returns.
  auto o = std::make_shared<Opts>();
  app.add_option("IDENTITY", o->identity,
                 "the store's pool, as service:ApplicationServer:POOL or POOL; another pool's is not found");
  app.add_option("--revision", o->revision, "read the settings as of revision N");
  return [o](Context& ctx) -> Status {
    if (!o->identity.empty() && !store::SamePool(o->identity, ctx.store->pool()))
      return NotFound("service settings of pool '" + store::ServicePool(o->identity) +
                      "' not found: this store serves pool '" + ctx.store->pool() + "'");
    auto at = RevisionOption(ctx, o->revision);
    if (!at.ok()) return at.status();
    auto s = ctx.catalog->Settings(*at);
    if (!s.ok()) return s.status();
    PrintObjects(ctx, {ctx.catalog->Present(*s)}, true);
    return Status::Ok();
  };
}

Runner SetConfiguration(CLI::App& app) {
  struct Opts {
    std::optional<std::string> grace, moh, no_context;
    std::string instance;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("--agent-ringback-grace-period", o->grace,
                 "seconds before a call an agent declined is offered to that agent again: 30-600 (default 60)");
  app.add_option("--default-music-on-hold-file", o->moh,
                 "the pool's hold music: an audio file, or none (built-in music)");
  app.add_option("--disable-call-context", o->no_context,
                 "true: agents are not shown the caller's wait and IVR answers");
  app.add_option("--instance", o->instance,
                 "FILE or -: the settings as YAML or JSON, as get-configuration prints them");
  return [o](Context& ctx) -> Status {
    auto current = ctx.catalog->Settings();
    if (!current.ok()) return current.status();
    core::ServiceSettings s = *current;
    if (!o->instance.empty()) {
      if (o->grace || o->moh || o->no_context)
        return Usage("--instance replaces the whole object: give no property options with it");
      auto inst = ReadInstance(o->instance);
      if (!inst.ok()) return inst.status();
      core::Problems problems;
      store::FromDoc(inst->doc, ctx.catalog->resolver(), &s, &problems);
      RGS_RETURN_IF_ERROR(AsDocumentStatus(store::ToStatus("", problems, inst->label)));
      RGS_RETURN_IF_ERROR(AsDocumentStatus(ctx.catalog->SaveSettings(s, inst->label)));
    } else {
      if (o->grace) {
        auto v = ParseInt("--agent-ringback-grace-period", *o->grace);
        if (!v.ok()) return v.status();
        s.agent_ringback_grace_period = *v;
      }
      if (o->moh)
        RGS_RETURN_IF_ERROR(
            ResolveOrNone(ctx, store::kAudioFile, "--default-music-on-hold-file", *o->moh, &s.default_music_on_hold));
      if (o->no_context) {
        auto v = ParseBool("--disable-call-context", *o->no_context);
        if (!v.ok()) return v.status();
        s.disable_call_context = *v;
      }
      RGS_RETURN_IF_ERROR(ctx.catalog->SaveSettings(s, OptionLabeler({})));
    }
    ctx.summary = "changed the service settings";
    return Status::Ok();
  };
}

namespace {

std::string Counted(size_t n, const std::string& what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

std::string Subject(const store::Finding& f) {
  return f.kind == store::kSettings ? "service settings" : store::Noun(f.kind) + " '" + f.name + "'";
}

}  // namespace

// One line per finding, objects by name; in the document formats one object per finding, with
// the identities (GUIDs) a line leaves out. Errors make the exit status 5, warnings alone do not.
Runner TestConfiguration(CLI::App&) {
  return [](Context& ctx) -> Status {
    size_t objects = 0;
    auto findings = ctx.catalog->Check(&objects);
    if (!findings.ok()) return findings.status();
    size_t errors = std::count_if(findings->begin(), findings->end(), [](const auto& f) { return f.error; });
    size_t warnings = findings->size() - errors;
    if (ctx.format == Format::kList) {
      for (const auto& f : *findings)
        ctx.out << (f.error ? "error: " : "warning: ") << Subject(f) << ": "
                << (f.property.empty() ? "" : f.property + ": ") << f.message << "\n";
      ctx.out << Counted(errors, "error") << ", " << Counted(warnings, "warning") << " in "
              << Counted(objects, "object") << "\n";
    } else {
      std::vector<store::Json> docs;
      const std::string& pool = ctx.store->pool();
      for (const auto& f : *findings) {
        store::Json d;
        d["Severity"] = f.error ? "Error" : "Warning";
        d["Kind"] = store::Noun(f.kind);
        d["Name"] = f.kind == store::kSettings ? store::Json() : store::Json(f.name);
        d["Identity"] = f.kind == store::kSettings ? store::ServiceId(pool) : store::IdentityOf(pool, f.guid);
        d["Property"] = f.property.empty() ? store::Json() : store::Json(f.property);
        d["Problem"] = f.message;
        d["Missing"] = f.missing.empty() ? store::Json() : store::Json(store::IdentityOf(pool, f.missing));
        docs.push_back(std::move(d));
      }
      PrintObjects(ctx, docs, false);
    }
    if (errors == 0) return Status::Ok();
    return Invalid("the configuration has " + Counted(errors, "error"));
  };
}

}  // namespace rgs::cli
