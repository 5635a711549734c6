// Cmdlets of the revision family: get-, compare- and restore-revision.
#include "cli/nouns.h"

namespace rgs::cli {
namespace {

store::Json RevisionDoc(const store::Revision& r) {
  store::Json j;
  j["Revision"] = r.number;
  j["Time"] = r.time;
  j["Actor"] = r.actor;
  j["Role"] = r.role;
  j["Command"] = r.command;
  j["Summary"] = r.summary;
  return j;
}

// A revision number given as an argument: 0 up to the store's revision.
Result<int64_t> RevisionArg(Context& ctx, const std::string& what, const std::string& text) {
  auto n = ParseInt(what, text);
  if (!n.ok()) return n.status();
  if (*n < 0) return Usage(what + ": '" + text + "' is not a revision number");
  if (*n > ctx.store->revision())
    return NotFound("revision " + text + " not found: the store is at revision " +
                    std::to_string(ctx.store->revision()));
  return static_cast<int64_t>(*n);
}

}  // namespace

Runner GetRevision(CLI::App& app) {
  struct Opts {
    std::string number, last;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("REVISION", o->number, "show this revision only");
  app.add_option("--last", o->last, "show the newest N revisions");
  return [o](Context& ctx) -> Status {
    if (!o->number.empty()) {
      auto n = RevisionArg(ctx, "REVISION", o->number);
      if (!n.ok()) return n.status();
      auto r = ctx.store->GetRevision(*n);
      if (!r.ok()) return r.status();
      if (!r->has_value()) return NotFound("revision " + o->number + " not found");
      PrintObjects(ctx, {RevisionDoc(**r)}, true);
      return Status::Ok();
    }
    int64_t limit = -1;
    if (!o->last.empty()) {
      auto n = ParseInt("--last", o->last);
      if (!n.ok()) return n.status();
      if (*n < 1) return Invalid("--last: " + o->last + " is out of range: at least 1");
      limit = *n;
    }
    auto revs = ctx.store->Revisions(limit);
    if (!revs.ok()) return revs.status();
    std::vector<store::Json> docs;
    for (const auto& r : *revs) docs.push_back(RevisionDoc(r));
    PrintObjects(ctx, docs, false);
    return Status::Ok();
  };
}

Runner CompareRevision(CLI::App& app) {
  struct Opts {
    std::string a, b;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("A", o->a, "the older revision")->required();
  app.add_option("B", o->b, "the newer revision (default: the newest)");
  return [o](Context& ctx) -> Status {
    auto a = RevisionArg(ctx, "A", o->a);
    if (!a.ok()) return a.status();
    int64_t b = ctx.store->revision();
    if (!o->b.empty()) {
      auto v = RevisionArg(ctx, "B", o->b);
      if (!v.ok()) return v.status();
      b = *v;
    }
    auto changes = ctx.store->Compare(*a, b);
    if (!changes.ok()) return changes.status();
    PrintChanges(ctx, *changes, "");
    return Status::Ok();
  };
}

Runner RestoreRevision(CLI::App& app) {
  auto number = std::make_shared<std::string>();
  app.add_option("REVISION", *number, "the revision whose configuration to restore")->required();
  return [number](Context& ctx) -> Status {
    auto n = RevisionArg(ctx, "REVISION", *number);
    if (!n.ok()) return n.status();
    RGS_RETURN_IF_ERROR(ctx.catalog->Restore(*n));
    ctx.summary = "restored the configuration of revision " + *number;
    return Status::Ok();
  };
}

}  // namespace rgs::cli
