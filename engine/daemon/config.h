// rgsd's configuration file (YAML; every key is described in man/rgsd.8).
#pragma once

#include <string>
#include <vector>

#include "control/paths.h"
#include "core/digest.h"
#include "core/status.h"

namespace rgs::daemon {

enum class LogLevel { kError, kWarning, kInfo, kDebug };

struct Config {
  std::string store = "/var/lib/rgs/rgs.db";
  std::string pool;  // empty: the store's own pool
  std::string sip_listen = "sip:127.0.0.1:5071";
  int max_calls = 5000;          // callers at once; more get 503
  int retry_after = 5;           // seconds, in the 503's Retry-After
  int answer_delay = 0;          // seconds agents ring before rgsd answers a caller
  int probe_interval = 60;       // seconds between OPTIONS probes of a call's dialogs (0: none)
  int max_message_size = 16384;  // bytes; a larger request gets 413 and only its first 4 KiB is read
  // Sources of unauthenticated INVITEs (gateways): addresses or prefixes. Agents' REGISTER and
  // PUBLISH are authenticated instead, from anywhere.
  std::vector<std::string> trusted_peers = {"127.0.0.0/8", "::1"};
  bool authenticate_invites = false;  // INVITEs from agents' addresses are challenged too
  // The digest challenges offered (sip.digest_algorithms, SHA-256 first, RFC 8760 §2.4) and the
  // limits on failed authentications (sip.auth_max_failures, auth_failure_window, auth_block,
  // auth_max_tracked).
  core::DigestOptions auth;
  std::string rtp_address = "127.0.0.1";
  int rtp_min_port = 20000, rtp_max_port = 29999;
  std::string control = control::kDefaultSocket;
  LogLevel log_level = LogLevel::kInfo;
  int sofia_log_level = 0;
  int reload_ms = 250;          // how often the store is checked for a new revision
  int registration_max = 3600;  // longest registration granted, seconds
};

// kUsage/kInvalid with "FILE:LINE:COLUMN: key: what" for a bad file; kIoError when unreadable.
Result<Config> LoadConfig(const std::string& path);

}  // namespace rgs::daemon
