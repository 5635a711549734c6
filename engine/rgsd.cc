// rgsd: the routing daemon. Wires the store thread, the SIP thread and the call distributor,
// which runs on this (the main) thread's io_context with the control socket and the RTP.
#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>

#include <systemd/sd-daemon.h>

#include "cli/serve.h"
#include "daemon/acd.h"
#include "daemon/config.h"
#include "daemon/control.h"
#include "daemon/log.h"
#include "daemon/media.h"
#include "daemon/records.h"
#include "daemon/speech.h"
#include "sip/endpoint.h"

using namespace rgs;
using namespace rgs::daemon;

// jemalloc (linked by CMakeLists.txt) reads its options from this documented symbol. Freed
// pages go back to the system 10 s after their last use, by jemalloc's background thread (left
// to itself, jemalloc purges only while the program allocates, so an idle rgsd kept the pages of
// its last burst), and at once (MADV_DONTNEED) rather than lazily (MADV_FREE, counted as resident
// until the kernel needs them): rgsd's resident memory shows what it holds. Without jemalloc the
// symbol is unused.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,muzzy_decay_ms:0";
}

namespace {

// Tells systemd (Type=notify units) how rgsd is doing; nothing when not started by systemd.
void Notify(const std::string& state) { sd_notify(0, state.c_str()); }

const char kUsage[] =
    "usage: rgsd [--config FILE] [--check-config] [--version]\n"
    "  --config FILE    the YAML configuration (man rgsd); without it, the built-in defaults\n"
    "  --check-config   read the configuration and the store, report problems, and exit\n"
    "  --version        print the version and exit\n";

// rgsd's one thread runs both loops: sofia-sip's root (SIP) and Asio (the call distributor,
// timers, RTP, the control socket), so that a SIP event reaches the distributor without a thread
// switch. The root is stepped without waiting, Asio's ready handlers run, and then the thread
// sleeps in Asio until a handler is due, the root's descriptor turns readable, or the root's next
// timer is due. The root's own wait (su_root_step with a timeout) is not used: it rounds the time
// to a timer less than a millisecond away down to 0, and under load the SIP stack's next timer is
// nearly always that near, so that the thread would spin (650,000 empty epoll waits a second were
// counted at 1,000 calls/s). A timer may now run up to 1 ms late.
void Loop(boost::asio::io_context& io, sip::SipLoop& sip, const bool& running, const std::function<bool()>& busy) {
  auto work = boost::asio::make_work_guard(io);
  boost::asio::posix::stream_descriptor wait(io);
  if (int fd = sip.WaitDescriptor(); fd >= 0) wait.assign(dup(fd));
  if (!wait.is_open()) {
    // No descriptor to wait on: SIP for at most 1 ms while calls are in progress, 10 ms when idle.
    while (running) {
      sip.Step(busy() ? 1 : 10);
      io.poll();
    }
    return;
  }
  bool armed = false;
  int quick = 0;
  while (running) {
    int next = sip.Step(0);
    // Asio's handlers may have queued requests to the root, which no descriptor signals: step
    // again. A step that returns 0 did work or has a timer within the millisecond: step a few
    // times at once, then wait.
    if (io.poll() > 0 || (next == 0 && ++quick < 4)) continue;
    quick = 0;
    pollfd ready{wait.native_handle(), POLLIN, 0};
    if (!sip.finished() && poll(&ready, 1, 0) > 0) continue;  // more socket events than one step takes
    if (!armed) {
      armed = true;
      wait.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                      [&armed](const boost::system::error_code&) { armed = false; });
    }
    io.run_one_for(std::chrono::milliseconds(next < 0 || sip.finished() ? 100 : std::max(next, 1)));
  }
  wait.close();
  io.poll();
}

int Fail(const Status& s) {
  std::fprintf(stderr, "rgsd: %s\n", s.message().c_str());
  return s.code() == Code::kUsage || s.code() == Code::kInvalid ? 2 : 1;
}

}  // namespace

