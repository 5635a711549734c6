// What a cmdlet handler gets: the open store, the global options, and where its output goes.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "archive/file.h"
#include "core/status.h"
#include "store/catalog.h"
#include "store/store.h"

namespace rgs::cli {

enum class Format { kList, kTable, kJson, kYaml, kCsv };

struct Context {
  // out: where results go. A writing cmdlet's are held until its transaction commits; a reading
  // cmdlet's go straight to stdout.
  explicit Context(std::ostream& o) : out(o) {}
  store::Store* store = nullptr;  // null for cmdlets that need none
  store::Catalog* catalog = nullptr;
  Format format = Format::kList;
  bool whatif = false;
  bool force = false;
  bool quiet = false;
  bool interactive = true;  // may ask on the terminal (false in rgsd)
  size_t width = 0;         // columns -o table may fill; 0: no limit
  std::string cmdlet;
  std::string summary;                // one line for the revision; set by writing handlers
  std::vector<std::string> warnings;  // printed on stderr after the command
  bool own_whatif_report = false;     // --whatif: the handler printed what it would do
  std::ostream& out;

  // Asks on the terminal; false without one (then the caller fails with exit 5).
  bool Confirm(const std::string& question) const;
};

// A handler: runs with the parsed options it captured.
using Runner = std::function<Status(Context&)>;
// Declares a cmdlet's options on `app` and returns the handler that uses them.
using Setup = Runner (*)(CLI::App& app);

enum class StoreUse { kNone, kRead, kWrite };

struct Cmdlet {
  const char* name;   // new-agentgroup
  const char* alias;  // New-CsRgsAgentGroup, or nullptr
  StoreUse store;
  const char* summary;
  Setup setup;
};

// Every cmdlet rgs knows (cli/cmdlets.cc).
const std::vector<Cmdlet>& Cmdlets();
const Cmdlet* FindCmdlet(const std::string& name);
// The closest cmdlet name to a mistyped one, or "".
std::string Suggest(const std::string& name);
// The candidate nearest to a mistyped word (edit distance, ignoring case), or "" when none is
// near enough to be what was meant.
std::string Nearest(const std::string& word, const std::vector<std::string>& candidates);
// The usage error for a name that is no cmdlet, with the nearest one or a pointer to rgs help.
Status UnknownCmdlet(const std::string& name);

// cli/exit_status.cc: the one mapping from engine codes to exit statuses (man/rgs.1, EXIT STATUS).
int ExitStatus(Code code);

// cli/output.cc: printing results in the chosen format.
void PrintObjects(Context& ctx, const std::vector<store::Json>& objects, bool single);
// Prints a list object by object, so that a long listing never holds every document at once
// (only table output, which needs every row for its column widths, keeps them until Finish).
class ObjectStream {
 public:
  explicit ObjectStream(Context& ctx);
  void Add(store::Json obj);
  void Finish();

