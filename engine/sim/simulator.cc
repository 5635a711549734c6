// The call simulator: store and time zones in, the routing core's decisions out.
#include "sim/simulator.h"

#include <map>
#include <set>

#include "tz/zone.h"

namespace rgs::sim {
namespace {

using store::Json;

struct AgentState {
  core::AgentView view;
  std::set<std::string> signed_out;   // group names, lower-case
  std::optional<std::set<std::string>> signed_in;
};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads the --agent-state document (see man rgs, test-workflow).
class StateReader {
 public:
  StateReader(const CallInput& in) : in_(in) {}

  Status Read(std::map<std::string, AgentState>* agents, std::map<std::string, std::string>* last_offered) {
    const Json& doc = in_.agent_state;
    if (doc.is_null()) return Status::Ok();
    if (!doc.is_object()) return Fail("", "must be a mapping with 'agents' and 'groups'");
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.key() == "agents") {
        RGS_RETURN_IF_ERROR(ReadAgents(it.value(), agents));
      } else if (it.key() == "groups") {
        RGS_RETURN_IF_ERROR(ReadGroups(it.value(), last_offered));
      } else {
        return Fail(it.key(), "is not known here: use agents and groups");
      }
    }
    return Status::Ok();
  }

 private:
  Status Fail(const std::string& path, const std::string& msg) {
    std::string where = in_.state_label ? in_.state_label(path) : path;
    return Invalid("--agent-state: " + where + (where.empty() ? "" : ": ") + msg);
  }

  Status ReadAgents(const Json& agents, std::map<std::string, AgentState>* out) {
    if (!agents.is_object()) return Fail("agents", "must map agent SIP URIs to their state");
    for (auto it = agents.begin(); it != agents.end(); ++it) {
      std::string path = "agents." + it.key();
      if (std::string err = core::CheckSipUri(it.key()); !err.empty()) return Fail(path, "'" + it.key() + "' " + err);
      AgentState st;
      st.view.uri = it.key();
      const Json& a = it.value();
      if (!a.is_object()) return Fail(path, "must be a mapping (presence, registered, in-call, idle, signed-in, signed-out, declined)");
      for (auto p = a.begin(); p != a.end(); ++p) {
        const std::string& k = p.key();
        const Json& v = p.value();
        std::string kp = path + "." + k;
        if (k == "presence") {
          auto pr = v.is_string() ? core::ParsePresence(v.get<std::string>()) : std::nullopt;
          if (!pr) return Fail(kp, "must be available, inactive, busy, do-not-disturb, away or offline");
          st.view.presence = *pr;
        } else if (k == "registered" || k == "in-call") {
          if (!v.is_boolean()) return Fail(kp, "must be true or false");
          (k == "registered" ? st.view.registered : st.view.in_call) = v.get<bool>();
        } else if (k == "idle" || k == "declined") {
          if (!v.is_number() || v.get<double>() < 0) return Fail(kp, "must be a number of seconds, 0 or more");
          if (k == "idle") st.view.idle_seconds = v.get<double>();
          else st.view.declined_seconds_ago = v.get<double>();
        } else if (k == "signed-in" || k == "signed-out") {
          if (!v.is_array()) return Fail(kp, "must be a list of agent group names");
          std::set<std::string> names;
          for (const auto& n : v) {
            if (!n.is_string()) return Fail(kp, "must be a list of agent group names");
            names.insert(Lower(n.get<std::string>()));
          }
          if (k == "signed-in") st.signed_in = names;
          else st.signed_out = names;
        } else {
          return Fail(kp, "is not known: use presence, registered, in-call, idle, signed-in, signed-out, declined");
        }
      }
      (*out)[Lower(it.key())] = std::move(st);
    }
    return Status::Ok();
  }

  Status ReadGroups(const Json& groups, std::map<std::string, std::string>* out) {
    if (!groups.is_object()) return Fail("groups", "must map agent group names to their state");
    for (auto it = groups.begin(); it != groups.end(); ++it) {
      std::string path = "groups." + it.key();
      if (!it.value().is_object()) return Fail(path, "must be a mapping (last-offered)");
      for (auto p = it.value().begin(); p != it.value().end(); ++p) {
        if (p.key() != "last-offered" || !p.value().is_string())
          return Fail(path + "." + p.key(), "is not known: use last-offered: SIP-URI");
        (*out)[Lower(it.key())] = p.value().get<std::string>();
      }
    }
    return Status::Ok();
  }

