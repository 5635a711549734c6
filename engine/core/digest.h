// SIP digest authentication of agents (RFC 3261 §22, RFC 7616 §3.4, SHA-256 per RFC 8760): the
// stored credential, the challenge, and the decision on a request's Authorization. No I/O: the
// time comes in as an argument and the nonce secret from the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rgs::core {

enum class DigestAlgorithm { kSha256, kMd5 };

// "SHA-256" / "MD5", as the algorithm parameter spells them.
const char* AlgorithmName(DigestAlgorithm a);
// The algorithm a name gives, in any letter case ("" is MD5, RFC 3261 §22.4); nullopt for others.
std::optional<DigestAlgorithm> ParseAlgorithm(std::string name);
// Lower-case hexadecimal digest of `text`.
std::string DigestHash(DigestAlgorithm a, const std::string& text);
// HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2).
std::string Ha1(DigestAlgorithm a, const std::string& username, const std::string& realm, const std::string& password);

// What the store keeps for one agent: never the password, only HA1 for each algorithm, which
// serves for this realm alone.
struct AgentCredential {
  std::string aor;       // normalised agent address: "sip:alice@example.com"
  std::string username;  // the user part of the address: "alice"
  std::string realm;     // the pool the credential was made for (a documented choice: man rgs)
  std::string ha1_md5, ha1_sha256;
  int64_t revision = 0;  // the revision that set it (shown instead of the hashes)
};
// The username a digest for `aor` carries: its user part ("" for an address without one).
std::string DigestUsername(const std::string& aor);
// A credential for `aor` from a password: both HA1s for `realm`.
AgentCredential MakeCredential(const std::string& aor, const std::string& realm, const std::string& password);

// One request to authenticate, as the SIP edge saw it.
struct DigestRequest {
  std::string method;       // REGISTER, PUBLISH, INVITE
  std::string aor;          // the agent it claims to come from (normalised)
  std::string source_host;  // the address it came from, for nonces and limits
  // The Authorization header's parameters ("username=\"alice\"", "nc=00000001", ...) when the
  // request carried a Digest one; empty when it carried none.
  std::vector<std::string> authorization;
  std::string request_uri;  // as the SIP stack reads it: the digest's uri must be it
};

struct DigestVerdict {
  enum class Kind { kAccept, kChallenge, kRefuse };
  Kind kind = Kind::kRefuse;
  int status = 403;                     // kChallenge: 401; kRefuse: 403
  std::string phrase;                   // the SIP reason phrase
  std::vector<std::string> challenges;  // kChallenge: WWW-Authenticate values, preferred first
  std::string log;                      // "" or a line worth logging (failures, refusals)
};

// The algorithms offered and the limits of the authenticator (man/rgsd.8 documents them).
struct DigestOptions {
  // One challenge each, in this order. RFC 8760 §2.4 puts the preferred one first; a phone that
  // reads only the first challenge (SIPp 3.6 among others) needs MD5 first.
  std::vector<DigestAlgorithm> algorithms = {DigestAlgorithm::kSha256, DigestAlgorithm::kMd5};
  std::chrono::seconds nonce_lifetime{300};  // older nonces are stale: challenged again
  int max_failures = 5;                      // failed responses from one source within...
  std::chrono::seconds failure_window{60};
  std::chrono::seconds block{120};  // ...refuse that source this long
  // At most this many sources with failures, and this many nonces with counts, are kept: when a
  // table is full the oldest entry makes room (a flood of sources or nonces uses bounded memory).
  size_t max_tracked = 10000;

  bool operator==(const DigestOptions&) const = default;
};

// Decides on requests that must be authenticated. Keeps per-source failure counts and the
// nonce counts seen (replay protection); both forget entries once they expire, and keep at most
// DigestOptions::max_tracked entries each. Not thread-safe:
// one owner (rgsd's SIP loop).
class DigestAuthenticator {
 public:
  using Time = std::chrono::system_clock::time_point;
  // secret: random bytes chosen at start; nonces minted with another secret are not valid.
  DigestAuthenticator(std::string secret, DigestOptions limits = {});

  // cred: the agent's credential, or null when it has none (then 403). A digest whose uri is not
  // the Request-URI is a bad request (400), not counted as a failure.
  DigestVerdict Check(const DigestRequest& request, const AgentCredential* cred, Time now);

  // A new nonce for a source: the time and a serial number in hexadecimal, a dot, and a truncated
  // hash of the secret, both and the source. Unique per challenge (phones sharing an address
  // keep their own nonce counts), and stateless: Check recomputes the hash.
  std::string Nonce(const std::string& source_host, Time now);
  size_t tracked_sources() const { return failures_.size(); }
  size_t tracked_nonces() const { return nonce_counts_.size(); }

 private:
  struct Failures {
    std::vector<Time> at;  // within the window
    std::optional<Time> blocked_until;
    Time last{};  // the latest failure: the oldest is evicted first
  };
  DigestVerdict Challenge(const AgentCredential& cred, const std::string& source, Time now, bool stale);
  std::string Mac(const std::string& stamp, const std::string& source) const;
  DigestVerdict Fail(const DigestRequest& r, const std::string& why, Time now);
  // Whether nonce is one of ours for this source: its minting time, or nullopt.
  std::optional<Time> NonceTime(const std::string& nonce, const std::string& source) const;
  void Forget(Time now);

  std::string secret_, opaque_;
  DigestOptions limits_;
  std::unordered_map<std::string, Failures> failures_;             // by source host
  std::map<std::string, std::pair<uint64_t, Time>> nonce_counts_;  // nonce -> highest nc, its time
  Time nonces_evicted_to_{};  // nonces minted up to then may have lost their count: stale
  Time last_forget_{};
  uint32_t serial_ = 0;
};

}  // namespace rgs::core