namespace {

// Descriptors: the soft limit is raised to the hard one (a waiting caller holds two sockets,
// RTP and RTCP), and the media may use all but kReservedDescriptors of them, which stay for SIP
// (TCP connections), the control socket, the store and the log: a flood of callers never leaves
// rgsd unable to answer its operator. A limit too low for max_calls is said at start.
constexpr size_t kReservedDescriptors = 256;

size_t MediaSockets(int max_calls) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return SIZE_MAX;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  if (rl.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  size_t limit = static_cast<size_t>(rl.rlim_cur);
  size_t media = limit > kReservedDescriptors ? limit - kReservedDescriptors : 0;
  if (media < 2 * static_cast<size_t>(max_calls))
    Warning("only " + std::to_string(limit) + " file descriptors (RLIMIT_NOFILE): " + std::to_string(media / 2) +
            " callers at once can have RTP and RTCP, fewer than sip.max_calls (" + std::to_string(max_calls) +
            "); past " + std::to_string(media) + " media sockets new callers get 503 (raise LimitNOFILE)");
  return media;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--config" || a == "-c") && i + 1 < argc) {
      config_path = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config_path = a.substr(9);
    } else if (a == "--check-config") {
      check = true;
    } else if (a == "--version") {
      std::printf("rgsd %s\n", RGS_VERSION);
      return 0;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "rgsd: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  Config config;
  if (!config_path.empty()) {
    auto c = LoadConfig(config_path);
    if (!c.ok()) return Fail(c.status());
    config = *c;
  }
  SetLogLevel(config.log_level);

  boost::asio::io_context io(1);
  std::unique_ptr<Acd> acd;
  // The clips of each revision (audio files decoded, text prompts rendered) are prepared on the
  // store thread, before the revision reaches the call flow.
  AudioLibrary audio;
  StoreWorker worker(
      config.store, config.pool, config.reload_ms, check ? nullptr : &audio,
      [&io, &acd](std::shared_ptr<const core::Snapshot> snap) {
        boost::asio::post(io, [&acd, snap] {
          if (acd) acd->SetSnapshot(snap);
        });
      },
      [&io](const std::string& message) { boost::asio::post(io, [message] { Warning("store: " + message); }); });
  auto first = worker.Start(!check);
  if (!first.ok()) return Fail(first.status());
  if (check) {
    worker.Stop();
    std::printf("rgsd: configuration %s is valid; store %s (pool %s) at revision %lld\n",
                config_path.empty() ? "(defaults)" : config_path.c_str(), config.store.c_str(), (*first)->pool.c_str(),
                static_cast<long long>((*first)->revision));
    return 0;
  }

  RtpSender rtp(io, config.rtp_address, config.rtp_min_port, config.rtp_max_port);
  rtp.SetSocketLimit(MediaSockets(config.max_calls));
  // Voice answers: pocketsphinx on a thread of its own; its model is loaded when a question first
  // listens for voice keywords.
  SpeechWorker speech(
      io, [] { return Recognizer::Open(Recognizer::DefaultModel()); },
      [&acd](uint64_t call, std::string words) {
        if (acd) acd->OnHeard(call, words);
      },
      [](std::string warning) { Warning(warning); });
  core::FlowOptions flow;
  flow.answer_delay = config.answer_delay;
  flow.probe = std::chrono::seconds(config.probe_interval);
  flow.registration_max = config.registration_max;
  flow.retry_after = config.retry_after;
  flow.media_address = config.rtp_address;
  flow.media = true;  // prompts, music on hold and questions (keys by RFC 4733)
  flow.first_call = static_cast<uint64_t>(worker.last_call()) + 1;
  acd = std::make_unique<Acd>(io, rtp, audio, &worker, flow, config.retry_after, config.auth, &speech);
  if (worker.interrupted() > 0)
    Warning(std::to_string(worker.interrupted()) +
            " call(s) in progress when rgsd last stopped are recorded as interrupted");
  acd->SetSnapshot(*first);
  acd->Restore(worker.agents());

  sip::EndpointConfig ec;
  ec.listen = config.sip_listen;
  ec.max_calls = config.max_calls;
  ec.retry_after = config.retry_after;
  ec.max_message_size = config.max_message_size;
  ec.trusted_peers = config.trusted_peers;
  ec.authenticate_invites = config.authenticate_invites;
  ec.user_agent = std::string("rgsd/") + RGS_VERSION;
  ec.log_level = config.sofia_log_level;
  ec.max_expires = config.registration_max;
  std::string error;
  // One thread runs both loops: sofia's (SIP) and Asio's (the call distributor, timers, RTP,
  // the control socket), so that a SIP event reaches the distributor without a thread switch.
  auto endpoint = sip::StartSofiaHere(
      ec, acd.get(), [&io](std::function<void()> fn) { boost::asio::post(io, std::move(fn)); }, &error);
  if (!endpoint) {
    worker.Stop();
    return Fail(IoError(error));
  }
  acd->SetEndpoint(endpoint.get());

  ControlServer control(io, *acd);
  // rgs commands forwarded by rgs (cli/forward.cc) run here on rgsd's store, one at a time; the
  // control server owns the runner, which it drops when it stops.
  auto commands = std::make_shared<rgs::cli::CommandServer>(config.store, [](bool writes, const std::string& line) {
    if (writes)
      Info(line);  // changes made through rgsd are in its log; reads only when debugging
    else
      Debug(line);
  });
  control.SetRunner([commands](const std::string& request, uid_t peer, std::function<void(std::string)> done) {
    commands->Submit(request, peer, std::move(done));
  });
  commands.reset();
  if (Status s = control.Listen(config.control); !s.ok()) {
    Error(s.message());
    endpoint->Shutdown({});
    endpoint.reset();
    worker.Stop();
    return 1;
  }

  boost::asio::signal_set stop(io, SIGTERM, SIGINT);
  boost::asio::signal_set hup(io, SIGHUP);
  boost::asio::steady_timer deadline(io);
  bool stopping = false, running = true;
  std::function<void()> wait_stop = [&] {
    stop.async_wait([&](const boost::system::error_code& e, int sig) {
      if (e) return;
      if (stopping) return wait_stop();
      stopping = true;
      Notify("STOPPING=1");
      Info(std::string("stopping (") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + "): ending " +
           std::to_string(acd->calls()) + " call(s)");
      control.Close();
      acd->Stop();
      endpoint->Shutdown([&running] { running = false; });
      deadline.expires_after(std::chrono::seconds(10));
      deadline.async_wait([&running](const boost::system::error_code& de) {
        if (!de) {
          Warning("the SIP stack did not stop within 10 s");
          running = false;
        }
      });
      wait_stop();
    });
  };
  wait_stop();
  std::function<void()> wait_hup = [&] {
    hup.async_wait([&](const boost::system::error_code& e, int) {
      if (e) return;
      Notify("RELOADING=1");
      if (config_path.empty()) {
        Info("SIGHUP: no configuration file to read again");
      } else if (auto c = LoadConfig(config_path); !c.ok()) {
        Error("SIGHUP: " + c.status().message() + "; the configuration in force is kept");
      } else {
        SetLogLevel(c->log_level);
        std::vector<std::string> restart;
        if (c->store != config.store) restart.push_back("store");
        if (c->sip_listen != config.sip_listen) restart.push_back("sip.listen");
        if (c->control != config.control) restart.push_back("control");
        if (c->rtp_address != config.rtp_address || c->rtp_min_port != config.rtp_min_port ||
            c->rtp_max_port != config.rtp_max_port)
          restart.push_back("rtp");
        if (c->max_calls != config.max_calls || c->trusted_peers != config.trusted_peers ||
            c->retry_after != config.retry_after || c->answer_delay != config.answer_delay ||
            c->probe_interval != config.probe_interval || c->authenticate_invites != config.authenticate_invites ||
            c->auth != config.auth)
          restart.push_back("sip");
        if (c->pool != config.pool) restart.push_back("pool");
        if (c->sofia_log_level != config.sofia_log_level) restart.push_back("sofia_log_level");
        if (c->reload_ms != config.reload_ms) restart.push_back("reload_ms");
        if (c->registration_max != config.registration_max) restart.push_back("registration_max");
        std::string note;
        for (const auto& r : restart) note += (note.empty() ? "" : ", ") + r;
        Log(restart.empty() ? LogLevel::kInfo : LogLevel::kWarning,
            "SIGHUP: configuration read again; log_level applied" +
                (note.empty() ? std::string() : "; a restart is needed for " + note));
      }
      Notify("READY=1");
      wait_hup();
    });
  };
  wait_hup();

  Info(std::string("rgsd ") + RGS_VERSION + " listening on " + config.sip_listen + " (UDP and TCP); control " +
       config.control + "; store " + config.store + " (pool " + (*first)->pool + ", revision " +
       std::to_string((*first)->revision) + ")");
  Notify("READY=1\nSTATUS=serving revision " + std::to_string((*first)->revision) + " on " + config.sip_listen);
  Loop(io, *endpoint, running, [&] { return acd->calls() > 0 || rtp.active() > 0; });
  endpoint.reset();
  worker.Stop();  // writes the last call records
  Info("stopped");
  return 0;
}