  const CallInput& in_;
};

Json PromptJson(store::Catalog& c, const core::Prompt& p) {
  Json j;
  if (!p.text.empty()) j["TextToSpeechPrompt"] = p.text;
  if (!p.audio.empty()) {
    auto a = c.Find<core::AudioFile>(p.audio);
    j["AudioFilePrompt"] = a.ok() ? a->name : p.audio + " (missing)";
    // Reference 1.6: when both are set, the audio plays.
  }
  j["Plays"] = p.audio.empty() ? "TextToSpeech" : "Audio";
  return j;
}

class Run {
 public:
  Run(store::Catalog& c, const CallInput& in) : c_(c), in_(in) {}

  Result<Json> Go() {
    auto w = c_.Find<core::Workflow>(in_.workflow);
    if (!w.ok()) return w.status();
    StateReader reader(in_);
    RGS_RETURN_IF_ERROR(reader.Read(&agents_, &last_offered_));
    auto settings = c_.Settings();
    if (!settings.ok()) return settings.status();
    settings_ = *settings;
    auto instant = tz::ParseInstant(in_.at, w->time_zone);
    if (!instant.ok()) return Status(instant.status().code(), "--at: " + instant.status().message());
    auto local = tz::ToLocal(w->time_zone, *instant);
    if (!local.ok()) return local.status();
    report_["Workflow"] = w->name;
    report_["Identity"] = store::IdentityOf(c_.store().pool(), w->guid);
    report_["Active"] = w->active;
    report_["At"] = tz::FormatUtc(*instant);
    report_["TimeZone"] = w->time_zone;
    report_["LocalTime"] = core::FormatLocalDateTime(*local);
    report_["Weekday"] = std::string(core::Name(core::WeekdayOf(*local)));
    report_["Steps"] = Json::array();
    if (!w->active) {
      report_["Schedule"] = nullptr;
      Outcome("Rejected", "the workflow is inactive: the call is refused with 480 Temporarily Unavailable");
      return report_;
    }
    workflow_ = *w;
    RGS_RETURN_IF_ERROR(Schedule(*local));
    return report_;
  }

 private:
  Status Schedule(core::LocalMinutes local) {
    std::optional<core::HoursOfBusiness> hours;
    if (!workflow_.business_hours.empty()) {
      auto h = c_.Find<core::HoursOfBusiness>(workflow_.business_hours);
      if (h.ok()) hours = *h;
    }
    std::vector<core::HolidaySet> sets;
    for (const auto& g : workflow_.holiday_sets) {
      auto s = c_.Find<core::HolidaySet>(g);
      if (s.ok()) sets.push_back(*s);
    }
    std::vector<const core::HolidaySet*> set_ptrs;
    for (const auto& s : sets) set_ptrs.push_back(&s);
    core::ScheduleDecision d = core::DecideSchedule(hours ? &*hours : nullptr, set_ptrs, local);
    report_["Schedule"] = std::string(core::Name(d.state));
    report_["BusinessHours"] = hours ? Json(hours->name) : Json("none (always open)");
    if (d.state == core::ScheduleState::kHoliday) {
      report_["Holiday"] = {{"Set", d.holiday_set->name}, {"Name", d.holiday->name},
                            {"StartDate", core::FormatLocalDateTime(d.holiday->start)},
                            {"EndDate", core::FormatLocalDateTime(d.holiday->end)}};
      return Action(workflow_.holiday_action, "Holiday", 0);
    }
    report_["Holiday"] = nullptr;
    if (d.state == core::ScheduleState::kAfterHours) return Action(workflow_.non_business_hours_action, "AfterHours", 0);
    return Action(workflow_.default_action, "Welcome", 0);
  }

  void Step(Json step) { report_["Steps"].push_back(std::move(step)); }

  void Outcome(const std::string& outcome, const std::string& detail) {
    report_["Outcome"] = outcome;
    report_["Detail"] = detail;
  }

