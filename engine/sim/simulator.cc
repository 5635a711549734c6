// The call simulator: store and time zones in, the routing core's decisions out.
#include "sim/simulator.h"

#include <map>
#include <memory>
#include <set>

#include "core/call_flow.h"
#include "store/served.h"
#include "tz/zone.h"

namespace rgs::sim {
namespace {

using store::Json;

struct AgentState {
  core::AgentView view;
  std::set<std::string> signed_out;  // group names, lower-case
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
      if (!a.is_object())
        return Fail(path, "must be a mapping (presence, registered, in-call, idle, signed-in, signed-out, declined)");
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
          if (k == "idle")
            st.view.idle_seconds = v.get<double>();
          else
            st.view.declined_seconds_ago = v.get<double>();
        } else if (k == "signed-in" || k == "signed-out") {
          if (!v.is_array()) return Fail(kp, "must be a list of agent group names");
          std::set<std::string> names;
          for (const auto& n : v) {
            if (!n.is_string()) return Fail(kp, "must be a list of agent group names");
            names.insert(Lower(n.get<std::string>()));
          }
          if (k == "signed-in")
            st.signed_in = names;
          else
            st.signed_out = names;
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

// Drives the call flow the daemon runs (core/call_flow.h) through one call with a scripted fake
// endpoint: agents never answer, prompts end at once, keys come from --digits. The path and the
// offers are read off the commands the flow gives; nothing here decides where the call goes.
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
    auto snap = store::LoadSnapshot(c_.store());
    if (!snap.ok()) return snap.status();
    workflow_ = *w;
    report_["Workflow"] = w->name;
    report_["Identity"] = store::IdentityOf(c_.store().pool(), w->guid);
    report_["Active"] = w->active;
    report_["At"] = tz::FormatUtc(*instant);
    report_["TimeZone"] = w->time_zone;
    report_["LocalTime"] = core::FormatLocalDateTime(*local);
    report_["Weekday"] = std::string(core::Name(core::WeekdayOf(*local)));
    report_["Schedule"] = nullptr;
    report_["Steps"] = Json::array();
    now_ = core::Time(std::chrono::duration_cast<core::Time::duration>(instant->time_since_epoch()));
    core::FlowOptions options;
    options.media = true;  // the path a caller takes, prompts and questions included
    flow_ = std::make_unique<core::CallFlow>(
        options, [](const std::string& zone, core::Time at) -> std::optional<core::LocalMinutes> {
          auto l = tz::ToLocal(zone, std::chrono::floor<std::chrono::seconds>(at));
          if (!l.ok()) return std::nullopt;
          return *l;
        });
    flow_->SetSnapshot(*snap, now_);
    SeedAgents(**snap);
    Call();
    return report_;
  }

 private:
  // The agents as the --agent-state document has them; every other agent is registered, available
  // and signed in to its groups.
  void SeedAgents(const core::Snapshot& snap) {
    std::map<std::string, std::string> formal;  // lower-case name -> GUID
    for (const auto& [guid, g] : snap.groups)
      if (g.participation_policy == core::ParticipationPolicy::kFormal) formal[Lower(g.name)] = guid;
    for (const auto& [aor, groups] : snap.groups_of_agent) {
      core::AgentRestored r;
      r.aor = aor;
      r.contact = aor;
      r.registered_until = now_ + std::chrono::hours(1);
      r.idle_since = now_;
      for (const auto& [name, guid] : formal) r.signed_in.push_back(guid);
      auto it = agents_.find(aor);
      if (it != agents_.end()) {
        const AgentState& st = it->second;
        if (!st.view.registered) r.contact.clear();
        r.presence = st.view.presence;
        r.calls = st.view.in_call ? 1 : 0;
        r.idle_since = now_ - std::chrono::milliseconds(static_cast<long long>(st.view.idle_seconds * 1000));
        r.signed_in.clear();
        for (const auto& [name, guid] : formal)
          if (st.signed_in ? st.signed_in->count(name) > 0 : !st.signed_out.count(name)) r.signed_in.push_back(guid);
        if (st.view.declined_seconds_ago)
          declined_[aor] =
              now_ - std::chrono::milliseconds(static_cast<long long>(*st.view.declined_seconds_ago * 1000));
      }
      flow_->Handle(r, now_);
    }
    for (const auto& [name, uri] : last_offered_)
      for (const auto& [guid, g] : snap.groups)
        if (Lower(g.name) == name)
          for (size_t i = 0; i < g.agents.size(); ++i)
            if (Lower(g.agents[i]) == Lower(uri)) flow_->SetRoundRobin(guid, i + 1);
    while (flow_->Next()) {
    }
  }

