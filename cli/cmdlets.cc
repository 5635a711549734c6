// Every cmdlet rgs knows, in one table: it drives dispatch, `rgs help`, and the suggestions for
// mistyped names.
#include "cli/cmdlets.h"

#include <algorithm>
#include <iostream>

#include "cli/nouns.h"

namespace rgs::cli {
namespace {

// clang-format off
const std::vector<Cmdlet> kCmdlets = {
    // name                 alias                     store              summary                                  setup
    {"new-agentgroup",      "New-CsRgsAgentGroup",    StoreUse::kWrite, "create an agent group",                 NewAgentGroup},
    {"get-agentgroup",      "Get-CsRgsAgentGroup",    StoreUse::kRead,  "list agent groups or show one",         GetAgentGroup},
    {"set-agentgroup",      "Set-CsRgsAgentGroup",    StoreUse::kWrite, "change an agent group",                 SetAgentGroup},
    {"remove-agentgroup",   "Remove-CsRgsAgentGroup", StoreUse::kWrite, "remove an agent group",                 RemoveAgentGroup},
    {"new-queue",           "New-CsRgsQueue",         StoreUse::kWrite, "create a queue",                        NewQueue},
    {"get-queue",           "Get-CsRgsQueue",         StoreUse::kRead,  "list queues or show one",               GetQueue},
    {"set-queue",           "Set-CsRgsQueue",         StoreUse::kWrite, "change a queue",                        SetQueue},
    {"remove-queue",        "Remove-CsRgsQueue",      StoreUse::kWrite, "remove a queue",                        RemoveQueue},
    {"new-workflow",        "New-CsRgsWorkflow",      StoreUse::kWrite, "create a workflow",                     NewWorkflow},
    {"get-workflow",        "Get-CsRgsWorkflow",      StoreUse::kRead,  "list workflows or show one",            GetWorkflow},
    {"set-workflow",        "Set-CsRgsWorkflow",      StoreUse::kWrite, "change a workflow",                     SetWorkflow},
    {"remove-workflow",     "Remove-CsRgsWorkflow",   StoreUse::kWrite, "remove a workflow",                     RemoveWorkflow},
    {"new-hoursofbusiness", "New-CsRgsHoursOfBusiness", StoreUse::kWrite, "create business hours",               NewHoursOfBusiness},
    {"get-hoursofbusiness", "Get-CsRgsHoursOfBusiness", StoreUse::kRead, "list business hours or show one",      GetHoursOfBusiness},
    {"set-hoursofbusiness", "Set-CsRgsHoursOfBusiness", StoreUse::kWrite, "change business hours",               SetHoursOfBusiness},
    {"remove-hoursofbusiness", "Remove-CsRgsHoursOfBusiness", StoreUse::kWrite, "remove business hours",         RemoveHoursOfBusiness},
    {"new-holidayset",      "New-CsRgsHolidaySet",    StoreUse::kWrite, "create a holiday set",                  NewHolidaySet},
    {"get-holidayset",      "Get-CsRgsHolidaySet",    StoreUse::kRead,  "list holiday sets or show one",         GetHolidaySet},
    {"set-holidayset",      "Set-CsRgsHolidaySet",    StoreUse::kWrite, "change a holiday set",                  SetHolidaySet},
    {"remove-holidayset",   "Remove-CsRgsHolidaySet", StoreUse::kWrite, "remove a holiday set",                  RemoveHolidaySet},
    {"import-audiofile",    "Import-CsRgsAudioFile",  StoreUse::kWrite, "import a WAV file for prompts and music", ImportAudioFile},
    {"get-audiofile",       nullptr,                  StoreUse::kRead,  "list audio files, show or save one",    GetAudioFile},
    {"remove-audiofile",    nullptr,                  StoreUse::kWrite, "remove an audio file",                  RemoveAudioFile},
    {"get-configuration",   "Get-CsRgsConfiguration", StoreUse::kRead,  "show the service settings",             GetConfiguration},
    {"set-configuration",   "Set-CsRgsConfiguration", StoreUse::kWrite, "change the service settings",           SetConfiguration},
    {"export-configuration", "Export-CsRgsConfiguration", StoreUse::kWrite, "write the whole configuration to a zip archive", ExportConfiguration},
    {"import-configuration", "Import-CsRgsConfiguration", StoreUse::kWrite, "load a configuration archive (disaster recovery)", ImportConfiguration},
    {"test-configuration",  nullptr,                  StoreUse::kRead,  "check the whole configuration, list every problem", TestConfiguration},
    {"test-workflow",       nullptr,                  StoreUse::kRead,  "simulate a call: the path it takes and the agents offered it", TestWorkflow},
    {"get-callrecord",      nullptr,                  StoreUse::kRead,  "list the calls rgsd handled: path, offers, outcome, wait", GetCallRecord},
    {"get-queuestatistics", nullptr,                  StoreUse::kRead,  "per queue: calls received, answered, abandoned, transferred, waits", GetQueueStatistics},
    {"set-agentstate",      nullptr,                  StoreUse::kNone,  "sign an agent in to or out of a formal group (rgsd)", SetAgentState},
    {"get-agentstate",      nullptr,                  StoreUse::kNone,  "whether each agent can be offered a call now, and why not (rgsd)", GetAgentState},
    {"get-queuestate",      nullptr,                  StoreUse::kNone,  "calls waiting and ringing in each queue now (rgsd)", GetQueueState},
    {"set-agentcredential", nullptr,                  StoreUse::kWrite, "set an agent's SIP password (stored as digest hashes)", SetAgentCredential},
    {"get-agentcredential", nullptr,                  StoreUse::kRead,  "list the agents that have a SIP credential (never the hash)", GetAgentCredential},
    {"remove-agentcredential", nullptr,               StoreUse::kWrite, "remove an agent's SIP credential",      RemoveAgentCredential},
    {"get-revision",        nullptr,                  StoreUse::kRead,  "list the store's revisions",            GetRevision},
    {"compare-revision",    nullptr,                  StoreUse::kRead,  "show what changed between two revisions", CompareRevision},
    {"restore-revision",    nullptr,                  StoreUse::kWrite, "make the configuration what it was at a revision", RestoreRevision},
    {"help",                nullptr,                  StoreUse::kNone,  "list the cmdlets, or explain one",      Help},
};
// clang-format on

std::string Lower(const std::string& s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edits that turn a into b: insert, delete or change a character, or swap two neighbours
// ("tabel" is one edit from "table").
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

const std::vector<Cmdlet>& Cmdlets() { return kCmdlets; }

const Cmdlet* FindCmdlet(const std::string& name) {
  std::string n = Lower(name);
  for (const auto& c : kCmdlets)
    if (n == c.name || (c.alias && n == Lower(c.alias))) return &c;
  return nullptr;
}

Status UnknownCmdlet(const std::string& name) {
  std::string hint = Suggest(name);
  return Usage("'" + name + "' is not an rgs cmdlet" +
               (hint.empty() ? "; see 'rgs help'" : "; did you mean '" + hint + "'?"));
}

std::string Suggest(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& c : kCmdlets) {
    names.push_back(c.name);
    if (c.alias) names.push_back(c.alias);
  }
  std::string best = Nearest(name, names);
  const Cmdlet* c = best.empty() ? nullptr : FindCmdlet(best);
  return c ? c->name : "";
}

std::string Nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string w = Lower(word), best;
  size_t best_d = std::string::npos;
  for (const auto& candidate : candidates) {
    size_t d = Distance(w, Lower(candidate));
    if (d < best_d) {
      best_d = d;
      best = candidate;
    }
  }
  // A third of the word may be wrong (a dropped letter in a short word, a syllable in a long
  // one), and never half of it; past that the nearest word is more likely another intent than
  // a typo ("-x" is not a mistyped "-h").
  return best_d <= std::max<size_t>(1, w.size() / 3) && 2 * best_d < w.size() ? best : "";
}

void AddGlobalOptions(CLI::App& app, Globals* g) {
  app.add_option("--store", g->store, "the store file (default $RGS_STORE, else " + std::string(kDefaultStore) + ")");
  app.add_option("--pool", g->pool, "the pool a new store serves (default $RGS_POOL, else this host's FQDN)");
  app.add_option("-o,--output", g->output, "list (default), table, json, yaml or csv");
  app.add_flag("--wide", g->wide, "-o table: print every column whole, however wide the terminal");
  app.add_flag("--whatif", g->whatif, "show what would change and change nothing");
  app.add_flag("--force", g->force, "do not ask for confirmation");
  app.add_option("--expect-revision", g->expect_revision, "fail with status 6 unless the store is at revision N");
  app.add_flag("-q,--quiet", g->quiet, "print no results or warnings");
}

std::unique_ptr<CLI::App> BuildApp(const Cmdlet& c, Globals* g, Runner* run) {
  auto app = std::make_unique<CLI::App>(c.summary, std::string("rgs ") + c.name);
  app->set_help_flag("-h,--help", "print this help and exit");
  app->footer(std::string("Global options may come before or after the cmdlet. See man rgs, section ") + c.name + ".");
  AddGlobalOptions(*app, g);
  *run = c.setup(*app);
  return app;
}

void PrintUsage(std::ostream& out) {
  out << "usage: rgs [GLOBAL OPTIONS] CMDLET [OPTIONS]\n\n"
         "rgs configures Response Group workflows, queues and agent groups in a versioned store.\n\n"
         "Cmdlets:\n";
  for (const auto& c : kCmdlets) {
    std::string name = c.name;
    out << "  " << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << c.summary << "\n";
  }
  out << "\nGlobal options:\n"
         "  --store PATH          the store file (env RGS_STORE; default "
      << kDefaultStore
      << ")\n"
         "  --pool NAME           the pool a new store serves (env RGS_POOL; default this host's FQDN)\n"
         "  -o, --output FORMAT   list (default), table, json, yaml or csv\n"
         "  --wide                -o table: print every column whole, however wide the terminal\n"
         "  --whatif              show what a writing cmdlet would change; change nothing\n"
         "  --force               do not ask for confirmation\n"
         "  --expect-revision N   fail with status 6 unless the store is at revision N\n"
         "  -q, --quiet           print no results or warnings\n\n"
         "'rgs help CMDLET' or 'rgs CMDLET --help' explains one cmdlet; man rgs has them all.\n";
}

Runner Help(CLI::App& app) {
  auto topic = std::make_shared<std::string>();
  app.add_option("CMDLET", *topic, "the cmdlet to explain");
  return [topic](Context& ctx) -> Status {
    if (topic->empty()) {
      PrintUsage(ctx.out);
      return Status::Ok();
    }
    const Cmdlet* c = FindCmdlet(*topic);
    if (!c) return UnknownCmdlet(*topic);
    Globals g;
    Runner unused;
    auto sub = BuildApp(*c, &g, &unused);
    ctx.out << sub->help();
    return Status::Ok();
  };
}

}  // namespace rgs::cli
