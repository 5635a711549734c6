// Tests of the SDP work of the call flow: parsing an offer, choosing rgsd's codec, rewriting relayed sessions.
#include "core/sdp.h"

#include <catch2/catch.hpp>

#include <string>

using namespace rgs::core;

namespace {

const std::string kPhone =
    "v=0\r\n"
    "o=phone 100 1 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 40000 RTP/AVP 8 0 101\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n";

const std::string kAgent =
    "v=0\r\n"
    "o=agent 200 1 IN IP4 192.0.2.20\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.20\r\n"
    "t=0 0\r\n"
    "m=audio 50000 RTP/AVP 9 0 18 101\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=fmtp:18 annexb=no\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=sendrecv\r\n";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

// ---- ParseSdp ------------------------------------------------------------------------------------

TEST_CASE("an audio offer gives its address, port, formats in order, encodings and telephone events", "[sdp]") {
  auto o = ParseSdp(kPhone);
  REQUIRE(o.has_value());
  CHECK(o->address == "192.0.2.10");
  CHECK(o->port == 40000);
  CHECK(o->formats == std::vector<int>{8, 0, 101});
  CHECK(o->encodings == std::map<int, std::string>{{0, "pcmu/8000"}, {8, "pcma/8000"}, {101, "telephone-event/8000"}});
  CHECK(o->telephone_event == 101);
  CHECK(o->direction == "sendrecv");
}

TEST_CASE("the RTCP port is a=rtcp's (RFC 3605) when given, else unset (the RTP port + 1)", "[sdp]") {
  CHECK(ParseSdp(kPhone)->rtcp_port == 0);
  std::string with = kPhone;
  with += "a=rtcp:40011 IN IP4 192.0.2.10\r\n";
  CHECK(ParseSdp(with)->rtcp_port == 40011);
  CHECK(ParseSdp(kPhone + std::string("a=rtcp:0\r\n"))->rtcp_port == 0);
  CHECK(AnswerDirection("sendonly") == "recvonly");
  CHECK(AnswerDirection("recvonly") == "sendonly");
  CHECK(AnswerDirection("inactive") == "inactive");
  CHECK(AnswerDirection("sendrecv") == "sendrecv");
}

TEST_CASE("static payload types without an rtpmap get their RFC 3551 encodings", "[sdp]") {
  auto o = ParseSdp("v=0\nc=IN IP4 192.0.2.10\nm=audio 4000 RTP/AVP 18 0 3 9 8\n");  // bare LF lines too
  REQUIRE(o.has_value());
  CHECK(o->encodings == std::map<int, std::string>{
                            {0, "pcmu/8000"}, {3, "gsm/8000"}, {8, "pcma/8000"}, {9, "g722/8000"}, {18, "g729/8000"}});
  CHECK(o->telephone_event == -1);
}

TEST_CASE("an encoding's channel count is dropped from its name", "[sdp]") {
  auto o = ParseSdp(Replace(kPhone, "m=audio 40000 RTP/AVP 8 0 101\r\n",
                            "m=audio 40000 RTP/AVP 111 0\r\na=rtpmap:111 opus/48000/2\r\n"));
  REQUIRE(o.has_value());
  CHECK(o->encodings.at(111) == "opus/48000");
}

TEST_CASE("the direction is the media's, else the session's, else sendrecv", "[sdp]") {
  SECTION("media level") {
    auto o = ParseSdp(kPhone + "a=sendonly\r\n");
    REQUIRE(o);
    CHECK(o->direction == "sendonly");
  }
  SECTION("session level") {
    auto o = ParseSdp(Replace(kPhone, "t=0 0\r\n", "t=0 0\r\na=inactive\r\n"));
    REQUIRE(o);
    CHECK(o->direction == "inactive");
  }
  SECTION("media level wins") {
    auto o = ParseSdp(Replace(kPhone, "t=0 0\r\n", "t=0 0\r\na=inactive\r\n") + "a=recvonly\r\n");
    REQUIRE(o);
    CHECK(o->direction == "recvonly");
  }
  SECTION("another stream's direction does not count") {
    auto o = ParseSdp(kPhone + "m=video 40002 RTP/AVP 96\r\na=sendonly\r\n");
    REQUIRE(o);
    CHECK(o->direction == "sendrecv");
  }
}

TEST_CASE("the media's connection address wins over the session's", "[sdp]") {
  auto o = ParseSdp(kPhone + "c=IN IP4 198.51.100.9\r\n");
  REQUIRE(o);
  CHECK(o->address == "198.51.100.9");
}

TEST_CASE("IPv6 literals and multicast addresses with a TTL are accepted", "[sdp]") {
  auto v6 = ParseSdp(Replace(kPhone, "c=IN IP4 192.0.2.10", "c=IN IP6 2001:db8::10"));
  REQUIRE(v6);
  CHECK(v6->address == "2001:db8::10");
  auto mc = ParseSdp(Replace(kPhone, "c=IN IP4 192.0.2.10", "c=IN IP4 233.252.0.1/127"));
  REQUIRE(mc);
  CHECK(mc->address == "233.252.0.1");
}

TEST_CASE("an offer whose address is not an IP literal is refused", "[sdp]") {
  CHECK_FALSE(ParseSdp(Replace(kPhone, "c=IN IP4 192.0.2.10", "c=IN IP4 phone.example.net")));
  CHECK_FALSE(ParseSdp(Replace(kPhone, "c=IN IP4 192.0.2.10", "c=IN IP4 192.0.2.300")));
  CHECK_FALSE(ParseSdp(Replace(kPhone, "c=IN IP4 192.0.2.10", "c=IN IP4 192.0.2")));
  CHECK_FALSE(ParseSdp(Replace(kPhone, "c=IN IP4 192.0.2.10\r\n", "")));
}

TEST_CASE("an offer without a usable audio stream is refused", "[sdp]") {
  CHECK_FALSE(ParseSdp(""));
  CHECK_FALSE(ParseSdp(Replace(kPhone, "m=audio 40000", "m=video 40000")));
  CHECK_FALSE(ParseSdp(Replace(kPhone, "m=audio 40000", "m=audio 0")));  // a refused stream
}

TEST_CASE("the first audio stream is the one parsed", "[sdp]") {
  auto o = ParseSdp(kPhone + "m=audio 41000 RTP/AVP 0\r\nc=IN IP4 198.51.100.9\r\n");
  REQUIRE(o);
  CHECK(o->port == 40000);
  CHECK(o->address == "192.0.2.10");
}

// ---- ChooseCodec ---------------------------------------------------------------------------------

TEST_CASE("rgsd answers with the first of PCMU, PCMA and G.722 in the offerer's order", "[sdp]") {
  auto choose = [](const std::string& formats, const std::string& rtpmaps = "") {
    auto o = ParseSdp("v=0\r\nc=IN IP4 192.0.2.10\r\nm=audio 4000 RTP/AVP " + formats + "\r\n" + rtpmaps);
    REQUIRE(o);
    return ChooseCodec(*o);
  };
  CHECK(choose("18 8 0") == 8);
  CHECK(choose("0 9 8 101") == 0);
  CHECK(choose("9 0 8 101", "a=rtpmap:9 G722/8000\r\n") == 9);
  CHECK(choose("18 9 101") == 9);  // a static type needs no rtpmap
  CHECK(choose("18 3 101") == std::nullopt);
  // Payload numbers an rtpmap gives another encoding are not that codec.
  CHECK(choose("9 0", "a=rtpmap:9 opus/48000/2\r\n") == 0);
  CHECK(choose("0 8", "a=rtpmap:0 G729/8000\r\n") == 8);
  CHECK(ChooseCodec(SdpOffer{}) == std::nullopt);
  CHECK(ChooseCodec(*ParseSdp(kPhone)) == 8);
}

TEST_CASE("rgsd's G.722 answer names it by its static payload type, at 8000 (RFC 3551 4.5.2)", "[sdp]") {
  std::string a = AnswerSdp("198.51.100.7", 30000, 9, -1, 42, 3);
  CHECK(a.find("m=audio 30000 RTP/AVP 9\r\n") != std::string::npos);
  CHECK(a.find("a=rtpmap:9 G722/8000\r\n") != std::string::npos);
  CHECK(ChooseCodec(*ParseSdp(a)) == 9);
}

TEST_CASE("rgsd's own answer parses back to the codec and address it names", "[sdp]") {
  auto o = ParseSdp(AnswerSdp("198.51.100.7", 30000, 8, 101, 42, 3));
  REQUIRE(o);
  CHECK(o->address == "198.51.100.7");
  CHECK(o->port == 30000);
  CHECK(o->formats == std::vector<int>{8, 101});
  CHECK(o->telephone_event == 101);
  CHECK(AnswerSdp("2001:db8::7", 30000, 0, -1, 42, 3).find("o=rgsd 42 3 IN IP6 2001:db8::7\r\n") != std::string::npos);
}

// ---- WithOrigin ----------------------------------------------------------------------------------

TEST_CASE("a relayed session description gets rgsd's origin line and nothing else changes", "[sdp]") {
  std::string out = WithOrigin(kAgent, "198.51.100.7", 42, 7);
  CHECK(out == Replace(kAgent, "o=agent 200 1 IN IP4 192.0.2.20", "o=rgsd 42 7 IN IP4 198.51.100.7"));
  CHECK(WithOrigin(kAgent, "2001:db8::7", 42, 8).find("o=rgsd 42 8 IN IP6 2001:db8::7\r\n") != std::string::npos);
}

TEST_CASE("a relayed session description with bare line feeds comes out with CRLF", "[sdp]") {
  CHECK(WithOrigin("v=0\no=x 1 1 IN IP4 192.0.2.1\ns=-\n", "198.51.100.7", 1, 2) ==
        "v=0\r\no=rgsd 1 2 IN IP4 198.51.100.7\r\ns=-\r\n");
}

// ---- KeepEncodings -------------------------------------------------------------------------------

TEST_CASE("only the encodings the other side offered are kept, with their rtpmap and fmtp lines", "[sdp]") {
  std::string out = KeepEncodings(kAgent, *ParseSdp(kPhone));
  CHECK(out ==
        "v=0\r\n"
        "o=agent 200 1 IN IP4 192.0.2.20\r\n"
        "s=-\r\n"
        "c=IN IP4 192.0.2.20\r\n"
        "t=0 0\r\n"
        "m=audio 50000 RTP/AVP 0 101\r\n"
        "a=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\n"
        "a=fmtp:101 0-16\r\n"
        "a=sendrecv\r\n");
}

TEST_CASE("encodings are matched by name and rate, not by payload number", "[sdp]") {
  auto allowed = ParseSdp("v=0\r\nc=IN IP4 192.0.2.10\r\nm=audio 40000 RTP/AVP 111 0\r\na=rtpmap:111 opus/48000/2\r\n");
  REQUIRE(allowed);
  std::string sdp =
      Replace(kAgent, "m=audio 50000 RTP/AVP 9 0 18 101\r\n",
              "m=audio 50000 RTP/AVP 96 9 0 18 101\r\na=rtpmap:96 OPUS/48000/2\r\na=fmtp:96 useinbandfec=1\r\n");
  std::string out = KeepEncodings(sdp, *allowed);
  CHECK(out.find("m=audio 50000 RTP/AVP 96 0\r\n") != std::string::npos);
  CHECK(out.find("a=rtpmap:96 OPUS/48000/2\r\n") != std::string::npos);
  CHECK(out.find("a=fmtp:96 useinbandfec=1\r\n") != std::string::npos);
  CHECK(out.find("telephone-event") == std::string::npos);
  CHECK(out.find("G722") == std::string::npos);
}

TEST_CASE("a description is returned unchanged when all or none of its encodings are allowed", "[sdp]") {
  SdpOffer all = *ParseSdp(kAgent);
  CHECK(KeepEncodings(kAgent, all) == kAgent);
  SdpOffer none;
  none.encodings = {{3, "gsm/8000"}};
  CHECK(KeepEncodings(kAgent, none) == kAgent);
  CHECK(KeepEncodings("not sdp", all) == "not sdp");
}

TEST_CASE("only the audio stream is cut down; a later stream keeps its lines", "[sdp]") {
  std::string sdp = kAgent + "m=video 50002 RTP/AVP 0 97\r\na=rtpmap:97 H264/90000\r\na=rtpmap:0 X/90000\r\n";
  std::string out = KeepEncodings(sdp, *ParseSdp(kPhone));
  CHECK(out.find("m=audio 50000 RTP/AVP 0 101\r\n") != std::string::npos);
  CHECK(out.find("m=video 50002 RTP/AVP 0 97\r\na=rtpmap:97 H264/90000\r\na=rtpmap:0 X/90000\r\n") !=
        std::string::npos);
}
