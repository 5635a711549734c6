// Cmdlets of the hours-of-business family: new-, get-, set-, remove-hoursofbusiness (reference 2.5).
#include "cli/nouns.h"

namespace rgs::cli {
namespace {

using core::HoursOfBusiness;

const char* kDayOptions[core::kDays] = {"--monday", "--tuesday",  "--wednesday", "--thursday",
                                        "--friday", "--saturday", "--sunday"};

// "08:00-12:00,13:00-17:00" (at most two ranges) or "closed".
Status ParseDay(const std::string& option, const std::string& text, std::optional<core::TimeRange> out[2]) {
  out[0].reset();
  out[1].reset();
  if (strcasecmp(text.c_str(), "closed") == 0 || text.empty()) return Status::Ok();
  auto ranges = SplitList({text});
  if (ranges.size() > 2)
    return Invalid(option + ": '" + text + "' has " + std::to_string(ranges.size()) + " ranges: at most 2 a day");
  for (size_t i = 0; i < ranges.size(); ++i) {
    size_t dash = ranges[i].find('-');
    auto open = core::ParseClock(ranges[i].substr(0, dash));
    auto close = dash == std::string::npos ? std::nullopt : core::ParseClock(ranges[i].substr(dash + 1));
    if (!open || !close)
      return Usage(option + ": '" + ranges[i] + "' is not a time range (HH:MM-HH:MM, e.g. 08:00-17:00, or closed)");
    out[i] = core::TimeRange{"", *open, *close};
  }
  return Status::Ok();
}

const store::Labeler& HoursLabel() {
  static const store::Labeler label = [](const std::string& property) {
    for (int d = 0; d < core::kDays; ++d)
      if (property.rfind(std::string(core::Name(static_cast<core::Weekday>(d))), 0) == 0)
        return std::string(kDayOptions[d]) + " (" + property + ")";
    return OptionLabeler({})(property);
  };
  return label;
}

struct DayOptions {
  std::optional<std::string> days[core::kDays];
  std::optional<std::string> custom;
  void Add(CLI::App& app) {
    for (int d = 0; d < core::kDays; ++d)
      app.add_option(kDayOptions[d], days[d], "open hours: HH:MM-HH:MM[,HH:MM-HH:MM], or closed");
    app.add_option("--custom", custom, "true: a custom schedule for one workflow; false (default): a shared preset");
  }
  bool any() const {
    for (const auto& d : days)
      if (d) return true;
    return custom.has_value();
  }
  Status Apply(HoursOfBusiness& h) const {
    for (int d = 0; d < core::kDays; ++d)
      if (days[d]) RGS_RETURN_IF_ERROR(ParseDay(kDayOptions[d], *days[d], h.hours[d]));
    if (custom) {
      auto v = ParseBool("--custom", *custom);
      if (!v.ok()) return v.status();
      h.custom = *v;
    }
    return Status::Ok();
  }
};

}  // namespace

Runner NewHoursOfBusiness(CLI::App& app) {
  struct Opts {
    NameArg name;
    DayOptions days;
  };
  auto o = std::make_shared<Opts>();
  o->name.Add(app, "hours of business");
  o->days.Add(app);
  return [o](Context& ctx) -> Status {
    auto name = o->name.Get("hours of business");
    if (!name.ok()) return name.status();
    HoursOfBusiness h;
    h.name = *name;
    RGS_RETURN_IF_ERROR(o->days.Apply(h));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(h, true, &ctx.warnings, HoursLabel()));
    ctx.summary = "created hours of business '" + h.name + "'";
    PrintObjects(ctx, {ctx.catalog->Present(h)}, true);
    return Status::Ok();
  };
}

Runner GetHoursOfBusiness(CLI::App& app) {
  auto o = std::make_shared<GetOptions>();
  AddGetOptions(app, o.get(), "hours of business");
  return [o](Context& ctx) -> Status { return GetObjects<HoursOfBusiness>(ctx, *o); };
}

Runner SetHoursOfBusiness(CLI::App& app) {
  struct Opts {
    std::string identity, instance;
    std::optional<std::string> name;
    std::vector<std::string> closed;
    DayOptions days;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("IDENTITY", o->identity, "the hours of business' name, GUID or identity");
  app.add_option("--name", o->name, "a new name");
  app.add_option("--closed", o->closed, "close a whole day (monday ... sunday); repeatable");
  app.add_option("--instance", o->instance,
                 "FILE or -: the whole object as YAML or JSON, as get-hoursofbusiness prints it");
  o->days.Add(app);
  return [o](Context& ctx) -> Status {
    if (!o->instance.empty()) {
      if (o->name || !o->closed.empty() || o->days.any())
        return Usage("--instance replaces the whole object: give no property options with it");
      return SetFromInstance<HoursOfBusiness>(ctx, o->identity, o->instance);
    }
    if (o->identity.empty()) return Usage("name the hours of business to change (IDENTITY) or give --instance");
    auto h = ctx.catalog->Find<HoursOfBusiness>(o->identity);
    if (!h.ok()) return h.status();
    if (o->name) h->name = *o->name;
    for (const auto& day : SplitList(o->closed)) {
      auto d = core::ParseWeekday(day);
      if (!d) return NotAChoice("--closed", day);
      h->hours[static_cast<int>(*d)][0].reset();
      h->hours[static_cast<int>(*d)][1].reset();
    }
    RGS_RETURN_IF_ERROR(o->days.Apply(*h));
    RGS_RETURN_IF_ERROR(ctx.catalog->Save(*h, false, &ctx.warnings, HoursLabel()));
    ctx.summary = "changed hours of business '" + h->name + "'";
    return Status::Ok();
  };
}

Runner RemoveHoursOfBusiness(CLI::App& app) {
  auto identity = std::make_shared<std::string>();
  app.add_option("IDENTITY", *identity, "the hours of business' name, GUID or identity")->required();
  return [identity](Context& ctx) -> Status {
    auto h = ctx.catalog->Find<HoursOfBusiness>(*identity);
    if (!h.ok()) return h.status();
    return RemoveObject(ctx, store::kHoursOfBusiness, h->guid, h->name);
  };
}

}  // namespace rgs::cli
