// Reading rgsd's YAML configuration with the position of every problem.
#include "daemon/config.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

namespace rgs::daemon {
namespace {

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  Status Fail(const YAML::Node& node, const std::string& key, const std::string& what) {
    const YAML::Mark m = node.Mark();
    std::string where = path_;
    if (m.line >= 0) where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    return Invalid(where + ": " + key + ": " + what);
  }

  Status String(const YAML::Node& n, const std::string& key, std::string* out) {
    if (!n.IsScalar()) return Fail(n, key, "must be a string");
    *out = n.Scalar();
    return Status::Ok();
  }

  Status Int(const YAML::Node& n, const std::string& key, int lo, int hi, int* out) {
    if (!n.IsScalar())
      return Fail(n, key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    const std::string& s = n.Scalar();
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end || v < lo || v > hi)
      return Fail(n, key, "'" + s + "' is not a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    *out = static_cast<int>(v);
    return Status::Ok();
  }

  Status Address(const YAML::Node& n, const std::string& key, std::string* out) {
    RGS_RETURN_IF_ERROR(String(n, key, out));
    unsigned char buf[16];
    if (inet_pton(AF_INET, out->c_str(), buf) != 1 && inet_pton(AF_INET6, out->c_str(), buf) != 1)
      return Fail(n, key, "'" + *out + "' is not an IPv4 or IPv6 address");
    return Status::Ok();
  }

  // An IPv4 or IPv6 address, or a prefix ADDRESS/BITS.
  Status Peer(const YAML::Node& n, const std::string& key, std::string* out) {
    RGS_RETURN_IF_ERROR(String(n, key, out));
    size_t slash = out->find('/');
    std::string net = out->substr(0, slash);
    unsigned char buf[16];
    bool v4 = inet_pton(AF_INET, net.c_str(), buf) == 1, v6 = !v4 && inet_pton(AF_INET6, net.c_str(), buf) == 1;
    int max = v4 ? 32 : 128;
    if (!v4 && !v6) return Fail(n, key, "'" + *out + "' is not an IPv4 or IPv6 address or prefix (ADDRESS/BITS)");
    if (slash != std::string::npos) {
      std::string bits = out->substr(slash + 1);
      char* end = nullptr;
      long b = std::strtol(bits.c_str(), &end, 10);
      if (bits.empty() || *end || b < 0 || b > max)
        return Fail(n, key, "'" + *out + "': the prefix length must be 0 to " + std::to_string(max));
    }
    return Status::Ok();
  }

  Status Bool(const YAML::Node& n, const std::string& key, bool* out) {
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) {
      *out = n.Scalar() == "true";
      return Status::Ok();
    }
    return Fail(n, key, "must be true or false");
  }

  Result<Config> Read(const YAML::Node& root) {
    Config c;
    if (root.IsNull()) return c;
    if (!root.IsMap()) return Fail(root, "(document)", "must be a mapping of settings");
    for (auto it = root.begin(); it != root.end(); ++it) {
      const YAML::Node k = it->first;
      std::string key = k.Scalar();
      const YAML::Node v = it->second;
      if (key == "store") {
        RGS_RETURN_IF_ERROR(String(v, key, &c.store));
        if (c.store.empty()) return Fail(v, key, "must name the store file");
      } else if (key == "pool") {
        RGS_RETURN_IF_ERROR(String(v, key, &c.pool));
      } else if (key == "sip") {
        RGS_RETURN_IF_ERROR(Sip(v, &c));
      } else if (key == "rtp") {
        RGS_RETURN_IF_ERROR(Rtp(v, &c));
      } else if (key == "control") {
        RGS_RETURN_IF_ERROR(String(v, key, &c.control));
        if (c.control.empty() || c.control.size() > 100)
          return Fail(v, key, "must be a socket path of 1 to 100 characters");
      } else if (key == "log_level") {
        std::string s;
        RGS_RETURN_IF_ERROR(String(v, key, &s));
        if (s == "error")
          c.log_level = LogLevel::kError;
        else if (s == "warning")
          c.log_level = LogLevel::kWarning;
        else if (s == "info")
          c.log_level = LogLevel::kInfo;
        else if (s == "debug")
          c.log_level = LogLevel::kDebug;
        else
          return Fail(v, key, "'" + s + "' is not error, warning, info or debug");
      } else if (key == "sofia_log_level") {
        RGS_RETURN_IF_ERROR(Int(v, key, 0, 9, &c.sofia_log_level));
      } else if (key == "reload_ms") {
        RGS_RETURN_IF_ERROR(Int(v, key, 50, 60000, &c.reload_ms));
      } else if (key == "registration_max") {
        RGS_RETURN_IF_ERROR(Int(v, key, 60, 86400, &c.registration_max));
      } else {
        return Fail(k, key,
                    "is not a setting (store, pool, sip, rtp, control, log_level, sofia_log_level, reload_ms, "
                    "registration_max)");
      }
    }
    return c;
  }

