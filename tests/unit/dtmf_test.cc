// Tests of the keys read from SIP INFO bodies (application/dtmf-relay, application/dtmf).
#include "core/dtmf.h"

#include <catch2/catch.hpp>

#include <string>

using namespace rgs::core;

namespace {

char RelayKey(const std::string& signal) {
  InfoKey k = ReadDtmfInfo("application/dtmf-relay", "Signal=" + signal + "\r\nDuration=160\r\n");
  CHECK(k.status == 200);
  return k.key;
}

}  // namespace

TEST_CASE("dtmf info: a dtmf-relay body names its key by character or RFC 4733 event number", "[dtmf]") {
  CHECK(RelayKey("5") == '5');
  CHECK(RelayKey("0") == '0');
  CHECK(RelayKey("*") == '*');
  CHECK(RelayKey("#") == '#');
  CHECK(RelayKey("A") == 'A');
  CHECK(RelayKey("d") == 'D');
  CHECK(RelayKey("10") == '*');
  CHECK(RelayKey(" 11") == '#');
  CHECK(RelayKey("12") == 'A');
  CHECK(RelayKey("15") == 'D');
  CHECK(RelayKey("07") == '7');
}

TEST_CASE("dtmf info: the relay form is read whatever the line ends, spaces, order and letter case", "[dtmf]") {
  CHECK(ReadDtmfInfo("application/dtmf-relay", "Duration=100\nsignal = 9\n").key == '9');
  CHECK(ReadDtmfInfo("Application/DTMF-Relay; charset=utf-8", "Signal=3").key == '3');
  CHECK(ReadDtmfInfo("application/dtmf-relay", "SIGNAL= #\r\n").key == '#');
}

TEST_CASE("dtmf info: an application/dtmf body is the key alone", "[dtmf]") {
  CHECK(ReadDtmfInfo("application/dtmf", "5").key == '5');
  CHECK(ReadDtmfInfo("application/dtmf", "#\r\n").key == '#');
  CHECK(ReadDtmfInfo("application/dtmf", "11").key == '#');
  CHECK(ReadDtmfInfo("application/dtmf", "b").key == 'B');
  CHECK(ReadDtmfInfo("application/dtmf", "5").status == 200);
}

TEST_CASE("dtmf info: a flash and an INFO without a body are answered 200 and name no key", "[dtmf]") {
  for (InfoKey k : {ReadDtmfInfo("application/dtmf-relay", "Signal=!\r\nDuration=100"),
                    ReadDtmfInfo("application/dtmf-relay", "Signal=16"), ReadDtmfInfo("", "")}) {
    CHECK(k.status == 200);
    CHECK(k.key == 0);
  }
}

TEST_CASE("dtmf info: a DTMF body that names no key is refused with 400", "[dtmf]") {
  for (const char* body :
       {"", "Duration=160", "Signal=", "Signal=E", "Signal=17", "Signal=55", "Signal=5 5", "Signal=-1", "Signal=123"})
    CHECK(ReadDtmfInfo("application/dtmf-relay", body).status == 400);
  for (const char* body : {"", "x", "99", "12345"}) CHECK(ReadDtmfInfo("application/dtmf", body).status == 400);
}

TEST_CASE("dtmf info: other bodies are refused with 415", "[dtmf]") {
  CHECK(ReadDtmfInfo("application/sdp", "v=0").status == 415);
  CHECK(ReadDtmfInfo("text/plain", "Signal=5").status == 415);
  CHECK(ReadDtmfInfo("application/dtmf-relayx", "Signal=5").status == 415);
  CHECK(ReadDtmfInfo("", "Signal=5").status == 415);
  CHECK(std::string(kDtmfInfoTypes) == "application/dtmf-relay, application/dtmf");
}