  Status Action(const std::optional<core::CallAction>& action, const std::string& purpose, int depth) {
    if (!action) {
      // Reference 3.1.4: a condition without its action ends the call (recommended resolution).
      Step({{"Step", "Terminate"}, {"Why", purpose + " action not set"}});
      Outcome("Terminated", "no " + purpose + " action is set, so the call is ended");
      return Status::Ok();
    }
    if (depth > 16) {
      Outcome("Terminated", "queues transfer to each other more than 16 times; the call is ended");
      return Status::Ok();
    }
    if (action->prompt) Step({{"Step", "Prompt"}, {"Purpose", purpose}, {"Prompt", PromptJson(c_, *action->prompt)}});
    switch (action->action) {
      case core::ActionKind::kTerminate:
        Step({{"Step", "Terminate"}});
        Outcome("Terminated", "the call is ended");
        return Status::Ok();
      case core::ActionKind::kTransferToUri:
      case core::ActionKind::kTransferToVoiceMailUri:
      case core::ActionKind::kTransferToPstn:
        Step({{"Step", "Transfer"}, {"Action", std::string(core::Name(action->action))}, {"Uri", action->uri}});
        Outcome("Transferred", "the call is transferred to " + action->uri);
        return Status::Ok();
      case core::ActionKind::kTransferToQuestion:
        return Ivr(*action->question, depth);
      case core::ActionKind::kTransferToQueue:
        return Queue(action->queue, depth);
    }
    return Status::Ok();
  }

  Status Ivr(const core::Question& question, int depth) {
    core::IvrOutcome out = core::WalkIvr(question, in_.digits);
    for (const auto& s : out.steps) {
      Json j{{"Step", std::string(core::Name(s.kind))}, {"Question", s.question->name}, {"Attempt", s.attempt}};
      if (s.kind == core::IvrStep::Kind::kAsked) j["Prompt"] = PromptJson(c_, s.question->prompt);
      if (s.kind == core::IvrStep::Kind::kAnswered || s.kind == core::IvrStep::Kind::kInvalid) j["Input"] = s.input;
      if (s.kind == core::IvrStep::Kind::kAnswered) j["Answer"] = s.answer->name;
      if (s.kind == core::IvrStep::Kind::kInvalid && s.question->invalid_answer_prompt)
        j["Prompt"] = PromptJson(c_, *s.question->invalid_answer_prompt);
      if (s.kind == core::IvrStep::Kind::kNoAnswer && s.question->no_answer_prompt)
        j["Prompt"] = PromptJson(c_, *s.question->no_answer_prompt);
      Step(std::move(j));
    }
    if (out.disconnected) {
      Outcome("Disconnected", "the caller gave 5 wrong or silent answers; the call is ended");
      return Status::Ok();
    }
    if (!out.action) {
      Outcome("AwaitingInput", "the call waits for an answer to question '" + out.steps.back().question->name +
                                   "' (give more --digits)");
      return Status::Ok();
    }
    return Action(*out.action, "Answer", depth + 1);
  }

  Status Queue(const std::string& guid, int depth) {
    auto q = c_.Find<core::Queue>(guid);
    if (!q.ok()) {
      // Reference 3.4: a dangling queue target ends the call (recommended resolution).
      Step({{"Step", "Terminate"}, {"Why", "the queue it names no longer exists"}});
      Outcome("Terminated", "the queue " + guid + " does not exist; the call is ended");
      return Status::Ok();
    }
    Json qj{{"Step", "Queue"}, {"Queue", q->name}};
    qj["TimeoutThreshold"] = q->timeout_threshold ? Json(*q->timeout_threshold) : Json();
    qj["OverflowThreshold"] = q->overflow_threshold ? Json(*q->overflow_threshold) : Json();
    qj["OverflowCandidate"] = std::string(core::Name(q->overflow_candidate));
    qj["TimeoutAction"] = ActionJson(*q, q->timeout_action, "TimeoutAction");
    qj["OverflowAction"] = ActionJson(*q, q->overflow_action, "OverflowAction");
    qj["MusicOnHold"] = MusicOnHold();
    Step(qj);
    // Reference 3.4: overflow is checked on arrival; this call is the only one in the queue,
    // so only a threshold of 0 overflows it.
    if (q->overflow_threshold && *q->overflow_threshold == 0) {
      Step({{"Step", "Overflow"}, {"Queue", q->name}, {"Why", "OverflowThreshold is 0: every arriving call overflows"}});
      return Action(q->overflow_action, "Overflow", depth + 1);
    }
    Json groups = Json::array();
    bool any_agent = false;
    for (const auto& g : q->agent_groups) {
      auto group = c_.Find<core::AgentGroup>(g);
      if (!group.ok()) {
        groups.push_back({{"Name", g}, {"Missing", true}});
        continue;
      }
      any_agent = any_agent || !group->agents.empty();
      groups.push_back(Offers(*group));
    }
    report_["Queue"] = qj;
    report_["Queue"]["AgentGroups"] = groups;
    if (!any_agent) {
      Outcome("Disconnected", "queue '" + q->name + "' has no agents: the call is disconnected");
      return Status::Ok();
    }
    std::string detail = "the call waits in queue '" + q->name + "', offered to its agent groups in order";
    if (q->timeout_threshold)
      detail += "; after " + std::to_string(*q->timeout_threshold) +
                " s (checked when an offer ends) the timeout action runs";
    Outcome("Queued", detail);
    return Status::Ok();
  }

