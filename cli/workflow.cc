// Cmdlets of the workflow family: new-, get-, set-, remove-workflow (reference 2.4).
#include "cli/nouns.h"

namespace rgs::cli {
namespace {

using core::Workflow;

const store::Labeler& WorkflowLabel() {
  static const store::Labeler label = OptionLabeler({{"ManagersByUri", "--manager"},
                                                     {"HolidaySetIDList", "--holiday-set"},
                                                     {"BusinessHoursID", "--business-hours"},
                                                     {"CustomMusicOnHoldFile", "--custom-music-on-hold-file"},
                                                     {"DefaultAction", "--default-action"},
                                                     {"NonBusinessHoursAction", "--non-business-hours-action"},
                                                     {"HolidayAction", "--holiday-action"},
                                                     {"Name", "--name"}});
  return label;
}

// Reads --question-file: one question tree as YAML or JSON (the Question of an action).
Result<std::shared_ptr<core::Question>> ReadQuestionFile(Context& ctx, const std::string& path) {
  auto inst = ReadInstance(path, "--question-file");
  if (!inst.ok()) return inst.status();
  auto q = std::make_shared<core::Question>();
  core::Problems problems;
  store::FromDoc(inst->doc, ctx.catalog->resolver(), q.get(), &problems);
  RGS_RETURN_IF_ERROR(AsDocumentStatus(store::ToStatus("", problems, inst->label)));
  core::Problems checks = core::ValidateQuestion(*q, "");
  for (auto& p : checks) p.property = p.property.empty() ? "" : p.property.substr(p.property[0] == '.' ? 1 : 0);
  RGS_RETURN_IF_ERROR(AsDocumentStatus(store::ToStatus("", checks, inst->label)));
  return q;
}

// The per-property options of new- and set-workflow.
struct WorkflowOptions {
  std::optional<std::string> primary_uri, line_uri, display_number, description, active, anonymous, federation, managed,
      language, time_zone, business_hours, music, question_file;
  ActionOption default_action{"default", {}, {}}, after_hours{"non-business-hours", {}, {}}, holiday{"holiday", {}, {}};

  void Add(CLI::App& app) {
    app.add_option("--primary-uri", primary_uri, "the workflow's SIP address (sip:help@example.com), unique");
    app.add_option("--line-uri", line_uri, "its phone number, tel:+DIGITS, unique ('none' to clear)");
    app.add_option("--display-number", display_number, "the number as clients show it");
    app.add_option("--description", description, "free text, shown on the contact card");
    app.add_option("--active", active, "true: takes calls (and is fully validated); false (default)");
    app.add_option("--anonymous", anonymous, "true: callers do not see which agent answered");
    app.add_option("--enabled-for-federation", federation, "true: callers from federated domains are accepted");
    app.add_option("--managed", managed, "true: a managed workflow, shares no queue or agent group");
    app.add_option("--language", language, "prompt and speech language, e.g. en-US (default), fr-FR; one of 26");
    app.add_option("--time-zone", time_zone,
                   "where its hours and holidays are: an IANA name or a Windows id (default UTC)");
    app.add_option("--business-hours", business_hours, "the hours of business (name), or none (always open)");
    app.add_option("--custom-music-on-hold-file", music, "hold music for this workflow (audio file), or none");
    app.add_option("--question-file", question_file, "FILE or -: the IVR question tree as YAML or JSON");
    default_action.Add(app, "what an open workflow does: queue:NAME, or question (with --question-file)");
    after_hours.Add(app,
                    "outside business hours: terminate, uri:SIP-URI, voicemail:SIP-URI, pstn:... ('none' to clear)");
    holiday.Add(app, "on a holiday: terminate, uri:SIP-URI, voicemail:SIP-URI, pstn:... ('none' to clear)");
  }
  bool any() const {
    return primary_uri || line_uri || display_number || description || active || anonymous || federation || managed ||
           language || time_zone || business_hours || music || question_file || default_action.action ||
           !default_action.prompt.empty() || after_hours.action || !after_hours.prompt.empty() || holiday.action ||
           !holiday.prompt.empty();
  }

