// SIP digest authentication: hashes (libmd: pure functions, no I/O), nonces and the verdict.
#include "core/digest.h"

#include <md5.h>
#include <sha2.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/snapshot.h"

namespace rgs::core {
namespace {

// "name=value" or name="value" (RFC 3261 §25.1 quoted-string: backslash escapes one character).
std::pair<std::string, std::string> Param(const std::string& p) {
  size_t eq = p.find('=');
  std::string name = p.substr(0, eq), value = eq == std::string::npos ? "" : p.substr(eq + 1);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    std::string un;
    for (size_t i = 1; i + 1 < value.size(); ++i) {
      if (value[i] == '\\' && i + 2 < value.size()) ++i;
      un += value[i];
    }
    value = un;
  }
  return {name, value};
}

bool SameText(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;  // every byte compared: the time taken says nothing about the hash
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

const char* AlgorithmName(DigestAlgorithm a) { return a == DigestAlgorithm::kSha256 ? "SHA-256" : "MD5"; }

std::optional<DigestAlgorithm> ParseAlgorithm(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (s.empty() || s == "MD5") return DigestAlgorithm::kMd5;  // RFC 3261 §22.4: MD5 when absent
  if (s == "SHA-256") return DigestAlgorithm::kSha256;
  return std::nullopt;
}

std::string DigestHash(DigestAlgorithm a, const std::string& text) {
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  if (a == DigestAlgorithm::kSha256) {
    char hex[SHA256_DIGEST_STRING_LENGTH];
    SHA256Data(data, text.size(), hex);
    return hex;
  }
  char hex[MD5_DIGEST_STRING_LENGTH];
  MD5Data(data, text.size(), hex);
  return hex;
}

std::string Ha1(DigestAlgorithm a, const std::string& username, const std::string& realm, const std::string& password) {
  return DigestHash(a, username + ":" + realm + ":" + password);
}

std::string DigestUsername(const std::string& aor) { return UserOf(NormalizeAddress(aor)); }

AgentCredential MakeCredential(const std::string& aor, const std::string& realm, const std::string& password) {
  AgentCredential c;
  c.aor = NormalizeAddress(aor);
  c.username = DigestUsername(aor);
  c.realm = realm;
  c.ha1_md5 = Ha1(DigestAlgorithm::kMd5, c.username, realm, password);
  c.ha1_sha256 = Ha1(DigestAlgorithm::kSha256, c.username, realm, password);
  return c;
}

DigestAuthenticator::DigestAuthenticator(std::string secret, DigestOptions limits)
    : secret_(std::move(secret)), limits_(limits) {
  opaque_ = DigestHash(DigestAlgorithm::kSha256, secret_ + ":opaque").substr(0, 16);
}

constexpr size_t kStamp = 16 + 8;  // hex seconds, hex serial

std::string DigestAuthenticator::Mac(const std::string& stamp, const std::string& source) const {
  return DigestHash(DigestAlgorithm::kSha256, secret_ + ":" + stamp + ":" + source).substr(0, 32);
}

std::string DigestAuthenticator::Nonce(const std::string& source_host, Time now) {
  char stamp[kStamp + 1];
  std::snprintf(
      stamp, sizeof stamp, "%016llx%08x",
      static_cast<unsigned long long>(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()),
      ++serial_);
  return std::string(stamp) + "." + Mac(stamp, source_host);
}

std::optional<DigestAuthenticator::Time> DigestAuthenticator::NonceTime(const std::string& nonce,
                                                                        const std::string& source) const {
  if (nonce.size() != kStamp + 1 + 32 || nonce[kStamp] != '.') return std::nullopt;
  if (nonce.find_first_not_of("0123456789abcdef") < kStamp) return std::nullopt;
  if (!SameText(Mac(nonce.substr(0, kStamp), source), nonce.substr(kStamp + 1))) return std::nullopt;
  return Time{std::chrono::seconds(std::stoll(nonce.substr(0, 16), nullptr, 16))};
}

DigestVerdict DigestAuthenticator::Challenge(const AgentCredential& cred, const std::string& source, Time now,
                                             bool stale) {
  DigestVerdict v;
  v.kind = DigestVerdict::Kind::kChallenge;
  v.status = 401;
  v.phrase = "Unauthorized";
  std::string nonce = Nonce(source, now);
  // RFC 8760 §2.4: one challenge per algorithm, the preferred first.
  for (DigestAlgorithm a : limits_.algorithms)
    v.challenges.push_back("Digest realm=" + Quoted(cred.realm) + ", nonce=" + Quoted(nonce) +
                           ", opaque=" + Quoted(opaque_) + ", algorithm=" + AlgorithmName(a) + ", qop=\"auth\"" +
                           (stale ? ", stale=true" : ""));
  return v;
}

DigestVerdict DigestAuthenticator::Fail(const DigestRequest& r, const std::string& why, Time now) {
  if (failures_.size() >= limits_.max_tracked && !failures_.count(r.source_host)) {
    auto oldest = std::min_element(failures_.begin(), failures_.end(),
                                   [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
    failures_.erase(oldest);
  }
  Failures& f = failures_[r.source_host];
  f.last = now;
  f.at.push_back(now);
  f.at.erase(f.at.begin(),
             std::find_if(f.at.begin(), f.at.end(), [&](Time t) { return now - t < limits_.failure_window; }));
  DigestVerdict v;
  v.kind = DigestVerdict::Kind::kRefuse;
  v.status = 403;
  v.phrase = "Authentication failed";
  v.log = r.method + " for " + r.aor + " from " + r.source_host + ": authentication failed: " + why;
  if (static_cast<int>(f.at.size()) >= limits_.max_failures) {
    f.blocked_until = now + limits_.block;
    f.at.clear();
    v.log += "; " + std::to_string(limits_.max_failures) + " failures within " +
             std::to_string(limits_.failure_window.count()) + " s: " + r.source_host + " is refused for " +
             std::to_string(limits_.block.count()) + " s";
  }
  return v;
}

void DigestAuthenticator::Forget(Time now) {
  if (now - last_forget_ < std::chrono::seconds(1)) return;
  last_forget_ = now;
  for (auto it = failures_.begin(); it != failures_.end();) {
    Failures& f = it->second;
    if (f.blocked_until && *f.blocked_until <= now) f.blocked_until.reset();
    bool recent = !f.at.empty() && now - f.at.back() < limits_.failure_window;
    it = recent || f.blocked_until ? std::next(it) : failures_.erase(it);
  }
  for (auto it = nonce_counts_.begin(); it != nonce_counts_.end();)
    it = now - it->second.second > limits_.nonce_lifetime ? nonce_counts_.erase(it) : std::next(it);
}

DigestVerdict DigestAuthenticator::Check(const DigestRequest& r, const AgentCredential* cred, Time now) {
  Forget(now);
  if (auto f = failures_.find(r.source_host);
      f != failures_.end() && f->second.blocked_until && now < *f->second.blocked_until)
    return {DigestVerdict::Kind::kRefuse,
            403,
            "Too many failed authentications",
            {},
            r.method + " for " + r.aor + " from " + r.source_host + " refused: too many failed authentications"};
  if (!cred)
    return {DigestVerdict::Kind::kRefuse,
            403,
            "No credential for this agent",
            {},
            r.method + " for " + r.aor + " from " + r.source_host +
                " refused: the agent has no credential (rgs set-agentcredential)"};
  if (r.authorization.empty()) return Challenge(*cred, r.source_host, now, false);

  std::map<std::string, std::string> p;
  for (const auto& kv : r.authorization) p.insert(Param(kv));
  auto algorithm = ParseAlgorithm(p["algorithm"]);
  // Answers to another realm or with an algorithm not offered: a fresh challenge, no guess made.
  if (!algorithm ||
      std::find(limits_.algorithms.begin(), limits_.algorithms.end(), *algorithm) == limits_.algorithms.end() ||
      p["realm"] != cred->realm)
    return Challenge(*cred, r.source_host, now, false);
  if (p["username"] != cred->username) return Fail(r, "username '" + p["username"] + "' is not " + cred->username, now);
  if (p["qop"] != "auth" || p["nc"].empty() || p["cnonce"].empty())
    return Fail(r, "qop=auth with nc and cnonce is required", now);
  // RFC 3261 §22.4, RFC 2617 §3.2.2.5: the response is computed over the Request-URI; one over
  // another URI is a malformed request (it could replay a response made for another request).
  if (p["uri"] != r.request_uri)
    return {DigestVerdict::Kind::kRefuse,
            400,
            "Digest uri is not the Request-URI",
            {},
            r.method + " for " + r.aor + " from " + r.source_host + " refused: digest uri '" + p["uri"] +
                "' is not the Request-URI '" + r.request_uri + "'"};
  const std::string& ha1 = *algorithm == DigestAlgorithm::kSha256 ? cred->ha1_sha256 : cred->ha1_md5;
  std::string ha2 = DigestHash(*algorithm, r.method + ":" + p["uri"]);
  std::string expected =
      DigestHash(*algorithm, ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":" + p["qop"] + ":" + ha2);
  if (!SameText(expected, p["response"]))
    return Fail(r, std::string("wrong ") + AlgorithmName(*algorithm) + " response", now);
  // The password was right. A nonce that is not ours (another secret: rgsd restarted), too old,
  // or an opaque not ours: challenged again with stale=true, so the phone retries at once
  // (RFC 7616 §3.3).
  auto minted = NonceTime(p["nonce"], r.source_host);
  if (!minted || now - *minted > limits_.nonce_lifetime || *minted > now + std::chrono::seconds(5) ||
      p["opaque"] != opaque_)
    return Challenge(*cred, r.source_host, now, true);
  // RFC 7616 §3.4: the nonce count grows with every request that uses the nonce; one seen
  // again is a replay.
  char* end = nullptr;
  uint64_t nc = std::strtoull(p["nc"].c_str(), &end, 16);
  if (p["nc"].size() != 8 || *end) return Fail(r, "nc '" + p["nc"] + "' is not 8 hexadecimal digits", now);
  auto seen = nonce_counts_.find(p["nonce"]);
  if (seen == nonce_counts_.end()) {
    // A nonce whose count may have been evicted could be replayed: a fresh nonce instead.
    if (*minted <= nonces_evicted_to_) return Challenge(*cred, r.source_host, now, true);
    if (nonce_counts_.size() >= limits_.max_tracked) {
      // Nonces begin with their minting time in fixed-width hexadecimal: the first is the oldest.
      nonces_evicted_to_ = std::max(nonces_evicted_to_, nonce_counts_.begin()->second.second);
      nonce_counts_.erase(nonce_counts_.begin());
    }
    seen = nonce_counts_.emplace(p["nonce"], std::pair<uint64_t, Time>{0, *minted}).first;
  }
  if (nc <= seen->second.first) return Fail(r, "nonce count " + p["nc"] + " replayed", now);
  seen->second.first = nc;
  return {DigestVerdict::Kind::kAccept, 200, "OK", {}, ""};
}

}  // namespace rgs::core
