// Cmdlets about calls: what rgsd recorded (get-callrecord, get-queuestatistics, from the store)
// and what it is doing now (set-agentstate, get-agentstate, get-queuestate, over its control
// socket).
#include "store/calls.h"
#include "cli/nouns.h"
#include "control/client.h"
#include "tz/zone.h"

namespace rgs::cli {
namespace {

struct CallOptions {
  std::string workflow, queue, since, until, last;
};

void AddCallOptions(CLI::App& app, CallOptions* o, bool last) {
  app.add_option("--workflow", o->workflow, "only calls to this workflow (name or GUID)");
  app.add_option("--queue", o->queue, "only calls that visited this queue (name or GUID)");
  app.add_option("--since", o->since, "from this instant (ISO 8601, UTC unless it has an offset), inclusive");
  app.add_option("--until", o->until, "up to this instant, exclusive");
  if (last) app.add_option("--last", o->last, "only the newest N calls");
}

// An instant option as the records write times: 2026-11-24T10:00:00.000Z.
Result<std::string> Bound(const std::string& option, const std::string& text) {
  if (text.empty()) return std::string();
  auto t = tz::ParseInstant(text, "UTC");
  if (!t.ok()) return Usage(option + ": " + t.status().message());
  std::string s = tz::FormatUtc(*t);
  return s.substr(0, s.size() - 1) + ".000Z";
}

Result<store::CallFilter> Filter(const CallOptions& o) {
  store::CallFilter f;
  f.workflow = o.workflow;
  f.queue = o.queue;
  auto since = Bound("--since", o.since);
  if (!since.ok()) return since.status();
  auto until = Bound("--until", o.until);
  if (!until.ok()) return until.status();
  f.since = *since;
  f.until = *until;
  if (!f.since.empty() && !f.until.empty() && f.until <= f.since)
    return Usage("--until " + o.until + " is not after --since " + o.since);
  if (!o.last.empty()) {
    auto n = ParseInt("--last", o.last);
    if (!n.ok()) return n.status();
    if (*n < 1) return Invalid("--last: " + o.last + " is out of range: at least 1");
    f.last = *n;
  }
  return f;
}

// --control PATH, shared by the cmdlets that ask rgsd.
void AddControlOption(CLI::App& app, std::string* path) {
  app.add_option("--control", *path, "rgsd's control socket (default $RGS_CONTROL, else /run/rgs/rgsd.sock)");
}

Status PrintResult(Context& ctx, const Result<store::Json>& r) {
  if (!r.ok()) return r.status();
  if (ctx.quiet) return Status::Ok();
  std::vector<store::Json> docs;
  if (r->is_array())
    for (const auto& j : *r) docs.push_back(j);
  PrintObjects(ctx, docs, false);
  return Status::Ok();
}

}  // namespace

namespace {

// get-callrecord and get-queuestatistics: the filter options, one query of the store, a list.
Runner ReadCalls(CLI::App& app, bool last,
                 Result<std::vector<store::Json>> (*query)(store::Store&, const store::CallFilter&)) {
  auto o = std::make_shared<CallOptions>();
  AddCallOptions(app, o.get(), last);
  return [o, query](Context& ctx) -> Status {
    auto f = Filter(*o);
    if (!f.ok()) return f.status();
    auto rows = query(*ctx.store, *f);
    if (!rows.ok()) return rows.status();
    PrintObjects(ctx, *rows, false);
    return Status::Ok();
  };
}

}  // namespace

Runner GetCallRecord(CLI::App& app) { return ReadCalls(app, true, store::CallRecords); }

Runner GetQueueStatistics(CLI::App& app) { return ReadCalls(app, false, store::QueueStatistics); }

Runner SetAgentState(CLI::App& app) {
  struct Opts {
    std::string agent, group, control;
    bool in = false, out = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("--agent", o->agent, "the agent's SIP URI")->required();
  app.add_option("--group", o->group, "the formal agent group (name or GUID)")->required();
  auto* in = app.add_flag("--signed-in", o->in, "sign the agent in to the group: it may be offered the group's calls");
  auto* out = app.add_flag("--signed-out", o->out, "sign the agent out of the group");
  in->excludes(out);
  AddControlOption(app, &o->control);
  return [o](Context& ctx) -> Status {
    if (!o->in && !o->out) return Usage("give --signed-in or --signed-out");
    if (std::string err = core::CheckSipUri(o->agent); !err.empty()) return Usage("--agent: '" + o->agent + "' " + err);
    std::string path = control::SocketPath(o->control);
    if (ctx.whatif) {
      // Checks the agent and group with rgsd and changes nothing.
      auto now = control::Call(path, store::Json{{"op", "get-agentstate"}, {"agent", o->agent}, {"group", o->group}});
      if (!now.ok()) return now.status();
      ctx.out << "What if: " << (o->in ? "signing " + o->agent + " in to '" : "signing " + o->agent + " out of '")
              << o->group << "' (now "
              << ((*now).size() == 1 && (*now)[0].value("SignedIn", false) ? "signed in" : "signed out") << ")\n";
      return Status::Ok();
    }
    store::Json req{{"op", "set-agentstate"}, {"agent", o->agent}, {"group", o->group}, {"signed_in", o->in}};
    return PrintResult(ctx, control::Call(path, req));
  };
}

Runner GetAgentState(CLI::App& app) {
  struct Opts {
    std::string agent, group, control;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("--agent", o->agent, "only this agent (SIP URI)");
  app.add_option("--group", o->group, "only this agent group (name or GUID)");
  AddControlOption(app, &o->control);
  return [o](Context& ctx) -> Status {
    if (!o->agent.empty())
      if (std::string err = core::CheckSipUri(o->agent); !err.empty())
        return Usage("--agent: '" + o->agent + "' " + err);
    store::Json req{{"op", "get-agentstate"}, {"agent", o->agent}, {"group", o->group}};
    return PrintResult(ctx, control::Call(control::SocketPath(o->control), req));
  };
}

Runner GetQueueState(CLI::App& app) {
  auto control = std::make_shared<std::string>();
  AddControlOption(app, control.get());
  return [control](Context& ctx) -> Status {
    return PrintResult(ctx, control::Call(control::SocketPath(*control), store::Json{{"op", "get-queuestate"}}));
  };
}

}  // namespace rgs::cli
