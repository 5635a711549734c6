// Cmdlets of the holiday set family: new-, get-, set-, remove-holidayset (reference 2.6).
#include "cli/nouns.h"

namespace rgs::cli {
namespace {

using core::HolidaySet;

const store::Labeler& HolidaySetLabel() {
  static const store::Labeler label = OptionLabeler({{"HolidayList", "--holiday"}, {"Name", "--name"}});
  return label;
}

// "NAME=START/END" with ISO-8601 local dates or date-times: [START, END).
Result<core::Holiday> ParseHoliday(const std::string& option, const std::string& text) {
  size_t eq = text.rfind('=');
  size_t slash = eq == std::string::npos ? std::string::npos : text.find('/', eq);
  if (eq == std::string::npos || eq == 0 || slash == std::string::npos)
    return Usage(option + ": '" + text +
                 "' is not a holiday (NAME=START/END, e.g. \"Christmas=2026-12-25/2026-12-26\")");
  core::Holiday h;
  h.name = text.substr(0, eq);
  std::string start = text.substr(eq + 1, slash - eq - 1), end = text.substr(slash + 1);
  auto s = core::ParseLocalDateTime(start), e = core::ParseLocalDateTime(end);
  if (!s) return Usage(option + ": '" + start + "' is not a local date or date-time (YYYY-MM-DD[THH:MM])");
  if (!e) return Usage(option + ": '" + end + "' is not a local date or date-time (YYYY-MM-DD[THH:MM])");
  h.start = *s;
  h.end = *e;
  return h;
}

Status AddHolidays(const std::string& option, const std::vector<std::string>& texts, HolidaySet& set) {
  for (const auto& t : texts) {
    auto h = ParseHoliday(option, t);
    if (!h.ok()) return h.status();
    for (const auto& existing : set.holidays)
      if (strcasecmp(existing.name.c_str(), h->name.c_str()) == 0)
        return AlreadyExists(option + ": holiday '" + h->name + "' is already in holiday set '" + set.name + "'");
    set.holidays.push_back(*h);
  }
  return Status::Ok();
}

}  // namespace

Runner NewHolidaySet(CLI::App& app) {
  struct Opts {
    NameArg name;
    std::vector<std::string> holidays;
  };
  auto o = std::make_shared<Opts>();
  o->name.Add(app, "holiday set");
  app.add_option("--holiday", o->holidays, "NAME=START/END in local time, [START, END); repeatable, at least one");
  return [o](Context& ctx) -> Status {
    auto name = o->name.Get("holiday set");
    if (!name.ok()) return name.status();
    if (o->holidays.empty()) return Usage("--holiday is required: a new holiday set needs at least one holiday");
    HolidaySet s;
    s.name = *name;
    RGS_RETURN_IF_ERROR(AddHolidays("--holiday", o->holidays, s));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(s, true, &ctx.warnings, HolidaySetLabel()));
    ctx.summary = "created holiday set '" + s.name + "'";
    PrintObjects(ctx, {ctx.catalog->Present(s)}, true);
    return Status::Ok();
  };
}

Runner GetHolidaySet(CLI::App& app) {
  auto o = std::make_shared<GetOptions>();
  AddGetOptions(app, o.get(), "holiday set");
  return [o](Context& ctx) -> Status { return GetObjects<HolidaySet>(ctx, *o); };
}

Runner SetHolidaySet(CLI::App& app) {
  struct Opts {
    std::string identity, instance;
    std::optional<std::string> name;
    std::vector<std::string> add, remove;
    bool clear = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("IDENTITY", o->identity, "the holiday set's name, GUID or identity");
  app.add_option("--name", o->name, "a new name");
  app.add_option("--add-holiday", o->add, "NAME=START/END; repeatable");
  app.add_option("--remove-holiday", o->remove, "remove the holiday of this name; repeatable");
  app.add_flag("--clear-holidays", o->clear, "remove every holiday (before any --add-holiday)");
  app.add_option("--instance", o->instance, "FILE or -: the whole set as YAML or JSON, as get-holidayset prints it");
  return [o](Context& ctx) -> Status {
    if (!o->instance.empty()) {
      if (o->name || !o->add.empty() || !o->remove.empty() || o->clear)
        return Usage("--instance replaces the whole object: give no property options with it");
      return SetFromInstance<HolidaySet>(ctx, o->identity, o->instance);
    }
    if (o->identity.empty()) return Usage("name the holiday set to change (IDENTITY) or give --instance");
    auto s = ctx.catalog->Find<HolidaySet>(o->identity);
    if (!s.ok()) return s.status();
    if (o->name) s->name = *o->name;
    if (o->clear) s->holidays.clear();
    for (const auto& name : o->remove) {
      auto it = std::find_if(s->holidays.begin(), s->holidays.end(),
                             [&](const core::Holiday& h) { return strcasecmp(h.name.c_str(), name.c_str()) == 0; });
      if (it == s->holidays.end())
        return NotFound("--remove-holiday: holiday '" + name + "' is not in holiday set '" + s->name + "'");
      s->holidays.erase(it);
    }
    RGS_RETURN_IF_ERROR(AddHolidays("--add-holiday", o->add, *s));
    static const store::Labeler set_label = OptionLabeler({{"HolidayList", "--add-holiday"}, {"Name", "--name"}});
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(*s, false, &ctx.warnings, set_label));
    ctx.summary = "changed holiday set '" + s->name + "'";
    return Status::Ok();
  };
}

Runner RemoveHolidaySet(CLI::App& app) {
  auto identity = std::make_shared<std::string>();
  app.add_option("IDENTITY", *identity, "the holiday set's name, GUID or identity")->required();
  return [identity](Context& ctx) -> Status {
    auto s = ctx.catalog->Find<HolidaySet>(*identity);
    if (!s.ok()) return s.status();
    return RemoveObject(ctx, store::kHolidaySet, s->guid, s->name);
  };
}

}  // namespace rgs::cli
