// Parsing of option values shared by the cmdlet families.
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/context.h"
#include "core/validate.h"
#include "store/document.h"

namespace rgs::cli {

using core::ActionKind;

bool Context::Confirm(const std::string& question) const {
  if (force || whatif) return true;  // --whatif shows what the command would do if confirmed
  if (!interactive || !isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) return false;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

Result<int> ParseInt(const std::string& option, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || std::isspace(static_cast<unsigned char>(text[0])))
    return Usage(option + ": '" + text + "' is not a whole number");
  // A well-formed number too large to hold is out of range, not malformed.
  if (errno == ERANGE || v < INT_MIN || v > INT_MAX) return Invalid(option + ": " + text + " is out of range");
  return static_cast<int>(v);
}

Result<std::optional<int>> ParseOptionalInt(const std::string& option, const std::string& text) {
  if (text.empty() || strcasecmp(text.c_str(), "none") == 0 || strcasecmp(text.c_str(), "null") == 0)
    return std::optional<int>();
  auto v = ParseInt(option, text);
  if (!v.ok()) return Status(v.status().code(), v.status().message() + " (or 'none')");
  return std::optional<int>(*v);
}

Result<bool> ParseBool(const std::string& option, const std::string& text) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "true" || t == "yes" || t == "1" || t == "on") return true;
  if (t == "false" || t == "no" || t == "0" || t == "off") return false;
  std::string hint = Nearest(text, {"true", "false", "yes", "no", "on", "off"});
  return Usage(option + ": '" + text + "' is not a boolean (true or false)" +
               (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
}

std::string Kebab(const std::string& camel) {
  std::string kebab;
  for (size_t i = 0; i < camel.size(); ++i) {
    char c = camel[i];
    if (std::isupper(static_cast<unsigned char>(c)) && i > 0 && !std::isupper(static_cast<unsigned char>(camel[i - 1])))
      kebab += '-';
    kebab += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return kebab;
}

namespace {

// "Parallel, LongestIdle" (core's list of an enumeration's names) -> {"parallel", "longest-idle"}.
std::vector<std::string> KebabWords(const std::string& names) {
  std::vector<std::string> words;
  for (const auto& n : SplitList({names})) words.push_back(Kebab(n));
  return words;
}

}  // namespace

const std::vector<Choice>& Choices() {
  static const std::vector<Choice> choices = [] {
    const std::vector<std::string> boolean = {"true", "false"};
    std::vector<std::string> candidates = {"newest", "oldest"};  // as operators type them (core accepts both)
    for (auto& w : KebabWords(core::OverflowCandidateNames())) candidates.push_back(w);
    std::vector<std::string> days;
    for (int d = 0; d < core::kDays; ++d) days.push_back(Kebab(std::string(core::Name(core::Weekday(d)))));
    return std::vector<Choice>{
        {"--output", FormatNames()},
        {"--routing-method", KebabWords(core::RoutingMethodNames())},
        {"--participation-policy", KebabWords(core::ParticipationPolicyNames())},
        {"--overflow-candidate", candidates},
        {"--language", core::Languages()},
        {"--closed", days},
        {"--active", boolean},
        {"--anonymous", boolean},
        {"--enabled-for-federation", boolean},
        {"--managed", boolean},
        {"--custom", boolean},
        {"--disable-call-context", boolean},
    };
  }();
  return choices;
}

const std::vector<std::string>* ChoicesOf(const std::string& option) {
  for (const auto& c : Choices())
    if (c.option == option) return &c.words;
  return nullptr;
}

Status NotAChoice(const std::string& option, const std::string& text) {
  const std::vector<std::string>* words = ChoicesOf(option);
  if (!words) return Usage(option + ": '" + text + "' is not allowed");
  std::string list;
  for (const auto& w : *words) list += (list.empty() ? "" : ", ") + w;
  std::string hint = Nearest(text, *words);
  return Usage(option + ": '" + text + "' is not one of " + list +
               (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
}

Result<core::CallAction> ParseAction(Context& ctx, const std::string& option, const std::string& text) {
  core::CallAction a;
  size_t colon = text.find(':');
  std::string kind = text.substr(0, colon);
  for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (kind == "terminate" && colon == std::string::npos) {
    a.action = ActionKind::kTerminate;
    return a;
  }
  if (kind == "queue" && !rest.empty()) {
    a.action = ActionKind::kTransferToQueue;
    auto guid = ctx.catalog->Resolve(store::kQueue, rest);
    if (!guid.ok()) return Status(guid.status().code(), option + ": " + guid.status().message());
    a.queue = *guid;
    return a;
  }
  if (kind == "question") {
    a.action = ActionKind::kTransferToQuestion;
    return a;  // the slot rules refuse it wherever a question cannot go
  }
  std::string err;
  if (kind == "uri") {
    a.action = ActionKind::kTransferToUri;
    err = core::CheckSipUri(rest);
  } else if (kind == "voicemail") {
    a.action = ActionKind::kTransferToVoiceMailUri;
    err = core::CheckSipUri(rest);
  } else if (kind == "pstn") {
    a.action = ActionKind::kTransferToPstn;
    err = core::CheckPstnUri(rest);
  } else {
    return Usage(option + ": '" + text +
                 "' is not a call action: use terminate, queue:NAME, uri:sip:USER@HOST, "
                 "voicemail:sip:USER@HOST, pstn:tel:+DIGITS or pstn:sip:+DIGITS@DOMAIN");
  }
  if (!err.empty()) return Usage(option + ": '" + rest + "' " + err);
  a.uri = rest;
  return a;
}

Result<core::Prompt> ParsePrompts(Context& ctx, const std::string& option, const std::vector<std::string>& texts) {
  core::Prompt p;
  for (const auto& t : texts) {
    if (t.rfind("text:", 0) == 0) {
      if (!p.text.empty()) return Usage(option + ": give text: once");
      p.text = t.substr(5);
      if (p.text.empty()) return Usage(option + ": 'text:' has no text");
    } else if (t.rfind("audio:", 0) == 0) {
      if (!p.audio.empty()) return Usage(option + ": give audio: once");
      p.audio = t.substr(6);
      if (p.audio.empty()) return Usage(option + ": 'audio:' names no audio file");
    } else {
      return Usage(option + ": '" + t + "' is not a prompt: use text:WORDS or audio:NAME");
    }
  }
  if (p.text.size() > core::kMaxPromptText)
    return Invalid(option + ": the text is " + std::to_string(p.text.size()) + " characters: at most 4096 allowed");
  if (!p.audio.empty()) {
    auto g = ctx.catalog->Resolve(store::kAudioFile, p.audio);
    if (!g.ok()) return Status(g.status().code(), option + ": " + g.status().message());
    p.audio = *g;
  }
  return p;
}

Status ResolveOrNone(Context& ctx, const std::string& kind, const std::string& option, const std::string& text,
                     std::string* guid) {
  if (text.empty() || strcasecmp(text.c_str(), "none") == 0) {
    guid->clear();
    return Status::Ok();
  }
  auto g = ctx.catalog->Resolve(kind, text);
  if (!g.ok()) return Status(g.status().code(), option + ": " + g.status().message());
  *guid = *g;
  return Status::Ok();
}

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

store::Labeler OptionLabeler(std::vector<std::pair<std::string, std::string>> exceptions) {
  return [exceptions](const std::string& property) -> std::string {
    if (property.empty()) return "";
    std::string head = property.substr(0, property.find_first_of(".["));
    for (const auto& [p, o] : exceptions)
      if (p == head) return o + " (" + property + ")";
    return "--" + Kebab(head) + " (" + property + ")";
  };
}

Result<archive::File> OpenOptionFile(const std::string& option, const std::string& path) {
  auto f = archive::OpenRegular(path);
  if (!f.ok()) return Status(f.status().code(), option + ": " + f.status().message());
  return f;
}

Result<std::string> ReadOptionFile(const std::string& option, const std::string& path, SizeLimit limit, bool stdin_ok) {
  bool from_stdin = stdin_ok && path == "-";
  std::string what = from_stdin ? "standard input" : "'" + path + "'";
  std::string allowed = ": at most " + std::string(limit.text) + " (" + std::to_string(limit.bytes) + " bytes) allowed";
  std::optional<archive::File> file;
  if (!from_stdin) {
    auto f = OpenOptionFile(option, path);
    if (!f.ok()) {
      if (stdin_ok && f.status().code() == Code::kUsage)
        return Usage(f.status().message() + " (- reads standard input)");
      return f.status();
    }
    file.emplace(std::move(*f));
    struct stat st {};
    if (::fstat(file->fd(), &st) == 0 && static_cast<uintmax_t>(st.st_size) > limit.bytes)
      return Invalid(option + ": " + what + " is " + std::to_string(st.st_size) + " bytes" + allowed);
  }
  bool over = false;
  auto text = archive::ReadAtMost(from_stdin ? STDIN_FILENO : file->fd(), limit.bytes, &over);
  if (!text.ok()) return IoError(option + ": cannot read " + what + ": " + text.status().message());
  if (over)
    return Invalid(option + ": " + what + " holds more than " + limit.text + " (" + std::to_string(limit.bytes) +
                   " bytes), the most allowed");
  return text;
}

Result<Instance> ReadInstance(const std::string& path, const std::string& option) {
  auto read = ReadOptionFile(option, path, kDocumentLimit, true);
  if (!read.ok()) return read.status();
  const std::string& text = *read;
  std::string source = path == "-" ? "<stdin>" : path;
  auto positions = std::make_shared<store::Positions>();
  auto doc = store::ParseDocument(text, source, positions.get());
  if (!doc.ok()) return doc.status();
  store::Json j = std::move(*doc);
  // get -o json|yaml of a list prints a list; a list of one object is that object.
  if (j.is_array()) {
    if (j.size() != 1)
      return Invalid(source + ": holds " + std::to_string(j.size()) + " objects; " + option + " takes exactly one");
    j = j[0];
    auto shifted = std::make_shared<store::Positions>();
    for (const auto& [k, v] : *positions)
      if (k.rfind("[0]", 0) == 0) (*shifted)[k.size() > 3 && k[3] == '.' ? k.substr(4) : k.substr(3)] = v;
    positions = shifted;
  }
  if (!j.is_object()) return Invalid(source + ": must hold one object (a mapping of properties)");
  Instance inst{std::move(j), {}};
  inst.label = [source, positions](const std::string& property) {
    return store::Locate(source, *positions, property) + property;
  };
  return inst;
}

Status AsDocumentStatus(Status s) {
  if (s.code() == Code::kUsage) return Invalid(s.message());
  return s;
}

void AddGetOptions(CLI::App& app, GetOptions* o, const std::string& noun) {
  app.add_option("IDENTITY", o->identity, "the " + noun + "'s name, GUID or identity; all when omitted");
  app.add_option("--identity", o->identity, "the same as the positional IDENTITY");
  app.add_option("--revision", o->revision, "read the configuration as of revision N");
  app.add_option("--owner", o->owner,
                 "only objects owned by this pool (POOL or service:ApplicationServer:POOL, any case)");
  app.add_flag("--show-all", o->show_all, "include objects owned by another pool");
}

Result<int64_t> RevisionOption(Context& ctx, const std::string& text) {
  if (text.empty()) return store::kCurrent;
  auto n = ParseInt("--revision", text);
  if (!n.ok()) return n.status();
  if (*n < 0 || *n > ctx.store->revision())
    return NotFound("revision " + text + " not found: the store is at revision " +
                    std::to_string(ctx.store->revision()));
  return static_cast<int64_t>(*n);
}

bool Visible(const Context& ctx, const GetOptions& o, const std::string& owner) {
  if (!o.owner.empty()) return store::SamePool(o.owner, owner);
  if (o.show_all || !o.identity.empty()) return true;
  return owner == ctx.store->pool();
}

Status RemoveObject(Context& ctx, const std::string& kind, const std::string& guid, const std::string& name) {
  Status s = ctx.catalog->Remove(kind, guid, ctx.force, &ctx.warnings);
  if (s.code() == Code::kInvalid && !ctx.force && ctx.Confirm("rgs: " + s.message() + ". Remove it?"))
    s = ctx.catalog->Remove(kind, guid, true, &ctx.warnings);
  if (s.ok()) ctx.summary = "removed " + store::Noun(kind) + " '" + name + "'";
  return s;
}

Result<std::vector<std::string>> SipUris(const std::string& option, const std::vector<std::string>& values) {
  std::vector<std::string> uris = SplitList(values);
  for (const auto& u : uris)
    if (std::string err = core::CheckSipUri(u); !err.empty()) return Usage(option + ": '" + u + "' " + err);
  return uris;
}

Result<std::vector<std::string>> ResolveAll(Context& ctx, const std::string& kind, const std::string& option,
                                            const std::vector<std::string>& refs) {
  std::vector<std::string> out;
  for (const auto& r : SplitList(refs)) {
    auto g = ctx.catalog->Resolve(kind, r);
    if (!g.ok()) return Status(g.status().code(), option + ": " + g.status().message());
    out.push_back(*g);
  }
  return out;
}

std::string StoredName(Context& ctx, const std::string& kind, const std::string& guid, const std::string& given) {
  auto o = ctx.store->Get(kind, guid);
  return o.ok() && o->has_value() ? (*o)->name : given;
}

void ListEdit::Add(CLI::App& app, const std::string& name, const std::string& a_thing) {
  thing = name;
  app.add_option("--add-" + thing, add, "append " + a_thing + "; repeatable");
  app.add_option("--remove-" + thing, remove, "remove " + a_thing + "; repeatable");
  replace_opt = app.add_option("--" + thing + "s", replace, "replace the whole ordered list (a,b,c; '' for none)")
                    ->expected(0, 1)
                    ->allow_extra_args(false);
}

Status ListEdit::Apply(std::vector<std::string>* list, const Entries& entries, const std::string& not_in,
                       const std::string& already_in) const {
  if (replace_opt && replace_opt->count()) {
    auto all = entries.make("--" + thing + "s", replace);
    if (!all.ok()) return all.status();
    *list = *all;
  }
  const std::string remove_opt = "--remove-" + thing, add_opt = "--add-" + thing;
  auto removed = entries.make(remove_opt, remove);
  if (!removed.ok()) return removed.status();
  auto given = SplitList(remove);
  for (size_t i = 0; i < removed->size(); ++i) {
    auto it =
        std::find_if(list->begin(), list->end(), [&](const std::string& x) { return entries.same(x, (*removed)[i]); });
    if (it == list->end()) return NotFound(remove_opt + ": " + entries.name((*removed)[i], given[i]) + " " + not_in);
    list->erase(it);
  }
  auto added = entries.make(add_opt, add);
  if (!added.ok()) return added.status();
  given = SplitList(add);
  for (size_t i = 0; i < added->size(); ++i) {
    if (std::any_of(list->begin(), list->end(), [&](const std::string& x) { return entries.same(x, (*added)[i]); }))
      return AlreadyExists(add_opt + ": " + entries.name((*added)[i], given[i]) + " " + already_in);
    list->push_back((*added)[i]);
  }
  return Status::Ok();
}

}  // namespace rgs::cli