  void Call() {
    core::CallArrived call;
    call.leg = 1;
    call.request_uri = !workflow_.primary_uri.empty() ? workflow_.primary_uri : workflow_.line_uri;
    call.from = "sip:caller@test-workflow.invalid";
    call.call_id = "test-workflow";
    call.sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\n";
    call.declined = declined_;
    flow_->Handle(call, now_);
    Pump();
    // While the call rings agents, their alert times pass: the next offers follow, until every
    // agent the queue would offer it to has been offered once.
    while (!done_ && ringing_ && flow_->NextDeadline()) {
      now_ = std::max(now_, *flow_->NextDeadline());
      ringing_ = false;
      flow_->Expire(now_);
      Pump();
    }
    if (done_) return;
    if (asking_) return;
    if (queue_) {
      std::string detail = "the call waits in queue '" + queue_->name + "', offered to its agent groups in order";
      if (queue_->timeout_threshold)
        detail += "; after " + std::to_string(*queue_->timeout_threshold) +
                  " s (checked when an offer ends) the timeout action runs";
      Outcome("Queued", detail);
    }
  }

  void Pump() {
    while (auto cmd = flow_->Next()) {
      if (done_) continue;
      std::visit([&](auto& c) { Carry(c); }, *cmd);
    }
  }

  template <typename T>
  void Carry(T& c) {
    using core::IvrStep;
    if constexpr (std::is_same_v<T, core::Routed>) {
      call_ = c.call;
      Schedule(c);
    } else if constexpr (std::is_same_v<T, core::Play>) {
      Step({{"Step", "Prompt"}, {"Purpose", c.purpose}, {"Prompt", PromptJson(c_, c.prompt)}});
      flow_->Handle(core::PlayDone{c.call}, now_);
    } else if constexpr (std::is_same_v<T, core::Ask>) {
      flow_->Handle(core::PlayDone{c.call}, now_);
      if (next_digit_ >= in_.digits.size()) {
        Step({{"Step", "AwaitingInput"}, {"Question", c.question->name}, {"Attempt", c.attempt}});
        Outcome("AwaitingInput",
                "the call waits for an answer to question '" + c.question->name + "' (give more --digits)");
        asking_ = true;
        done_ = true;
        return;
      }
      const core::IvrInput& in = in_.digits[next_digit_++];
      bool spoken = in.key.size() > 1;
      if (in.silence() || (spoken && c.keywords.empty())) {
        // rgsd hears no spoken answer where it does not listen (a language other than en-US).
        now_ = std::max(now_, *flow_->NextDeadline());
        flow_->Expire(now_);
      } else if (spoken) {
        flow_->Handle(core::SpeechRecognized{c.call, in.key}, now_);
      } else {
        flow_->Handle(core::DigitReceived{c.call, in.key}, now_);
      }
    } else if constexpr (std::is_same_v<T, core::IvrNote>) {
      const IvrStep& s = c.step;
      Json j{{"Step", std::string(core::Name(s.kind))}, {"Question", s.question->name}, {"Attempt", s.attempt}};
      if (s.kind == IvrStep::Kind::kAsked) j["Prompt"] = PromptJson(c_, s.question->prompt);
      if (s.kind == IvrStep::Kind::kAnswered || s.kind == IvrStep::Kind::kInvalid) j["Input"] = s.input;
      if (s.kind == IvrStep::Kind::kAnswered) j["Answer"] = s.answer->name;
      if (s.kind == IvrStep::Kind::kInvalid && s.question->invalid_answer_prompt)
        j["Prompt"] = PromptJson(c_, *s.question->invalid_answer_prompt);
      if (s.kind == IvrStep::Kind::kNoAnswer && s.question->no_answer_prompt)
        j["Prompt"] = PromptJson(c_, *s.question->no_answer_prompt);
      Step(std::move(j));
    } else if constexpr (std::is_same_v<T, core::Queued>) {
      QueueStep(*c.queue);
    } else if constexpr (std::is_same_v<T, core::LeftQueue>) {
      Step({{"Step", c.reason},
            {"Queue", c.queue->name},
            {"Why", c.reason == "Overflow"
                        ? "the queue holds OverflowThreshold (" +
                              std::to_string(c.queue->overflow_threshold.value_or(0)) + ") calls or more"
                        : "nobody answered within TimeoutThreshold"}});
    } else if constexpr (std::is_same_v<T, core::OfferAgent>) {
      ringing_ = true;
      auto& offered = offered_[c.group_name];
      std::pair<std::string, std::string> key{c.group_name, c.agent};
      if (seen_.count(key)) {
        ringing_ = false;  // a second pass: every agent has had the call once
        return;
      }
      seen_.insert(key);
      offered.push_back(Lower(c.agent));
      if (group_views_.empty()) NoteReasons();
    } else if constexpr (std::is_same_v<T, core::Respond>) {
      if (c.status == 302) Step({{"Step", "Transfer"}, {"Uri", c.contact}});
    } else if constexpr (std::is_same_v<T, core::ReferCaller>) {
      Step({{"Step", "Transfer"}, {"Uri", c.target}});
      flow_->Handle(core::ReferResult{c.leg, 202}, now_);
      flow_->Handle(core::LegEnded{c.leg, "bye", false}, now_);
    } else if constexpr (std::is_same_v<T, core::Record>) {
      const core::CallRecord& r = c.record;
      if (r.outcome == core::Outcome::kTerminated) Step({{"Step", "Terminate"}, {"Why", r.detail}});
      if (r.outcome == core::Outcome::kRejected && !workflow_.active)
        Outcome("Rejected", "the workflow is inactive: the call is refused with 480 Temporarily Unavailable");
      else
        Outcome(std::string(core::Name(r.outcome)), r.detail);
      done_ = true;
    }
  }