 private:
  Context& ctx_;
  size_t n_ = 0;
  std::vector<store::Json> held_;
  std::vector<std::string> columns_;
};
void PrintChanges(Context& ctx, const std::vector<store::Change>& changes, const std::string& header);
std::optional<Format> ParseFormat(const std::string& text);
// The -o words, in the order ParseFormat knows them.
std::vector<std::string> FormatNames();

// cli/options.cc: option values shared by the noun families.
Result<int> ParseInt(const std::string& option, const std::string& text);
// A whole number, or "none"/"null"/"" for no value.
Result<std::optional<int>> ParseOptionalInt(const std::string& option, const std::string& text);
Result<bool> ParseBool(const std::string& option, const std::string& text);
// The options whose value is one word of a fixed list, each with its words as `rgs` spells them
// (the DESIGN §2 rule that an option means the same in every cmdlet makes the option's name
// enough): completion offers the words, and NotAChoice names the nearest one.
struct Choice {
  std::string option;
  std::vector<std::string> words;
};
const std::vector<Choice>& Choices();
// The words `option` takes, or null when it takes any value.
const std::vector<std::string>* ChoicesOf(const std::string& option);
// The usage error for a word `option` does not take: the words it takes, and the nearest one.
Status NotAChoice(const std::string& option, const std::string& text);
// "LongestIdle" -> "longest-idle".
std::string Kebab(const std::string& camel);
// "terminate", "queue:NAME", "uri:sip:..", "voicemail:sip:..", "pstn:tel:+..", "pstn:sip:+..@d".
Result<core::CallAction> ParseAction(Context& ctx, const std::string& option, const std::string& text);
// "text:..." or "audio:NAME"; repeatable to give both.
Result<core::Prompt> ParsePrompts(Context& ctx, const std::string& option, const std::vector<std::string>& texts);
// An option naming one object (name, GUID or identity), or "none"/"" to clear: *guid is set to
// its GUID or cleared.
Status ResolveOrNone(Context& ctx, const std::string& kind, const std::string& option, const std::string& text,
                     std::string* guid);
// Splits "a,b,c" (and repeated options) into items, dropping empty ones.
std::vector<std::string> SplitList(const std::vector<std::string>& values);
// The SIP URIs given (a,b,c or repeated), each checked; a malformed one is a usage error.
Result<std::vector<std::string>> SipUris(const std::string& option, const std::vector<std::string>& values);
// The GUIDs of the objects of `kind` named (name, GUID or identity; a,b,c or repeated).
Result<std::vector<std::string>> ResolveAll(Context& ctx, const std::string& kind, const std::string& option,
                                            const std::vector<std::string>& refs);
// The name an object is stored under (for messages), or the reference as given.
std::string StoredName(Context& ctx, const std::string& kind, const std::string& guid, const std::string& given);
// set-*'s edits of an ordered list: --THINGs replaces the whole list, then --remove-THING and
// --add-THING (repeatable, or a,b,c) remove entries and append them, in that order.
struct ListEdit {
  // How a list's entries are made from the values an option gives (one entry per value, in
  // order), compared, and named in messages.
  struct Entries {
    std::function<Result<std::vector<std::string>>(const std::string& option, const std::vector<std::string>& values)>
        make;
    std::function<bool(const std::string& a, const std::string& b)> same;
    std::function<std::string(const std::string& entry, const std::string& given)> name;
  };
  std::string thing;
  std::vector<std::string> add, remove, replace;
  CLI::Option* replace_opt = nullptr;

  // `a_thing`: "an agent (SIP URI)", for the options' help.
  void Add(CLI::App& app, const std::string& thing, const std::string& a_thing);
  bool any() const { return !add.empty() || !remove.empty() || (replace_opt && replace_opt->count()); }
  // Edits `list`; a removed entry that is not there is not found (exit 3), an added one that is
  // already there already exists (exit 4): "OPTION: NAME NOT_IN" / "OPTION: NAME ALREADY_IN".
  Status Apply(std::vector<std::string>* list, const Entries& entries, const std::string& not_in,
               const std::string& already_in) const;
};
// --agent-alert-time for AgentAlertTime, with the exceptions given.
store::Labeler OptionLabeler(std::vector<std::pair<std::string, std::string>> exceptions);
// The most an option's file may hold, in bytes and as man/rgs.1 says it ("16 MiB").
struct SizeLimit {
  size_t bytes;
  const char* text;
};
// Documents (--instance, --question-file, --agent-state), from a file or standard input.
inline constexpr SizeLimit kDocumentLimit{16u << 20, "16 MiB"};
// Opens the file an option names for reading: a regular file only. kUsage (exit 2) for a
// folder, device, FIFO or socket; kIoError (exit 1) when it cannot be opened. Messages begin
// with the option and name the file.
Result<archive::File> OpenOptionFile(const std::string& option, const std::string& path);
// The whole content of the file an option names, or of standard input for "-" when stdin_ok:
// OpenOptionFile's refusals, and kInvalid (exit 5) for more than `limit`, which is never read
// past (an endless input ends there).
Result<std::string> ReadOptionFile(const std::string& option, const std::string& path, SizeLimit limit, bool stdin_ok);
// Reads --instance FILE|- into a document and a labeler that points at file:line:column.
struct Instance {
  store::Json doc;
  store::Labeler label;
};
Result<Instance> ReadInstance(const std::string& path, const std::string& option = "--instance");
// Problems from a document are invalid configuration (exit 5) even when a value is malformed.
Status AsDocumentStatus(Status s);
// The options every get-* takes; reads the object named or lists all visible ones.
struct GetOptions {
  std::string identity;
  std::string revision;
  std::string owner;
  bool show_all = false;
};
void AddGetOptions(CLI::App& app, GetOptions* o, const std::string& noun);
Result<int64_t> RevisionOption(Context& ctx, const std::string& text);
// Whether an object's owner is visible under --owner/--show-all (reference 2.0).
bool Visible(const Context& ctx, const GetOptions& o, const std::string& owner);
// Removes an object, asking for confirmation when it is in use.
Status RemoveObject(Context& ctx, const std::string& kind, const std::string& guid, const std::string& name);

}  // namespace rgs::cli