  Status Apply(Context& ctx, Workflow& w) const {
    auto text = [](const std::optional<std::string>& v, std::string* out) {
      if (v) *out = strcasecmp(v->c_str(), "none") == 0 ? "" : *v;
    };
    if (primary_uri) w.primary_uri = *primary_uri;
    text(line_uri, &w.line_uri);
    text(display_number, &w.display_number);
    if (description) w.description = *description;
    for (auto [opt, name, field] :
         {std::tuple{&active, "--active", &w.active}, std::tuple{&anonymous, "--anonymous", &w.anonymous},
          std::tuple{&federation, "--enabled-for-federation", &w.enabled_for_federation},
          std::tuple{&managed, "--managed", &w.managed}}) {
      if (!*opt) continue;
      auto v = ParseBool(name, **opt);
      if (!v.ok()) return v.status();
      *field = *v;
    }
    if (language) {
      // Language codes are matched without regard to case and kept as the reference spells them.
      w.language = *language;
      for (const auto& l : core::Languages())
        if (strcasecmp(l.c_str(), language->c_str()) == 0) w.language = l;
    }
    if (time_zone) w.time_zone = *time_zone;
    if (business_hours)
      RGS_RETURN_IF_ERROR(
          ResolveOrNone(ctx, store::kHoursOfBusiness, "--business-hours", *business_hours, &w.business_hours));
    if (music)
      RGS_RETURN_IF_ERROR(
          ResolveOrNone(ctx, store::kAudioFile, "--custom-music-on-hold-file", *music, &w.custom_music_on_hold));
    std::shared_ptr<core::Question> question;
    if (question_file) {
      auto q = ReadQuestionFile(ctx, *question_file);
      if (!q.ok()) return q.status();
      question = *q;
    }
    std::shared_ptr<core::Question> previous =
        w.default_action && w.default_action->action == core::ActionKind::kTransferToQuestion
            ? w.default_action->question
            : nullptr;
    if (question && !default_action.action) {
      // --question-file alone makes the default action that question, keeping its welcome prompt.
      auto prompt = w.default_action ? w.default_action->prompt : std::nullopt;
      w.default_action = core::CallAction{};
      w.default_action->action = core::ActionKind::kTransferToQuestion;
      w.default_action->prompt = prompt;
    }
    RGS_RETURN_IF_ERROR(default_action.Apply(ctx, &w.default_action));
    bool asks = w.default_action && w.default_action->action == core::ActionKind::kTransferToQuestion;
    if (question && !asks)
      return Usage("--question-file goes with --default-action question, not '" + default_action.action.value_or("") +
                   "'");
    if (asks) {
      w.default_action->question = question ? question : previous;
      if (!w.default_action->question)
        return Usage("--default-action question needs --question-file with the question tree");
    }
    RGS_RETURN_IF_ERROR(after_hours.Apply(ctx, &w.non_business_hours_action));
    return holiday.Apply(ctx, &w.holiday_action);
  }
};

}  // namespace

Runner NewWorkflow(CLI::App& app) {
  struct Opts {
    NameArg name;
    std::vector<std::string> managers, holiday_sets;
    WorkflowOptions wf;
  };
  auto o = std::make_shared<Opts>();
  o->name.Add(app, "workflow");
  app.add_option("--manager", o->managers, "a manager's SIP URI; repeatable");
  app.add_option("--holiday-set", o->holiday_sets, "a holiday set (name); repeatable");
  o->wf.Add(app);
  return [o](Context& ctx) -> Status {
    auto name = o->name.Get("workflow");
    if (!name.ok()) return name.status();
    if (!o->wf.primary_uri) return Usage("--primary-uri is required: the workflow's SIP address");
    Workflow w;
    w.name = *name;
    auto managers = SipUris("--manager", o->managers);
    if (!managers.ok()) return managers.status();
    w.managers = *managers;
    auto sets = ResolveAll(ctx, store::kHolidaySet, "--holiday-set", o->holiday_sets);
    if (!sets.ok()) return sets.status();
    w.holiday_sets = *sets;
    RGS_RETURN_IF_ERROR(o->wf.Apply(ctx, w));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(w, true, &ctx.warnings, WorkflowLabel()));
    ctx.summary = "created workflow '" + w.name + "'";
    PrintObjects(ctx, {ctx.catalog->Present(w)}, true);
    return Status::Ok();
  };
}

