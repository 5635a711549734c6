// rgs-bench-time LABEL N -- COMMAND...: times a command for the benchmarks. Runs it N times, each a
// fresh process started with posix_spawn, output to /dev/null, and prints the median and p90
// wall time and the peak resident memory of the runs. "{i}" in an argument becomes the run's
// number (after a prefix of this invocation's own), so that a writing command can get a fresh name
// each run without a shell in the timed path.
//
// A small program rather than a script: a child's peak resident memory (ru_maxrss) counts the
// memory of the process it was started from, so timing from Python reported Python's 13 MiB for
// every command. This program's own is a few MiB at most: the line for `true` in bench/cli.sh
// shows it.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 5 || std::strcmp(argv[3], "--") != 0) {
    std::fprintf(stderr, "usage: rgs-bench-time LABEL N -- COMMAND [ARG...]\n");
    return 2;
  }
  const char* label = argv[1];
  char* end = nullptr;
  long n = std::strtol(argv[2], &end, 10);
  if (*end || n < 1) {
    std::fprintf(stderr, "rgs-bench-time: N must be a positive number, not '%s'\n", argv[2]);
    return 2;
  }
  std::string prefix = std::to_string(getpid()) + "-" +
                       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000) + "-";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);

  std::vector<double> ms;
  long peak_kib = 0;
  for (long i = 0; i < n; ++i) {
    std::vector<std::string> args;
    for (int a = 4; a < argc; ++a) {
      std::string s = argv[a];
      for (size_t at; (at = s.find("{i}")) != std::string::npos;) s.replace(at, 3, prefix + std::to_string(i));
      args.push_back(s);
    }
    std::vector<char*> ptrs;
    for (auto& s : args) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
    auto start = std::chrono::steady_clock::now();
    pid_t pid;
    if (int e = posix_spawnp(&pid, ptrs[0], &actions, nullptr, ptrs.data(), environ)) {
      std::fprintf(stderr, "rgs-bench-time: cannot start %s: %s\n", ptrs[0], std::strerror(e));
      return 1;
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {
      if (errno != EINTR) {
        std::fprintf(stderr, "rgs-bench-time: waiting for %s: %s\n", ptrs[0], std::strerror(errno));
        return 1;
      }
    }
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    peak_kib = std::max(peak_kib, usage.ru_maxrss);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::string command;
      for (auto& s : args) command += " " + s;
      std::fprintf(stderr, "rgs-bench-time:%s exited %d\n", command.c_str(),
                   WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
      return 1;
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-48s median %8.2f ms   p90 %8.2f ms   peak RSS %6.1f MiB   (n=%ld)\n", label, ms[ms.size() / 2],
              ms[static_cast<size_t>(static_cast<double>(ms.size()) * 0.9)], static_cast<double>(peak_kib) / 1024, n);
  return 0;
}
