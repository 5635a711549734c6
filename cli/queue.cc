// Cmdlets of the queue family: new-, get-, set-, remove-queue (reference 2.3).
#include <strings.h>

#include "cli/nouns.h"

namespace rgs::cli {
namespace {

using core::Queue;

const store::Labeler& QueueLabel() {
  static const store::Labeler label = OptionLabeler({{"AgentGroupIDList", "--agent-group"}, {"Name", "--name"}});
  return label;
}

struct QueueOptions {
  std::optional<std::string> description, timeout_threshold, overflow_threshold, overflow_candidate;
  ActionOption timeout{"timeout", {}, {}}, overflow{"overflow", {}, {}};

  void Add(CLI::App& app) {
    app.add_option("--description", description, "free text");
    app.add_option("--timeout-threshold", timeout_threshold, "seconds a call may wait: 10-65535, or none (default)");
    timeout.Add(app,
                "what happens when a call has waited the timeout threshold: terminate, queue:NAME, uri:SIP-URI, "
                "voicemail:SIP-URI, pstn:tel:+DIGITS or pstn:sip:+DIGITS@DOMAIN ('none' to clear)");
    app.add_option("--overflow-threshold", overflow_threshold,
                   "calls the queue holds before overflow: 0-1000, or none (default)");
    app.add_option("--overflow-candidate", overflow_candidate, "which call overflows: newest (default) or oldest");
    overflow.Add(app,
                 "what happens to the overflow candidate: terminate, queue:NAME, uri:SIP-URI, "
                 "voicemail:SIP-URI, pstn:tel:+DIGITS or pstn:sip:+DIGITS@DOMAIN ('none' to clear)");
  }
  bool any() const {
    return description || timeout_threshold || overflow_threshold || overflow_candidate || timeout.action ||
           !timeout.prompt.empty() || overflow.action || !overflow.prompt.empty();
  }
  Status Apply(Context& ctx, Queue& q) const {
    if (description) q.description = *description;
    if (timeout_threshold) {
      auto v = ParseOptionalInt("--timeout-threshold", *timeout_threshold);
      if (!v.ok()) return v.status();
      q.timeout_threshold = *v;
    }
    if (overflow_threshold) {
      auto v = ParseOptionalInt("--overflow-threshold", *overflow_threshold);
      if (!v.ok()) return v.status();
      q.overflow_threshold = *v;
    }
    if (overflow_candidate) {
      auto v = core::ParseOverflowCandidate(*overflow_candidate);
      if (!v) return NotAChoice("--overflow-candidate", *overflow_candidate);
      q.overflow_candidate = *v;
    }
    RGS_RETURN_IF_ERROR(timeout.Apply(ctx, &q.timeout_action));
    return overflow.Apply(ctx, &q.overflow_action);
  }
};

}  // namespace

Runner NewQueue(CLI::App& app) {
  struct Opts {
    NameArg name;
    std::vector<std::string> groups;
    QueueOptions queue;
  };
  auto o = std::make_shared<Opts>();
  o->name.Add(app, "queue");
  app.add_option("--agent-group", o->groups, "an agent group (name or identity); repeat, in order (or a,b,c)");
  o->queue.Add(app);
  return [o](Context& ctx) -> Status {
    auto name = o->name.Get("queue");
    if (!name.ok()) return name.status();
    Queue q;
    q.name = *name;
    auto groups = ResolveAll(ctx, store::kAgentGroup, "--agent-group", o->groups);
    if (!groups.ok()) return groups.status();
    q.agent_groups = *groups;
    RGS_RETURN_IF_ERROR(o->queue.Apply(ctx, q));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(q, true, &ctx.warnings, QueueLabel()));
    ctx.summary = "created queue '" + q.name + "'";
    PrintObjects(ctx, {ctx.catalog->Present(q)}, true);
    return Status::Ok();
  };
}

Runner GetQueue(CLI::App& app) {
  auto o = std::make_shared<GetOptions>();
  AddGetOptions(app, o.get(), "queue");
  return [o](Context& ctx) -> Status { return GetObjects<Queue>(ctx, *o); };
}

Runner SetQueue(CLI::App& app) {
  struct Opts {
    std::string identity, instance;
    std::optional<std::string> name;
    ListEdit groups;
    QueueOptions queue;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("IDENTITY", o->identity, "the queue's name, GUID or identity");
  app.add_option("--name", o->name, "a new name");
  o->groups.Add(app, "agent-group", "an agent group");
  app.add_option("--instance", o->instance, "FILE or -: the whole queue as YAML or JSON, as get-queue prints it");
  o->queue.Add(app);
  return [o](Context& ctx) -> Status {
    if (!o->instance.empty()) {
      if (o->name || o->groups.any() || o->queue.any())
        return Usage("--instance replaces the whole object: give no property options with it");
      return SetFromInstance<Queue>(ctx, o->identity, o->instance);
    }
    if (o->identity.empty()) return Usage("name the queue to change (IDENTITY) or give --instance");
    auto q = ctx.catalog->Find<Queue>(o->identity);
    if (!q.ok()) return q.status();
    if (o->name) q->name = *o->name;
    ListEdit::Entries groups{
        [&ctx](const std::string& option, const std::vector<std::string>& refs) {
          return ResolveAll(ctx, store::kAgentGroup, option, refs);
        },
        std::equal_to<std::string>(),
        [](const std::string&, const std::string& given) { return "agent group '" + given + "'"; }};
    RGS_RETURN_IF_ERROR(o->groups.Apply(&q->agent_groups, groups, "is not in queue '" + q->name + "'",
                                        "is already in queue '" + q->name + "'"));
    RGS_RETURN_IF_ERROR(o->queue.Apply(ctx, *q));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(*q, false, &ctx.warnings, QueueLabel()));
    ctx.summary = "changed queue '" + q->name + "'";
    return Status::Ok();
  };
}

Runner RemoveQueue(CLI::App& app) {
  auto identity = std::make_shared<std::string>();
  app.add_option("IDENTITY", *identity, "the queue's name, GUID or identity")->required();
  return [identity](Context& ctx) -> Status {
    auto q = ctx.catalog->Find<Queue>(*identity);
    if (!q.ok()) return q.status();
    return RemoveObject(ctx, store::kQueue, q->guid, q->name);
  };
}

}  // namespace rgs::cli
