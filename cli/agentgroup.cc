// Cmdlets of the agent group family: new-, get-, set-, remove-agentgroup (reference 2.2).
#include <strings.h>

#include "cli/nouns.h"

namespace rgs::cli {
namespace {

using core::AgentGroup;

const store::Labeler& AgentGroupLabel() {
  static const store::Labeler label = OptionLabeler({{"AgentsByUri", "--agent"}, {"Name", "--name"}});
  return label;
}

// The per-property options of new- and set-agentgroup.
struct GroupOptions {
  std::optional<std::string> description, alert_time, policy, routing, distribution;
  void Add(CLI::App& app) {
    app.add_option("--description", description, "free text");
    app.add_option("--agent-alert-time", alert_time, "seconds an offer rings each agent: 10-600 (default 20)");
    app.add_option("--participation-policy", policy, "informal (default) or formal");
    app.add_option("--routing-method", routing, "parallel (default), longest-idle, serial, round-robin or attendant");
    app.add_option("--distribution-group-address", distribution,
                   "an e-mail distribution list whose members are agents");
  }
  Status Apply(AgentGroup& g) const {
    if (description) g.description = *description;
    if (alert_time) {
      auto v = ParseInt("--agent-alert-time", *alert_time);
      if (!v.ok()) return v.status();
      g.agent_alert_time = *v;
    }
    if (policy) {
      auto v = core::ParseParticipationPolicy(*policy);
      if (!v) return NotAChoice("--participation-policy", *policy);
      g.participation_policy = *v;
    }
    if (routing) {
      auto v = core::ParseRoutingMethod(*routing);
      if (!v) return NotAChoice("--routing-method", *routing);
      g.routing_method = *v;
    }
    if (distribution) g.distribution_group_address = *distribution;
    return Status::Ok();
  }
};

bool SameUri(const std::string& a, const std::string& b) { return strcasecmp(a.c_str(), b.c_str()) == 0; }

}  // namespace

Runner NewAgentGroup(CLI::App& app) {
  struct Opts {
    NameArg name;
    std::vector<std::string> agents;
    GroupOptions group;
  };
  auto o = std::make_shared<Opts>();
  o->name.Add(app, "agent group");
  app.add_option("--agent", o->agents, "an agent's SIP URI; repeat, in order (or a,b,c)");
  o->group.Add(app);
  return [o](Context& ctx) -> Status {
    auto name = o->name.Get("agent group");
    if (!name.ok()) return name.status();
    AgentGroup g;
    g.name = *name;
    RGS_RETURN_IF_ERROR(o->group.Apply(g));
    auto agents = SipUris("--agent", o->agents);
    if (!agents.ok()) return agents.status();
    g.agents = *agents;
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(g, true, &ctx.warnings, AgentGroupLabel()));
    ctx.summary = "created agent group '" + g.name + "'";
    PrintObjects(ctx, {ctx.catalog->Present(g)}, true);
    return Status::Ok();
  };
}

Runner GetAgentGroup(CLI::App& app) {
  auto o = std::make_shared<GetOptions>();
  AddGetOptions(app, o.get(), "agent group");
  return [o](Context& ctx) -> Status { return GetObjects<AgentGroup>(ctx, *o); };
}

Runner SetAgentGroup(CLI::App& app) {
  struct Opts {
    std::string identity, instance;
    std::optional<std::string> name;
    ListEdit agents;
    GroupOptions group;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("IDENTITY", o->identity, "the agent group's name, GUID or identity");
  app.add_option("--name", o->name, "a new name");
  o->agents.Add(app, "agent", "an agent (SIP URI)");
  app.add_option("--instance", o->instance, "FILE or -: the whole group as YAML or JSON, as get-agentgroup prints it");
  o->group.Add(app);
  return [o](Context& ctx) -> Status {
    if (!o->instance.empty()) {
      if (o->name || o->agents.any() || o->group.description || o->group.alert_time || o->group.policy ||
          o->group.routing || o->group.distribution)
        return Usage("--instance replaces the whole object: give no property options with it");
      return SetFromInstance<AgentGroup>(ctx, o->identity, o->instance);
    }
    if (o->identity.empty()) return Usage("name the agent group to change (IDENTITY) or give --instance");
    auto g = ctx.catalog->Find<AgentGroup>(o->identity);
    if (!g.ok()) return g.status();
    RGS_RETURN_IF_ERROR(o->group.Apply(*g));
    if (o->name) g->name = *o->name;
    static const ListEdit::Entries kAgents{
        SipUris, SameUri, [](const std::string&, const std::string& given) { return "'" + given + "'"; }};
    RGS_RETURN_IF_ERROR(o->agents.Apply(&g->agents, kAgents, "is not an agent of agent group '" + g->name + "'",
                                        "is already an agent of agent group '" + g->name + "'"));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(*g, false, &ctx.warnings, AgentGroupLabel()));
    ctx.summary = "changed agent group '" + g->name + "'";
    return Status::Ok();
  };
}

Runner RemoveAgentGroup(CLI::App& app) {
  auto identity = std::make_shared<std::string>();
  app.add_option("IDENTITY", *identity, "the agent group's name, GUID or identity")->required();
  return [identity](Context& ctx) -> Status {
    auto g = ctx.catalog->Find<AgentGroup>(*identity);
    if (!g.ok()) return g.status();
    return RemoveObject(ctx, store::kAgentGroup, g->guid, g->name);
  };
}

}  // namespace rgs::cli