  Status Sip(const YAML::Node& n, Config* c) {
    static const std::string kKeys =
        "listen, max_calls, retry_after, answer_delay, probe_interval, max_message_size, trusted_peers, "
        "authenticate_invites, digest_algorithms, auth_max_failures, auth_failure_window, auth_block, "
        "auth_max_tracked";
    if (!n.IsMap()) return Fail(n, "sip", "must be a mapping (" + kKeys + ")");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node k = it->first;
      std::string key = "sip." + k.Scalar();
      const YAML::Node v = it->second;
      if (key == "sip.listen") {
        RGS_RETURN_IF_ERROR(String(v, key, &c->sip_listen));
        if (c->sip_listen.rfind("sip:", 0) != 0)
          return Fail(v, key, "'" + c->sip_listen + "' must be a sip: URL such as sip:127.0.0.1:5071");
      } else if (key == "sip.max_calls") {
        RGS_RETURN_IF_ERROR(Int(v, key, 1, 1000000, &c->max_calls));
      } else if (key == "sip.retry_after") {
        RGS_RETURN_IF_ERROR(Int(v, key, 1, 3600, &c->retry_after));
      } else if (key == "sip.answer_delay") {
        RGS_RETURN_IF_ERROR(Int(v, key, 0, 60, &c->answer_delay));
      } else if (key == "sip.probe_interval") {
        RGS_RETURN_IF_ERROR(Int(v, key, 0, 3600, &c->probe_interval));
      } else if (key == "sip.max_message_size") {
        RGS_RETURN_IF_ERROR(Int(v, key, 4096, 1048576, &c->max_message_size));
      } else if (key == "sip.trusted_peers") {
        if (!v.IsSequence()) return Fail(v, key, "must be a list of IP addresses or prefixes");
        c->trusted_peers.clear();
        for (const auto& p : v) {
          std::string a;
          RGS_RETURN_IF_ERROR(Peer(p, key, &a));
          c->trusted_peers.push_back(a);
        }
      } else if (key == "sip.authenticate_invites") {
        RGS_RETURN_IF_ERROR(Bool(v, key, &c->authenticate_invites));
      } else if (key == "sip.digest_algorithms") {
        if (!v.IsSequence() || v.size() == 0)
          return Fail(v, key, "must be a list of SHA-256 and MD5, the preferred first");
        std::vector<core::DigestAlgorithm>& algorithms = c->auth.algorithms;
        algorithms.clear();
        for (const auto& a : v) {
          std::string name;
          RGS_RETURN_IF_ERROR(String(a, key, &name));
          auto alg = name.empty() ? std::nullopt : core::ParseAlgorithm(name);
          if (!alg) return Fail(a, key, "'" + name + "' is not SHA-256 or MD5");
          if (std::count(algorithms.begin(), algorithms.end(), *alg))
            return Fail(a, key, "'" + name + "' is listed twice");
          algorithms.push_back(*alg);
        }
      } else if (key == "sip.auth_max_failures") {
        RGS_RETURN_IF_ERROR(Int(v, key, 1, 1000, &c->auth.max_failures));
      } else if (key == "sip.auth_failure_window" || key == "sip.auth_block") {
        int seconds = 0;
        RGS_RETURN_IF_ERROR(Int(v, key, key == "sip.auth_block" ? 0 : 1, 86400, &seconds));
        (key == "sip.auth_block" ? c->auth.block : c->auth.failure_window) = std::chrono::seconds(seconds);
      } else if (key == "sip.auth_max_tracked") {
        int count = 0;
        RGS_RETURN_IF_ERROR(Int(v, key, 1, 1000000, &count));
        c->auth.max_tracked = static_cast<size_t>(count);
      } else {
        return Fail(k, key, "is not a setting (" + kKeys + ")");
      }
    }
    return Status::Ok();
  }

  Status Rtp(const YAML::Node& n, Config* c) {
    if (!n.IsMap()) return Fail(n, "rtp", "must be a mapping (address, ports)");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node k = it->first;
      std::string key = "rtp." + k.Scalar();
      const YAML::Node v = it->second;
      if (key == "rtp.address") {
        RGS_RETURN_IF_ERROR(Address(v, key, &c->rtp_address));
      } else if (key == "rtp.ports") {
        std::string s;
        RGS_RETURN_IF_ERROR(String(v, key, &s));
        int lo = 0, hi = 0;
        char dash = 0, extra = 0;
        if (std::sscanf(s.c_str(), "%d%c%d%c", &lo, &dash, &hi, &extra) != 3 || dash != '-' || lo < 1024 ||
            hi > 65535 || hi - lo < 1)
          return Fail(v, key, "'" + s + "' must be a range LOW-HIGH within 1024-65535");
        c->rtp_min_port = lo;
        c->rtp_max_port = hi;
      } else {
        return Fail(k, key, "is not a setting (address, ports)");
      }
    }
    return Status::Ok();
  }

 private:
  std::string path_;
};

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return IoError("cannot read " + path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(ss.str());
  } catch (const YAML::Exception& e) {
    return Invalid(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
                   e.msg);
  }
  try {
    return Reader(path).Read(root);
  } catch (const YAML::Exception& e) {
    return Invalid(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
                   e.msg);
  }
}

}  // namespace rgs::daemon
