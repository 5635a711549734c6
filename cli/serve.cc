#include "cli/serve.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "cli/execute.h"
#include "cli/forward.h"
#include "os/names.h"
#include "store/store.h"

namespace rgs::cli {
namespace {

std::string Declined(const std::string& why) { return nlohmann::json{{"declined", true}, {"why", why}}.dump() + "\n"; }

// A header line, then the bytes of standard output and of standard error as they are.
std::string Answer(int status, const std::string& out, const std::string& err) {
  return nlohmann::json{{"exit", status}, {"out", out.size()}, {"err", err.size()}}.dump() + "\n" + out + err;
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

CommandServer::CommandServer(std::string store_path, Audit audit)
    : store_path_(std::move(store_path)), audit_(std::move(audit)), thread_([this] { Loop(); }) {}

CommandServer::~CommandServer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void CommandServer::Submit(const std::string& request_json, uid_t uid, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(Job{request_json, uid, std::move(done)});
  }
  cv_.notify_one();
}

void CommandServer::Loop() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and every command taken has been answered
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    std::string answer;
    try {
      answer = Run(job);
    } catch (const std::exception& e) {
      answer = Answer(ExitStatus(Code::kInternal), "", std::string("rgs: internal error in rgsd: ") + e.what() + "\n");
    }
    job.done(answer);
  }
}

std::string CommandServer::Run(const Job& job) {
  auto req = nlohmann::json::parse(job.request, nullptr, false);
  if (req.is_discarded() || !req.is_object() || !req.contains("store") || !req["store"].is_string() ||
      !req.contains("args") || !req["args"].is_array() || req["args"].empty())
    return Declined("a run request has store and args");
  Invocation inv;
  for (const auto& a : req["args"]) {
    if (!a.is_string()) return Declined("args are strings");
    inv.args.push_back(a.get<std::string>());
  }
  bool help = false, version = false;
  int at = CmdletPosition(inv.args, &help, &version);
  const Cmdlet* cmdlet = at < 0 ? nullptr : FindCmdlet(inv.args[at]);
  if (!cmdlet || !FindForwarded(cmdlet->name) || help || version) return Declined("not a cmdlet rgsd runs");
  // Only a user who may write the store file directly: rgsd's own user, or root (DESIGN §6).
  if (job.uid != 0 && job.uid != ::geteuid())
    return Declined("uid " + std::to_string(job.uid) + " runs its own commands");
  if (!SameFile(req["store"].get<std::string>(), store_path_)) return Declined("rgsd serves another store");
  if (!store_) {
    auto opened = store::Store::Open(store_path_, store::Store::Mode::kWrite, "");
    if (!opened.ok()) return Declined("rgsd cannot open its store: " + opened.status().message());
    store_ = std::move(*opened);
    store_->StayOpen();
  }
  std::ostringstream out, err;
  inv.out = &out;
  inv.err = &err;
  inv.actor = os::UserName(job.uid);
  inv.store = store_.get();
  inv.interactive = false;
  auto started = std::chrono::steady_clock::now();
  int status = Execute(inv);
  if (audit_) {
    char took[32];
    std::snprintf(took, sizeof took, " in %.1f ms",
                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    audit_(cmdlet->store == StoreUse::kWrite, "ran for " + inv.actor + " (uid " + std::to_string(job.uid) + "): " +
                                                  CommandLine(inv.args) + ": exit " + std::to_string(status) + took);
  }
  return Answer(status, out.str(), err.str());
}

}  // namespace rgs::cli
