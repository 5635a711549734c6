// test-workflow: simulates one call to a workflow and prints the path it takes.
#include "cli/nouns.h"
#include "sim/simulator.h"
#include "store/document.h"
#include "tz/zone.h"

namespace rgs::cli {
namespace {

using store::Json;

std::string PromptText(const Json& p) {
  if (p.is_null()) return "";
  if (p.value("Plays", "") == "Audio") return "audio '" + p.value("AudioFilePrompt", "") + "'";
  return "\"" + p.value("TextToSpeechPrompt", "") + "\"";
}

std::string ActionText(const Json& a) {
  if (a.is_null()) return "none";
  std::string s = a.value("Action", "");
  if (a.contains("Uri")) s += " " + a["Uri"].get<std::string>();
  if (a.contains("QueueName") && a["QueueName"].is_string())
    s += " '" + a["QueueName"].get<std::string>() + "'";
  else if (a.contains("QueueID"))
    s += " " + a["QueueID"].get<std::string>();
  return s;
}

// The human reading of a simulation report (-o list).
void PrintPath(std::ostream& out, const Json& r) {
  out << "Workflow : " << r["Workflow"].get<std::string>() << (r["Active"].get<bool>() ? "" : " (inactive)") << "\n";
  out << "At       : " << r["At"].get<std::string>() << " = " << r["LocalTime"].get<std::string>() << " "
      << r["Weekday"].get<std::string>() << " in " << r["TimeZone"].get<std::string>() << "\n";
  if (!r["Schedule"].is_null()) {
    out << "Schedule : " << r["Schedule"].get<std::string>();
    if (!r["Holiday"].is_null())
      out << " (" << r["Holiday"]["Name"].get<std::string>() << " in holiday set '"
          << r["Holiday"]["Set"].get<std::string>() << "')";
    out << "; business hours: " << r["BusinessHours"].get<std::string>() << "\n";
  }
  out << "Path:\n";
  int n = 0;
  for (const auto& s : r["Steps"]) {
    std::string step = s["Step"].get<std::string>();
    out << "  " << ++n << ". ";
    if (step == "Prompt")
      out << "prompt (" << s["Purpose"].get<std::string>() << "): " << PromptText(s["Prompt"]);
    else if (step == "Asked")
      out << "question '" << s["Question"].get<std::string>() << "' (attempt " << s["Attempt"]
          << "): " << PromptText(s["Prompt"]);
    else if (step == "Answered")
      out << "caller answers " << s["Input"].get<std::string>() << ": '" << s["Answer"].get<std::string>() << "'";
    else if (step == "InvalidAnswer")
      out << "caller answers " << s["Input"].get<std::string>() << ": not an answer"
          << (s.contains("Prompt") ? ", plays " + PromptText(s["Prompt"]) : "");
    else if (step == "NoAnswer")
      out << "caller is silent" << (s.contains("Prompt") ? ", plays " + PromptText(s["Prompt"]) : "");
    else if (step == "Disconnected")
      out << "too many failed answers: disconnected";
    else if (step == "AwaitingInput")
      out << "waits for the caller's answer";
    else if (step == "Queue") {
      out << "queue '" << s["Queue"].get<std::string>() << "': timeout "
          << (s["TimeoutThreshold"].is_null()
                  ? std::string("none")
                  : s["TimeoutThreshold"].dump() + " s -> " + ActionText(s["TimeoutAction"]))
          << ", overflow "
          << (s["OverflowThreshold"].is_null()
                  ? std::string("none")
                  : s["OverflowThreshold"].dump() + " calls, " + s["OverflowCandidate"].get<std::string>() + " -> " +
                        ActionText(s["OverflowAction"]))
          << ", music on hold " << s["MusicOnHold"].get<std::string>();
    } else if (step == "Overflow")
      out << "overflow: " << s["Why"].get<std::string>();
    else if (step == "Transfer")
      out << s["Action"].get<std::string>() << " " << s["Uri"].get<std::string>();
    else if (step == "Terminate")
      out << "call ended" << (s.contains("Why") ? " (" + s["Why"].get<std::string>() + ")" : "");
    else
      out << step;
    out << "\n";
  }
  if (r.contains("Queue")) {
    out << "Agent groups, in order:\n";
    int g = 0;
    for (const auto& grp : r["Queue"]["AgentGroups"]) {
      if (grp.value("Missing", false)) {
        out << "  " << ++g << ". " << grp["Name"].get<std::string>() << ": missing\n";
        continue;
      }
      out << "  " << ++g << ". " << grp["Name"].get<std::string>() << " (" << grp["RoutingMethod"].get<std::string>()
          << ", " << grp["ParticipationPolicy"].get<std::string>() << ", alert " << grp["AgentAlertTime"]
          << " s): " << (grp["Simultaneous"].get<bool>() ? "offered to all at once" : "offered one at a time") << "\n";
      int a = 0;
      for (const auto& uri : grp["Offered"]) out << "       " << ++a << ". " << uri.get<std::string>() << "\n";
      for (const auto& s : grp["NotOffered"])
        out << "       not offered: " << s["Agent"].get<std::string>() << " (" << s["Reason"].get<std::string>()
            << ")\n";
    }
  }
  out << "Outcome  : " << r["Outcome"].get<std::string>() << ": " << r["Detail"].get<std::string>() << "\n";
}

}  // namespace

Runner TestWorkflow(CLI::App& app) {
  struct Opts {
    std::string workflow, at, digits, state;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("IDENTITY", o->workflow, "the workflow's name, GUID or identity")->required();
  app.add_option("--at", o->at,
                 "when the call arrives: 2026-11-24T10:00:00Z, with an offset, or local time in the workflow's zone "
                 "(default: now)");
  app.add_option("--digits", o->digits, "the caller's answers to its questions, in order: 1,2 (- for silence)");
  app.add_option("--agent-state", o->state,
                 "FILE or -: agents' presence, sign-in, idle time, as YAML (default: all available)");
  return [o](Context& ctx) -> Status {
    sim::CallInput in;
    in.workflow = o->workflow;
    in.at = o->at;
    if (in.at.empty()) {
      auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      in.at = tz::FormatUtc(now);
    }
    auto digits = sim::ParseDigits(o->digits);
    if (!digits.ok()) return digits.status();
    in.digits = *digits;
    if (!o->state.empty()) {
      auto inst = ReadInstance(o->state, "--agent-state");
      if (!inst.ok()) return inst.status();
      in.agent_state = inst->doc;
      in.state_label = inst->label;
    }
    auto report = sim::Simulate(*ctx.catalog, in);
    if (!report.ok()) return report.status();
    if (ctx.format == Format::kList)
      PrintPath(ctx.out, *report);
    else
      PrintObjects(ctx, {*report}, true);
    return Status::Ok();
  };
}

}  // namespace rgs::cli
