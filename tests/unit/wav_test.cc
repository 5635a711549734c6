// Tests of WAV inspection: what rgs accepts and why it refuses the rest.
#include "core/wav.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include "little_endian.h"

using namespace rgs::core;

namespace {

using rgs::test::Put16;
using rgs::test::Put32;

std::string Wav(uint16_t format, uint16_t channels, uint32_t rate, uint16_t bits, uint32_t data_bytes) {
  std::string b = "RIFF";
  Put32(b, 36 + data_bytes);
  b += "WAVEfmt ";
  Put32(b, 16);
  Put16(b, format);
  Put16(b, channels);
  Put32(b, rate);
  Put32(b, rate * channels * bits / 8);
  Put16(b, static_cast<uint16_t>(channels * bits / 8));
  Put16(b, bits);
  b += "data";
  Put32(b, data_bytes);
  b += std::string(data_bytes, '\0');
  return b;
}

}  // namespace

TEST_CASE("the formats of reference 7.2 are accepted", "[wav]") {
  auto pcm = InspectWav(Wav(1, 1, 16000, 16, 32000));
  REQUIRE(pcm.ok());
  CHECK(pcm->encoding == "PCM");
  CHECK(pcm->duration_ms == 1000);
  CHECK(InspectWav(Wav(1, 2, 8000, 8, 1600)).ok());
  CHECK(InspectWav(Wav(6, 1, 8000, 8, 800))->encoding == "A-law");
  CHECK(InspectWav(Wav(7, 1, 8000, 8, 800))->encoding == "mu-law");
}

TEST_CASE("other WAV files are refused with the reason", "[wav]") {
  auto why = [](const std::string& b) { return InspectWav(b).status().message(); };
  CHECK(why(Wav(1, 1, 16000, 24, 300)).find("24-bit") != std::string::npos);
  CHECK(why(Wav(1, 3, 16000, 16, 600)).find("3 channels") != std::string::npos);
  CHECK(why(Wav(3, 1, 16000, 16, 600)).find("encoding 3") != std::string::npos);
  CHECK(why(Wav(6, 1, 8000, 16, 600)).find("not 8-bit") != std::string::npos);
  CHECK(why(std::string("\x30\x26\xb2\x75\x8e\x66\xcf\x11", 8)).find("WMA") != std::string::npos);
  CHECK(why("hello, world").find("not a WAV") != std::string::npos);
  std::string truncated = Wav(1, 1, 16000, 16, 3200);
  truncated.resize(truncated.size() - 100);
  CHECK(why(truncated).find("truncated") != std::string::npos);
  CHECK(why(std::string(kMaxAudioBytes + 1, 'x')).find("4 MB") != std::string::npos);
}
