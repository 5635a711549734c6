// Cmdlets of agents' SIP digest credentials: set-, get-, remove-agentcredential (an extension of
// Lync, whose agents authenticated through Active Directory). The password is read from the
// terminal, a file or standard input, never from the command line (where `ps` shows it to
// everyone); only its HA1 hashes are stored, for the realm of the store's pool.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/nouns.h"
#include "core/snapshot.h"

namespace rgs::cli {

namespace {

constexpr SizeLimit kPasswordLimit{4096, "4 KiB"};
constexpr size_t kMaxPassword = 1024;

const char kNoArgvPassword[] =
    "a password is never taken from the command line (any user can read it in the process list): type it at the "
    "prompt, or give --password-file FILE, or --password-file - to read it from standard input";

Result<std::string> AgentAddress(const std::string& option, const std::string& uri) {
  auto uris = SipUris(option, {uri});
  if (!uris.ok()) return uris.status();
  if (uris->size() != 1) return Usage(option + ": give one agent's SIP URI");
  std::string aor = core::NormalizeAddress(uris->front());
  if (core::DigestUsername(aor).empty()) return Usage(option + ": '" + uri + "' has no user part to authenticate as");
  return aor;
}

Status CheckPassword(const std::string& where, const std::string& password) {
  if (password.empty()) return Invalid(where + ": the password is empty");
  if (password.size() > kMaxPassword) return Invalid(where + ": the password is longer than 1024 characters");
  return Status::Ok();
}

// One line typed with echo off.
// Echo goes off (and anything typed earlier is discarded) before the prompt is shown, so that
// what is typed after the prompt is neither echoed nor thrown away.
Result<std::string> ReadHidden(const std::string& prompt) {
  termios old{};
  if (tcgetattr(STDIN_FILENO, &old) != 0) return IoError("cannot read the terminal's settings");
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fputs("\n", stderr);
  if (!got) return IoError("no password typed");
  return line;
}

// The password for `aor`: the first line of --password-file (standard input for "-"), else
// typed twice at the terminal.
Result<std::string> Password(const std::string& file, const std::string& aor) {
  if (!file.empty()) {
    auto text = ReadOptionFile("--password-file", file, kPasswordLimit, true);
    if (!text.ok()) return text.status();
    std::string pw = text->substr(0, text->find('\n'));
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    RGS_RETURN_IF_ERROR(CheckPassword("--password-file", pw));
    return pw;
  }
  if (!isatty(STDIN_FILENO))
    return Usage(
        "no password: standard input is not a terminal; give --password-file FILE, or --password-file - "
        "to read it from standard input");
  auto first = ReadHidden("Password for " + aor + ": ");
  if (!first.ok()) return first.status();
  RGS_RETURN_IF_ERROR(CheckPassword("the password typed", *first));
  auto again = ReadHidden("The same password again: ");
  if (!again.ok()) return again.status();
  if (*again != *first) return Invalid("the two passwords typed differ; nothing changed");
  return *first;
}

// --credential-file: "AGENT-URI PASSWORD" per line (the password is the rest of the line);
// empty lines and lines starting with # are skipped.
Result<std::vector<core::AgentCredential>> ReadCredentialFile(const std::string& file, const std::string& realm) {
  auto text = ReadOptionFile("--credential-file", file, kDocumentLimit, true);
  if (!text.ok()) return text.status();
  std::vector<core::AgentCredential> out;
  std::string label = file == "-" ? "standard input" : file;
  size_t start = 0;
  for (int line = 1; start < text->size(); ++line) {
    size_t end = text->find('\n', start);
    std::string l = text->substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text->size() : end + 1;
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (l.empty() || l[0] == '#') continue;
    std::string where = "--credential-file: " + label + ":" + std::to_string(line);
    size_t sp = l.find_first_of(" \t");
    if (sp == std::string::npos) return Invalid(where + ": expected 'AGENT-URI PASSWORD'");
    auto aor = AgentAddress(where, l.substr(0, sp));
    if (!aor.ok()) return Invalid(aor.status().message());
    std::string pw =
        l.substr(l.find_first_not_of(" \t", sp) == std::string::npos ? l.size() : l.find_first_not_of(" \t", sp));
    RGS_RETURN_IF_ERROR(CheckPassword(where, pw));
    out.push_back(core::MakeCredential(*aor, realm, pw));
  }
  if (out.empty()) return Invalid("--credential-file: " + label + " names no agent");
  return out;
}

store::Json Shown(const core::AgentCredential& c) { return store::CredentialDoc(c); }

}  // namespace

Runner SetAgentCredential(CLI::App& app) {
  struct Opts {
    std::string agent, password_file, credential_file, argv_password;
    std::vector<std::string> extra;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("AGENT", o->agent, "the agent's SIP URI (sip:alice@example.com)");
  app.add_option("EXTRA", o->extra, "(refused: a password is never taken from the command line)");
  app.add_option("--password-file", o->password_file,
                 "read the password from the first line of FILE, or of standard input for -; without it, the "
                 "password is typed twice at the terminal");
  app.add_option("--credential-file", o->credential_file,
                 "many agents in one revision: lines 'AGENT-URI PASSWORD' from FILE, or standard input for -");
  app.add_option("--password", o->argv_password, "(refused: a password is never taken from the command line)");
  return [o](Context& ctx) -> Status {
    if (!o->argv_password.empty() || !o->extra.empty()) return Usage(kNoArgvPassword);
    const std::string& realm = ctx.store->pool();
    std::vector<core::AgentCredential> creds;
    if (!o->credential_file.empty()) {
      if (!o->agent.empty() || !o->password_file.empty())
        return Usage("--credential-file names the agents and their passwords: give no AGENT or --password-file");
      auto all = ReadCredentialFile(o->credential_file, realm);
      if (!all.ok()) return all.status();
      creds = std::move(*all);
    } else {
      if (o->agent.empty()) return Usage("give the agent's SIP URI (AGENT), or --credential-file");
      auto aor = AgentAddress("AGENT", o->agent);
      if (!aor.ok()) return aor.status();
      auto pw = Password(o->password_file, *aor);
      if (!pw.ok()) return pw.status();
      creds.push_back(core::MakeCredential(*aor, realm, *pw));
    }
    for (const auto& c : creds) RGS_RETURN_IF_ERROR(ctx.store->PutCredential(c));
    ctx.summary = creds.size() == 1 ? "set the credential of agent '" + creds[0].aor + "'"
                                    : "set the credentials of " + std::to_string(creds.size()) + " agents";
    return Status::Ok();
  };
}

Runner GetAgentCredential(CLI::App& app) {
  struct Opts {
    std::string agent, revision;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("AGENT", o->agent, "the agent's SIP URI; without it, every agent that has a credential");
  app.add_option("--revision", o->revision, "as of revision N");
  return [o](Context& ctx) -> Status {
    auto at = RevisionOption(ctx, o->revision);
    if (!at.ok()) return at.status();
    if (!o->agent.empty()) {
      auto aor = AgentAddress("AGENT", o->agent);
      if (!aor.ok()) return aor.status();
      auto c = ctx.store->Credential(*aor, *at);
      if (!c.ok()) return c.status();
      if (!*c) return NotFound("agent '" + *aor + "' has no credential");
      PrintObjects(ctx, {Shown(**c)}, true);
      return Status::Ok();
    }
    auto all = ctx.store->Credentials(*at);
    if (!all.ok()) return all.status();
    ObjectStream stream(ctx);
    for (const auto& c : *all) stream.Add(Shown(c));
    stream.Finish();
    return Status::Ok();
  };
}

Runner RemoveAgentCredential(CLI::App& app) {
  auto agent = std::make_shared<std::string>();
  app.add_option("AGENT", *agent, "the agent's SIP URI")->required();
  return [agent](Context& ctx) -> Status {
    auto aor = AgentAddress("AGENT", *agent);
    if (!aor.ok()) return aor.status();
    RGS_RETURN_IF_ERROR(ctx.store->RemoveCredential(*aor));
    ctx.summary = "removed the credential of agent '" + *aor + "'";
    return Status::Ok();
  };
}

}  // namespace rgs::cli