Runner GetWorkflow(CLI::App& app) {
  auto o = std::make_shared<GetOptions>();
  AddGetOptions(app, o.get(), "workflow");
  return [o](Context& ctx) -> Status { return GetObjects<Workflow>(ctx, *o); };
}

Runner SetWorkflow(CLI::App& app) {
  struct Opts {
    std::string identity, instance;
    std::optional<std::string> name;
    ListEdit managers, sets;
    WorkflowOptions wf;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("IDENTITY", o->identity, "the workflow's name, GUID or identity");
  app.add_option("--name", o->name, "a new name");
  o->managers.Add(app, "manager", "a manager (SIP URI)");
  o->sets.Add(app, "holiday-set", "a holiday set");
  app.add_option("--instance", o->instance, "FILE or -: the whole workflow as YAML or JSON, as get-workflow prints it");
  o->wf.Add(app);
  return [o](Context& ctx) -> Status {
    if (!o->instance.empty()) {
      if (o->name || o->wf.any() || o->managers.any() || o->sets.any())
        return Usage("--instance replaces the whole object: give no property options with it");
      return SetFromInstance<Workflow>(ctx, o->identity, o->instance);
    }
    if (o->identity.empty()) return Usage("name the workflow to change (IDENTITY) or give --instance");
    auto w = ctx.catalog->Find<Workflow>(o->identity);
    if (!w.ok()) return w.status();
    if (o->name) w->name = *o->name;
    static const ListEdit::Entries kManagers{
        SipUris, [](const std::string& a, const std::string& b) { return strcasecmp(a.c_str(), b.c_str()) == 0; },
        [](const std::string&, const std::string& given) { return "'" + given + "'"; }};
    RGS_RETURN_IF_ERROR(o->managers.Apply(&w->managers, kManagers, "is not a manager of workflow '" + w->name + "'",
                                          "is already a manager of workflow '" + w->name + "'"));
    ListEdit::Entries sets{[&ctx](const std::string& option, const std::vector<std::string>& refs) {
                             return ResolveAll(ctx, store::kHolidaySet, option, refs);
                           },
                           std::equal_to<std::string>(),
                           [&ctx](const std::string& guid, const std::string& given) {
                             return "holiday set '" + StoredName(ctx, store::kHolidaySet, guid, given) + "'";
                           }};
    RGS_RETURN_IF_ERROR(o->sets.Apply(&w->holiday_sets, sets, "is not in workflow '" + w->name + "'",
                                      "is already in workflow '" + w->name + "'"));
    RGS_RETURN_IF_ERROR(o->wf.Apply(ctx, *w));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(*w, false, &ctx.warnings, WorkflowLabel()));
    ctx.summary = "changed workflow '" + w->name + "'";
    return Status::Ok();
  };
}

Runner RemoveWorkflow(CLI::App& app) {
  auto identity = std::make_shared<std::string>();
  app.add_option("IDENTITY", *identity, "the workflow's name, GUID or identity")->required();
  return [identity](Context& ctx) -> Status {
    auto w = ctx.catalog->Find<Workflow>(*identity);
    if (!w.ok()) return w.status();
    // Reference 1.15: deleting an active workflow needs confirmation.
    if (w->active && !ctx.Confirm("rgs: workflow '" + w->name + "' is active and takes calls. Remove it?"))
      return Invalid("workflow '" + w->name +
                     "' is active; use --force to remove it anyway (or set --active false first)");
    return RemoveObject(ctx, store::kWorkflow, w->guid, w->name);
  };
}

}  // namespace rgs::cli
