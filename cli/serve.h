// rgsd's side of forwarding (cli/forward.cc is rgs's): runs forwarded rgs commands, one at a
// time, on a thread of its own with its own connection to the store rgsd serves.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rgs::store {
class Store;
}

namespace rgs::cli {

class CommandServer {
 public:
  // Answers: the line {"declined":true,"why":...} when the command is to run in rgs itself,
  // else the line {"exit":N,"out":BYTES,"err":BYTES} followed by that many bytes of standard
  // output and of standard error. `done` is called on the server's thread.
  using Done = std::function<void(std::string answer)>;

  // audit: told of each command run, whether it could write, and a line saying who ran what
  // and how it ended.
  using Audit = std::function<void(bool writes, const std::string& line)>;
  CommandServer(std::string store_path, Audit audit);
  ~CommandServer();

  // request: {"op":"run","store":"/abs/path","args":["rgs",...]}; uid: the peer's (SO_PEERCRED).
  void Submit(const std::string& request_json, uid_t uid, Done done);

 private:
  struct Job {
    std::string request;
    uid_t uid;
    Done done;
  };
  void Loop();
  std::string Run(const Job& job);

  std::string store_path_;
  Audit audit_;
  std::unique_ptr<store::Store> store_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rgs::cli
