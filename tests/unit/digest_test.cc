#include "core/digest.h"

#include <catch2/catch.hpp>

using namespace rgs::core;
using namespace std::chrono_literals;
using Kind = DigestVerdict::Kind;

namespace {

// What a phone computes (RFC 7616 §3.4.1, qop=auth), written out on its own so that the tests
// check the authenticator against the RFC's formula rather than against itself.
std::string PhoneResponse(DigestAlgorithm a, const std::string& ha1, const std::string& nonce, const std::string& nc,
                          const std::string& cnonce, const std::string& method, const std::string& uri) {
  return DigestHash(a, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + DigestHash(a, method + ":" + uri));
}

// A challenge's parameter: nonce="..." -> ...
std::string From(const std::string& challenge, const std::string& name) {
  size_t at = challenge.find(name + "=\"");
  REQUIRE(at != std::string::npos);
  at += name.size() + 2;
  return challenge.substr(at, challenge.find('"', at) - at);
}

const DigestAuthenticator::Time t0{std::chrono::seconds(1'800'000'000)};

struct Phone {
  DigestAuthenticator& auth;
  AgentCredential cred = MakeCredential("sip:Alice@Example.com", "pool1", "s3cret");
  std::string password = "s3cret";
  std::string source = "192.0.2.7";
  DigestAlgorithm algorithm = DigestAlgorithm::kSha256;
  std::string uri = "sip:example.com";          // the digest's uri
  std::string request_uri = "sip:example.com";  // the request's
  int nc = 0;

  // The request without Authorization, then with the answer to the challenge it got.
  DigestVerdict Register(DigestAuthenticator::Time now, std::string* challenge_out = nullptr) {
    DigestRequest r{"REGISTER", cred.aor, source, {}, request_uri};
    DigestVerdict first = auth.Check(r, &cred, now);
    if (first.kind != Kind::kChallenge) return first;
    std::string challenge = first.challenges[algorithm == DigestAlgorithm::kSha256 ? 0 : 1];
    if (challenge_out) *challenge_out = challenge;
    return Answer(challenge, now);
  }
  DigestVerdict Answer(const std::string& challenge, DigestAuthenticator::Time now) {
    char ncs[9];
    std::snprintf(ncs, sizeof ncs, "%08x", ++nc);
    std::string nonce = From(challenge, "nonce"), realm = From(challenge, "realm");
    std::string ha1 = Ha1(algorithm, "alice", realm, password);
    std::string response = PhoneResponse(algorithm, ha1, nonce, ncs, "c0ffee", "REGISTER", uri);
    DigestRequest r{"REGISTER",
                    cred.aor,
                    source,
                    {"username=\"alice\"", "realm=\"" + realm + "\"", "nonce=\"" + nonce + "\"", "uri=\"" + uri + "\"",
                     "response=\"" + response + "\"", std::string("algorithm=") + AlgorithmName(algorithm), "qop=auth",
                     std::string("nc=") + ncs, "cnonce=\"c0ffee\"", "opaque=\"" + From(challenge, "opaque") + "\""},
                    request_uri};
    return auth.Check(r, &cred, now);
  }
};

}  // namespace

TEST_CASE("digest hashes match the RFC examples (RFC 2617 §3.5 MD5, RFC 7616 §3.9.1 SHA-256)", "[digest]") {
  std::string md5 = Ha1(DigestAlgorithm::kMd5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  CHECK(PhoneResponse(DigestAlgorithm::kMd5, md5, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "GET",
                      "/dir/index.html") == "6629fae49393a05397450978507c4ef1");
  std::string sha = Ha1(DigestAlgorithm::kSha256, "Mufasa", "http-auth@example.org", "Circle of Life");
  CHECK(PhoneResponse(DigestAlgorithm::kSha256, sha, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001",
                      "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "GET",
                      "/dir/index.html") == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST_CASE("a credential keeps HA1 for both algorithms and the address's user part as username", "[digest]") {
  AgentCredential c = MakeCredential("sip:Alice@Example.com;transport=tcp", "pool1", "pw");
  CHECK(c.aor == "sip:alice@example.com");
  CHECK(c.username == "alice");
  CHECK(c.ha1_md5 == DigestHash(DigestAlgorithm::kMd5, "alice:pool1:pw"));
  CHECK(c.ha1_sha256 == DigestHash(DigestAlgorithm::kSha256, "alice:pool1:pw"));
  CHECK(c.ha1_sha256.size() == 64);
}

TEST_CASE("a request without Authorization gets a SHA-256 then an MD5 challenge", "[digest]") {
  DigestAuthenticator auth("secret");
  AgentCredential cred = MakeCredential("sip:alice@example.com", "pool1", "pw");
  DigestVerdict v = auth.Check({"REGISTER", cred.aor, "192.0.2.7", {}, "sip:example.com"}, &cred, t0);
  REQUIRE(v.kind == Kind::kChallenge);
  CHECK(v.status == 401);
  REQUIRE(v.challenges.size() == 2);
  CHECK(v.challenges[0].find("algorithm=SHA-256") != std::string::npos);
  CHECK(v.challenges[1].find("algorithm=MD5") != std::string::npos);
  for (const auto& c : v.challenges) {
    CHECK(c.rfind("Digest realm=\"pool1\", nonce=\"", 0) == 0);
    CHECK(c.find("qop=\"auth\"") != std::string::npos);
    CHECK(c.find("opaque=\"") != std::string::npos);
    CHECK(c.find("stale") == std::string::npos);
  }
  CHECK(v.log.empty());
}

TEST_CASE("the right password is accepted with SHA-256 and with MD5", "[digest]") {
  DigestAuthenticator auth("secret");
  Phone sha{auth};
  CHECK(sha.Register(t0).kind == Kind::kAccept);
  Phone md5{auth};
  md5.algorithm = DigestAlgorithm::kMd5;
  CHECK(md5.Register(t0).kind == Kind::kAccept);
}

TEST_CASE("a wrong password is refused and says why, naming the source", "[digest]") {
  DigestAuthenticator auth("secret");
  Phone p{auth};
  p.password = "guess";
  DigestVerdict v = p.Register(t0);
  CHECK(v.kind == Kind::kRefuse);
  CHECK(v.status == 403);
  CHECK(v.log == "REGISTER for sip:alice@example.com from 192.0.2.7: authentication failed: wrong SHA-256 response");
}

TEST_CASE("an agent without a credential is refused with 403", "[digest]") {
  DigestAuthenticator auth("secret");
  DigestVerdict v = auth.Check({"PUBLISH", "sip:bob@example.com", "192.0.2.7", {}, "sip:example.com"}, nullptr, t0);
  CHECK(v.kind == Kind::kRefuse);
  CHECK(v.status == 403);
  CHECK(v.phrase == "No credential for this agent");
  CHECK(v.log.find("has no credential") != std::string::npos);
}

TEST_CASE("the challenges follow the algorithms configured, and an algorithm not offered is challenged again",
          "[digest]") {
  DigestAuthenticator auth("secret", {.algorithms = {DigestAlgorithm::kMd5}});
  AgentCredential cred = MakeCredential("sip:alice@example.com", "pool1", "pw");
  DigestVerdict v = auth.Check({"REGISTER", cred.aor, "192.0.2.7", {}, "sip:example.com"}, &cred, t0);
  REQUIRE(v.challenges.size() == 1);
  CHECK(v.challenges[0].find("algorithm=MD5") != std::string::npos);
  Phone sha{auth};
  std::string md5_challenge = v.challenges[0];
  CHECK(sha.Answer(md5_challenge, t0).kind == Kind::kChallenge);  // answered with SHA-256: not offered
  Phone md5{auth};
  md5.algorithm = DigestAlgorithm::kMd5;
  CHECK(md5.Answer(md5_challenge, t0).kind == Kind::kAccept);
}

TEST_CASE("a nonce is stale after its lifetime, and an answer to it is challenged again with stale=true", "[digest]") {
  DigestAuthenticator auth("secret", {.nonce_lifetime = 300s});
  Phone p{auth};
  std::string challenge;
  REQUIRE(p.Register(t0, &challenge).kind == Kind::kAccept);
  CHECK(p.Answer(challenge, t0 + 200s).kind == Kind::kAccept);  // same nonce, next nc
  DigestVerdict v = p.Answer(challenge, t0 + 301s);
  REQUIRE(v.kind == Kind::kChallenge);
  CHECK(v.challenges[0].find("stale=true") != std::string::npos);
  CHECK(v.log.empty());
}

TEST_CASE("a nonce minted with another secret (before a restart) is stale, not a failure", "[digest]") {
  DigestAuthenticator before("old secret"), after("new secret");
  Phone p{before};
  std::string challenge;
  REQUIRE(p.Register(t0, &challenge).kind == Kind::kAccept);
  Phone q{after};
  DigestVerdict v = q.Answer(challenge, t0 + 10s);
  REQUIRE(v.kind == Kind::kChallenge);
  CHECK(v.challenges[1].find("stale=true") != std::string::npos);
}

TEST_CASE("a nonce is bound to the source that got it", "[digest]") {
  DigestAuthenticator auth("secret");
  Phone p{auth};
  std::string challenge;
  REQUIRE(p.Register(t0, &challenge).kind == Kind::kAccept);
  p.source = "198.51.100.1";
  DigestVerdict v = p.Answer(challenge, t0 + 1s);
  REQUIRE(v.kind == Kind::kChallenge);
  CHECK(v.challenges[0].find("stale=true") != std::string::npos);
}

TEST_CASE("a nonce count seen before is a replay", "[digest]") {
  DigestAuthenticator auth("secret");
  Phone p{auth};
  std::string challenge;
  REQUIRE(p.Register(t0, &challenge).kind == Kind::kAccept);
  p.nc = 0;  // sends nc=00000001 again with the same nonce
  DigestVerdict v = p.Answer(challenge, t0 + 1s);
  CHECK(v.kind == Kind::kRefuse);
  CHECK(v.log.find("replayed") != std::string::npos);
}

TEST_CASE("another username, no qop, or another realm do not authenticate", "[digest]") {
  DigestAuthenticator auth("secret");
  AgentCredential cred = MakeCredential("sip:alice@example.com", "pool1", "pw");
  std::string nonce = auth.Nonce("192.0.2.7", t0);
  auto check = [&](std::vector<std::string> params) {
    return auth.Check({"REGISTER", cred.aor, "192.0.2.7", std::move(params), "sip:example.com"}, &cred, t0);
  };
  DigestVerdict user = check({"username=\"mallory\"", "realm=\"pool1\"", "nonce=\"" + nonce + "\"", "response=\"x\""});
  CHECK(user.kind == Kind::kRefuse);
  CHECK(user.log.find("username 'mallory'") != std::string::npos);
  DigestVerdict noqop = check({"username=\"alice\"", "realm=\"pool1\"", "nonce=\"" + nonce + "\"", "response=\"x\""});
  CHECK(noqop.kind == Kind::kRefuse);
  CHECK(noqop.log.find("qop=auth") != std::string::npos);
  DigestVerdict realm = check({"username=\"alice\"", "realm=\"elsewhere\"", "nonce=\"" + nonce + "\""});
  CHECK(realm.kind == Kind::kChallenge);
  DigestVerdict algo = check({"username=\"alice\"", "realm=\"pool1\"", "algorithm=SHA-512-256"});
  CHECK(algo.kind == Kind::kChallenge);
}

TEST_CASE("a digest uri other than the Request-URI is a bad request (400), not a failure", "[digest]") {
  DigestAuthenticator auth("secret", {.max_failures = 1});
  Phone p{auth};
  p.uri = "sip:other.example.com";  // a right response, but computed for another URI
  DigestVerdict v = p.Register(t0);
  CHECK(v.kind == Kind::kRefuse);
  CHECK(v.status == 400);
  CHECK(v.phrase == "Digest uri is not the Request-URI");
  CHECK(v.log ==
        "REGISTER for sip:alice@example.com from 192.0.2.7 refused: digest uri 'sip:other.example.com' "
        "is not the Request-URI 'sip:example.com'");
  CHECK(auth.tracked_sources() == 0);  // one failure would have blocked the source
  p.uri = "sip:example.com";
  CHECK(p.Register(t0 + 1s).kind == Kind::kAccept);
}

TEST_CASE("after max_failures failures within the window a source is refused for the block time", "[digest]") {
  DigestAuthenticator auth("secret", {.max_failures = 3, .failure_window = 60s, .block = 120s});
  Phone wrong{auth};
  wrong.password = "guess";
  CHECK(wrong.Register(t0).log.find("refused for") == std::string::npos);
  CHECK(wrong.Register(t0 + 1s).kind == Kind::kRefuse);
  DigestVerdict third = wrong.Register(t0 + 2s);
  CHECK(third.log.find("3 failures within 60 s: 192.0.2.7 is refused for 120 s") != std::string::npos);
  Phone right{auth};
  DigestVerdict blocked = right.Register(t0 + 3s);
  CHECK(blocked.kind == Kind::kRefuse);
  CHECK(blocked.phrase == "Too many failed authentications");
  Phone elsewhere{auth};
  elsewhere.source = "198.51.100.1";
  CHECK(elsewhere.Register(t0 + 3s).kind == Kind::kAccept);  // per source
  CHECK(right.Register(t0 + 123s).kind == Kind::kAccept);    // the block is over
}

TEST_CASE("failures spread wider than the window do not block", "[digest]") {
  DigestAuthenticator auth("secret", {.max_failures = 3, .failure_window = 60s, .block = 120s});
  Phone wrong{auth};
  wrong.password = "guess";
  for (int i = 0; i < 6; ++i)
    CHECK(wrong.Register(t0 + std::chrono::seconds(31 * i)).phrase == "Authentication failed");
  Phone right{auth};
  CHECK(right.Register(t0 + 190s).kind == Kind::kAccept);
  CHECK(auth.tracked_sources() == 1);
  Phone later{auth};
  CHECK(later.Register(t0 + 400s).kind == Kind::kAccept);
  CHECK(auth.tracked_sources() == 0);  // forgotten once nothing recent remains
}

TEST_CASE("a flood of failing sources keeps at most max_tracked of them, the oldest evicted first", "[digest]") {
  DigestAuthenticator auth("secret", {.max_failures = 2, .failure_window = 60s, .block = 120s, .max_tracked = 3});
  auto fail = [&](const std::string& source, DigestAuthenticator::Time now) {
    Phone p{auth};
    p.password = "guess";
    p.source = source;
    return p.Register(now);
  };
  fail("192.0.2.1", t0);
  for (int i = 0; i < 100; ++i) fail("198.51.100." + std::to_string(i), t0 + 1s);
  CHECK(auth.tracked_sources() == 3);
  // 192.0.2.1's first failure was evicted: a second one does not block it yet.
  CHECK(fail("192.0.2.1", t0 + 2s).log.find("is refused for") == std::string::npos);
  CHECK(fail("192.0.2.1", t0 + 3s).log.find("2 failures within 60 s: 192.0.2.1 is refused for 120 s") !=
        std::string::npos);
  CHECK(auth.tracked_sources() == 3);
}

TEST_CASE("at most max_tracked nonce counts are kept; an evicted nonce is stale, never replayable", "[digest]") {
  DigestAuthenticator auth("secret", {.max_tracked = 2});
  Phone first{auth};
  std::string old_challenge;
  REQUIRE(first.Register(t0, &old_challenge).kind == Kind::kAccept);
  for (int i = 1; i <= 5; ++i) {
    Phone p{auth};
    REQUIRE(p.Register(t0 + std::chrono::seconds(i)).kind == Kind::kAccept);
  }
  CHECK(auth.tracked_nonces() == 2);
  first.nc = 0;  // nc=00000001 again on the first nonce, whose count was evicted
  DigestVerdict replay = first.Answer(old_challenge, t0 + 6s);
  REQUIRE(replay.kind == Kind::kChallenge);
  CHECK(replay.challenges[0].find("stale=true") != std::string::npos);
  Phone fresh{auth};
  CHECK(fresh.Register(t0 + 7s).kind == Kind::kAccept);
  CHECK(auth.tracked_nonces() == 2);
}