  // A queue's action as get-queue shows it, with the name of a target queue beside its identity.
  Json ActionJson(const core::Queue& q, const std::optional<core::CallAction>& a, const char* property) {
    if (!a) return Json();
    Json j = c_.Present(q)[property];
    if (a->action == core::ActionKind::kTransferToQueue) {
      auto target = c_.Find<core::Queue>(a->queue);
      j["QueueName"] = target.ok() ? Json(target->name) : Json();
    }
    return j;
  }

  Json MusicOnHold() {
    for (const std::string* g : {&workflow_.custom_music_on_hold, &settings_.default_music_on_hold}) {
      if (g->empty()) continue;
      auto a = c_.Find<core::AudioFile>(*g);
      if (a.ok()) return a->name;
    }
    return "built-in";
  }

  Json Offers(const core::AgentGroup& g) {
    std::vector<core::AgentView> views;
    for (const auto& uri : g.agents) {
      auto it = agents_.find(Lower(uri));
      core::AgentView v;
      if (it != agents_.end()) {
        v = it->second.view;
        std::string gname = Lower(g.name);
        v.signed_in = it->second.signed_in ? it->second.signed_in->count(gname) > 0 : !it->second.signed_out.count(gname);
      }
      v.uri = uri;
      views.push_back(v);
    }
    size_t next = 0;
    auto lo = last_offered_.find(Lower(g.name));
    if (lo != last_offered_.end())
      for (size_t i = 0; i < g.agents.size(); ++i)
        if (Lower(g.agents[i]) == Lower(lo->second)) next = i + 1;
    core::OfferPlan plan = core::PlanOffers(g, views, settings_.agent_ringback_grace_period, next);
    Json j{{"Name", g.name},
           {"RoutingMethod", std::string(core::Name(g.routing_method))},
           {"ParticipationPolicy", std::string(core::Name(g.participation_policy))},
           {"AgentAlertTime", g.agent_alert_time},
           {"Simultaneous", plan.simultaneous},
           {"Offered", plan.order}};
    Json skipped = Json::array();
    for (const auto& [uri, why] : plan.skipped) skipped.push_back({{"Agent", uri}, {"Reason", std::string(core::Describe(why))}});
    j["NotOffered"] = skipped;
    return j;
  }

  store::Catalog& c_;
  const CallInput& in_;
  Json report_ = Json::object();
  core::Workflow workflow_;
  core::ServiceSettings settings_;
  std::map<std::string, AgentState> agents_;
  std::map<std::string, std::string> last_offered_;
};

}  // namespace

Result<std::vector<core::IvrInput>> ParseDigits(const std::string& text) {
  std::vector<core::IvrInput> out;
  if (text.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item == "-" || item.empty()) {
      out.push_back({""});
    } else if (item.size() == 1 && std::string("0123456789*#").find(item[0]) != std::string::npos) {
      out.push_back({item});
    } else if (item.find('"') == std::string::npos && item.size() > 1) {
      out.push_back({item});   // a spoken answer, matched against the voice keywords
    } else {
      return Usage("--digits: '" + item + "' is not a key (0-9, * or #), a spoken word, or - for silence");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<store::Json> Simulate(store::Catalog& catalog, const CallInput& input) { return Run(catalog, input).Go(); }

}  // namespace rgs::sim