  void Schedule(const core::Routed& r) {
    const core::ScheduleDecision& d = r.schedule;
    report_["Schedule"] = std::string(core::Name(d.state));
    if (!workflow_.business_hours.empty()) {
      auto h = c_.Find<core::HoursOfBusiness>(workflow_.business_hours);
      report_["BusinessHours"] = h.ok() ? Json(h->name) : Json("none (always open)");
    } else {
      report_["BusinessHours"] = "none (always open)";
    }
    if (d.state == core::ScheduleState::kHoliday) {
      report_["Holiday"] = {{"Set", d.holiday_set->name},
                            {"Name", d.holiday->name},
                            {"StartDate", core::FormatLocalDateTime(d.holiday->start)},
                            {"EndDate", core::FormatLocalDateTime(d.holiday->end)}};
    } else {
      report_["Holiday"] = nullptr;
    }
  }

  void QueueStep(const core::Queue& q) {
    queue_ = &q;
    Json qj{{"Step", "Queue"}, {"Queue", q.name}};
    qj["TimeoutThreshold"] = q.timeout_threshold ? Json(*q.timeout_threshold) : Json();
    qj["OverflowThreshold"] = q.overflow_threshold ? Json(*q.overflow_threshold) : Json();
    qj["OverflowCandidate"] = std::string(core::Name(q.overflow_candidate));
    qj["TimeoutAction"] = ActionJson(q, q.timeout_action, "TimeoutAction");
    qj["OverflowAction"] = ActionJson(q, q.overflow_action, "OverflowAction");
    qj["MusicOnHold"] = MusicOnHold();
    Step(qj);
    report_["Queue"] = qj;
    report_["Queue"]["AgentGroups"] = Json::array();
    group_views_.clear();
  }

  // Why each agent of the queue's groups is not offered the call, as the flow sees it now.
  void NoteReasons() {
    for (const auto& guid : queue_->agent_groups) {
      auto states = flow_->AgentStates("", guid, now_, call_);
      group_views_.push_back(states.ok() ? *states : std::vector<core::AgentStatus>{});
    }
  }

  void Step(Json step) { report_["Steps"].push_back(std::move(step)); }

  void Outcome(const std::string& outcome, const std::string& detail) {
    report_["Outcome"] = outcome;
    report_["Detail"] = detail;
    if (queue_ && group_views_.empty()) NoteReasons();
    if (queue_) report_["Queue"]["AgentGroups"] = Groups();
  }

  Json Groups() {
    Json groups = Json::array();
    for (size_t k = 0; k < queue_->agent_groups.size(); ++k) {
      auto group = c_.Find<core::AgentGroup>(queue_->agent_groups[k]);
      if (!group.ok()) {
        groups.push_back({{"Name", queue_->agent_groups[k]}, {"Missing", true}});
        continue;
      }
      const core::AgentGroup& g = *group;
      Json offered = Json::array();
      std::set<std::string> was_offered;
      for (const auto& aor : offered_[g.name]) {
        for (const auto& uri : g.agents)
          if (Lower(uri) == aor) offered.push_back(uri);
        was_offered.insert(aor);
      }
      Json skipped = Json::array();
      if (k < group_views_.size())
        for (const auto& s : group_views_[k])
          if (!was_offered.count(Lower(s.agent)) && s.why != core::Ineligible::kNone)
            skipped.push_back({{"Agent", s.agent}, {"Reason", std::string(core::Describe(s.why))}});
      groups.push_back({{"Name", g.name},
                        {"RoutingMethod", std::string(core::Name(g.routing_method))},
                        {"ParticipationPolicy", std::string(core::Name(g.participation_policy))},
                        {"AgentAlertTime", g.agent_alert_time},
                        {"Simultaneous", g.routing_method == core::RoutingMethod::kParallel ||
                                             g.routing_method == core::RoutingMethod::kAttendant},
                        {"Offered", offered},
                        {"NotOffered", skipped}});
    }
    return groups;
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

  store::Catalog& c_;
  const CallInput& in_;
  Json report_ = Json::object();
  core::Workflow workflow_;
  core::ServiceSettings settings_;
  std::map<std::string, AgentState> agents_;
  std::map<std::string, std::string> last_offered_;
  std::map<std::string, core::Time> declined_;
  std::unique_ptr<core::CallFlow> flow_;
  core::Time now_;
  uint64_t call_ = 0;
  size_t next_digit_ = 0;
  bool done_ = false, asking_ = false, ringing_ = false;
  const core::Queue* queue_ = nullptr;
  std::map<std::string, std::vector<std::string>> offered_;  // group name -> agents, in order
  std::set<std::pair<std::string, std::string>> seen_;
  std::vector<std::vector<core::AgentStatus>> group_views_;
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
      out.push_back({item});  // a spoken answer, matched against the voice keywords
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
