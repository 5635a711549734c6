// Tests of what rgsd plays: decoding and resampling, text to speech, the clip library, G.722, and
// the RTP a caller receives (over a real UDP socket on 127.0.0.1), with keys pressed (RFC 4733,
// and as tones in the caller's audio).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <spandsp.h>

#include "daemon/audio.h"
#include "daemon/inband.h"
#include "daemon/media.h"
#include "little_endian.h"

using namespace rgs;
using namespace rgs::daemon;

namespace {

using rgs::test::Put16;
using rgs::test::Put32;

// A 16-bit PCM WAV of a sine of `hz` at `rate`, `channels` channels, `ms` long.
std::string SineWav(double hz, int rate, int channels, int ms) {
  int n = rate * ms / 1000;
  std::string data;
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < channels; ++c)
      Put16(data, static_cast<uint16_t>(static_cast<int16_t>(12000 * std::sin(2 * M_PI * hz * i / rate))));
  std::string b = "RIFF";
  Put32(b, static_cast<uint32_t>(36 + data.size()));
  b += "WAVEfmt ";
  Put32(b, 16);
  Put16(b, 1);
  Put16(b, static_cast<uint16_t>(channels));
  Put32(b, static_cast<uint32_t>(rate));
  Put32(b, static_cast<uint32_t>(rate * channels * 2));
  Put16(b, static_cast<uint16_t>(channels * 2));
  Put16(b, 16);
  b += "data";
  Put32(b, static_cast<uint32_t>(data.size()));
  return b + data;
}

// The strength of `hz` in samples at `rate` (Goertzel), relative to their energy.
double Presence(const std::vector<float>& s, double hz, int rate = 8000) {
  double k = 2 * std::cos(2 * M_PI * hz / rate), s1 = 0, s2 = 0, energy = 0;
  for (float v : s) {
    double s0 = v + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += v * v;
  }
  double power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return energy > 0 ? power / (energy * s.size() / 2) : 0;
}

// `n` samples of a sine of `hz` at `rate`, amplitude 0.5.
std::vector<float> Sine(double hz, size_t n, int rate = 8000) {
  std::vector<float> s(n);
  for (size_t i = 0; i < n; ++i) s[i] = 0.5f * static_cast<float>(std::sin(2 * M_PI * hz * i / rate));
  return s;
}

// The packets `phone` receives, running `io` until `count` have come and `more` (if given) is
// false, or 10 s have passed; on_packet(k) runs after the k-th.
std::vector<std::vector<uint8_t>> Receive(boost::asio::io_context& io, boost::asio::ip::udp::socket& phone,
                                          size_t count, const std::function<void(size_t)>& on_packet = {},
                                          const std::function<bool()>& more = {}) {
  std::vector<std::vector<uint8_t>> got;
  std::array<uint8_t, 1500> buf{};
  std::function<void()> receive = [&] {
    phone.async_receive(boost::asio::buffer(buf), [&](const boost::system::error_code& ec, size_t n) {
      if (ec) return;
      got.emplace_back(buf.begin(), buf.begin() + static_cast<long>(n));
      if (on_packet) on_packet(got.size());
      if (got.size() < count) receive();
    });
  };
  receive();
  boost::asio::steady_timer bound(io, std::chrono::seconds(10));
  bound.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) io.stop();
  });
  while ((got.size() < count || (more && more())) && !io.stopped()) io.run_one();
  return got;
}

}  // namespace

TEST_CASE("audio: a WAV of any rate and channel count decodes to 8 kHz mono", "[media]") {
  for (int rate : {8000, 16000, 44100}) {
    for (int channels : {1, 2}) {
      auto samples = DecodeAudio(SineWav(1000, rate, channels, 500));
      REQUIRE(samples.ok());
      CHECK(std::abs(static_cast<long>(samples->size()) - 4000) <= 40);
      CHECK(Presence(*samples, 1000) > 0.8);
      CHECK(Presence(*samples, 1500) < 0.05);
    }
  }
}

TEST_CASE("audio: bytes that are no audio file are refused with a reason", "[media]") {
  auto r = DecodeAudio("this is not a WAV file at all");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("cannot decode the audio") != std::string::npos);
}

TEST_CASE("audio: clips hold 20 ms frames for PCMU and PCMA, the last padded with silence", "[media]") {
  std::vector<float> s(250, 0.0f);
  auto clip = MakeClip(s);
  CHECK(clip->frames() == 2);
  CHECK(clip->pcmu.size() == 320);
  CHECK(clip->pcmu[0] == 0xFF);  // mu-law silence
  CHECK(clip->pcma[0] == 0xD5);  // A-law silence
  CHECK(Ulaw(0) == 0xFF);
  CHECK(Alaw(0) == 0xD5);
}

TEST_CASE("audio: G.711 decodes what it encodes, within its step", "[media]") {
  for (int pcm : {0, 100, -100, 1000, -1000, 12000, -12000, 32000, -32000}) {
    auto v = static_cast<int16_t>(pcm);
    double step = std::max(16.0, std::abs(pcm) / 16.0);  // 4 bits of mantissa per segment
    CHECK(std::abs(FromUlaw(Ulaw(v)) - pcm) <= step);
    CHECK(std::abs(FromAlaw(Alaw(v)) - pcm) <= step);
  }
}

TEST_CASE("audio: every workflow language has an espeak-ng voice", "[media]") {
  CHECK(VoiceFor("en-US") == "en-us");
  CHECK(VoiceFor("EN-gb") == "en-gb");
  CHECK(VoiceFor("zh-HK") == "yue");
  CHECK(VoiceFor("fr-CA") == "fr-fr");
  for (const auto& language : core::Languages()) {
    auto speech = Speak("one", language);
    INFO(language);
    REQUIRE(speech.ok());
    CHECK(speech->size() > 800);  // at least 100 ms of speech
  }
}

TEST_CASE("audio: the built-in music is 8 s of sound, not silence", "[media]") {
  auto music = BuiltinMusic();
  CHECK(music->frames() == 400);
  size_t loud = 0;
  for (uint8_t u : music->pcmu) loud += std::abs(FromUlaw(u)) > 655;  // 0.02 of full scale
  CHECK(loud > music->pcmu.size() / 4);
}

TEST_CASE("audio library: prompts of a configuration are prepared once, lookups by prompt and language", "[media]") {
  core::Snapshot snap;
  core::Workflow w;
  w.name = "Help";
  w.language = "en-US";
  core::CallAction welcome;
  welcome.action = core::ActionKind::kTerminate;
  welcome.prompt = core::Prompt{"Welcome to the help desk", ""};
  w.default_action = welcome;
  core::CallAction after;
  after.prompt = core::Prompt{"", "audio-guid"};
  w.non_business_hours_action = after;
  w.custom_music_on_hold = "music-guid";
  snap.workflows["w1"] = w;
  std::string tone = SineWav(440, 16000, 1, 1000);
  int fetched = 0;
  AudioLibrary::Fetch fetch{[](const std::string& guid) -> Result<std::string> {
                              if (guid == "audio-guid") return std::string("sha-a");
                              if (guid == "music-guid") return std::string("sha-m");
                              return NotFound("no audio file " + guid);
                            },
                            [&](const std::string& sha) -> Result<std::string> {
                              ++fetched;
                              return sha == "sha-m" ? tone : SineWav(1000, 8000, 1, 300);
                            }};
  AudioLibrary lib;
  CHECK(lib.Prepare(snap, fetch).empty());
  CHECK(lib.size() == 3);
  CHECK(lib.renderings() == 1);
  CHECK(fetched == 2);
  auto text = lib.Find(core::Prompt{"Welcome to the help desk", ""}, "en-US");
  REQUIRE(text);
  CHECK(text->frames() > 25);
  auto audio = lib.Find(core::Prompt{"", "audio-guid"}, "en-US");
  REQUIRE(audio);
  CHECK(audio->frames() == 15);
  CHECK(lib.Music("music-guid")->frames() == 50);
  CHECK(lib.Music("") == BuiltinMusic());
  CHECK_FALSE(lib.Find(core::Prompt{"never configured", ""}, "en-US"));

  // The next revision: nothing is decoded or rendered again.
  CHECK(lib.Prepare(snap, fetch).empty());
  CHECK(fetched == 2);
  CHECK(lib.renderings() == 1);

  // A prompt whose audio file is missing is reported, the rest is prepared.
  snap.workflows["w1"].non_business_hours_action->prompt = core::Prompt{"", "gone"};
  auto problems = lib.Prepare(snap, fetch);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("workflow 'Help'") != std::string::npos);
  CHECK(problems[0].find("no audio file gone") != std::string::npos);
}

TEST_CASE("rtp: a caller receives the prompt, then silence, then the music, in 20 ms packets; keys are reported",
          "[media]") {
  boost::asio::io_context io;
  boost::asio::ip::udp::socket phone(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  RtpSender rtp(io, "127.0.0.1", 41000, 41999);
  std::vector<uint64_t> done;
  std::vector<char> keys;
  rtp.SetHandlers([&](uint64_t call) { done.push_back(call); },
                  [&](uint64_t call, char key) {
                    CHECK(call == 7);
                    keys.push_back(key);
                  });
  core::SdpOffer offer;
  offer.address = "127.0.0.1";
  offer.port = phone.local_endpoint().port();
  offer.telephone_event = 101;
  int port = rtp.Open(7, offer, 0);
  REQUIRE(port >= 41000);
  auto prompt = MakeClip(Sine(1000, 8000));  // 1 s: 50 frames
  rtp.Play(7, {prompt});

  auto got = Receive(io, phone, 80, [&](size_t k) {
    if (k != 60) return;
    rtp.Loop(7, BuiltinMusic());
    // The caller presses 5: an RFC 4733 event, its end packet sent three times.
    for (int i = 0; i < 3; ++i) {
      uint8_t te[16] = {0x80, 101, 0, static_cast<uint8_t>(i), 0, 0, 0x10, 0, 1, 2, 3, 4, 5, 0x80, 0x03, 0x20};
      phone.send_to(boost::asio::buffer(te),
                    {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    }
  });
  rtp.Close(7);
  REQUIRE(got.size() == 80);
  for (size_t i = 0; i < got.size(); ++i) {
    REQUIRE(got[i].size() == 172);
    CHECK((got[i][1] & 0x7F) == 0);
    CHECK(((got[i][1] & 0x80) != 0) == (i == 0));  // the marker bit on the first packet only
    uint16_t seq = static_cast<uint16_t>((got[i][2] << 8) | got[i][3]);
    uint16_t seq0 = static_cast<uint16_t>((got[0][2] << 8) | got[0][3]);
    CHECK(seq == static_cast<uint16_t>(seq0 + i));
    uint32_t ts = (uint32_t{got[i][4]} << 24) | (got[i][5] << 16) | (got[i][6] << 8) | got[i][7];
    uint32_t ts0 = (uint32_t{got[0][4]} << 24) | (got[0][5] << 16) | (got[0][6] << 8) | got[0][7];
    CHECK(ts - ts0 == 160 * i);
  }
  // Packets 0-49: the prompt, frame by frame; then silence until Loop (given on the 60th packet's
  // arrival; a slow machine may send one more of silence first); then the music from its start.
  for (size_t i = 0; i < 50; ++i) CHECK(std::equal(got[i].begin() + 12, got[i].end(), prompt->Frame(i, 0)));
  size_t music = 50;
  while (music < got.size() &&
         std::all_of(got[music].begin() + 12, got[music].end(), [](uint8_t b) { return b == 0xFF; }))
    ++music;
  CHECK(music >= 60);
  CHECK(music < 70);
  REQUIRE(music < got.size());
  CHECK(std::equal(got[music].begin() + 12, got[music].end(), BuiltinMusic()->Frame(0, 0)));
  CHECK(done == std::vector<uint64_t>{7});
  CHECK(keys == std::vector<char>{'5'});
}

TEST_CASE("rtcp: each stream sends sender reports with its SSRC, counts and CNAME, to the caller's a=rtcp port",
          "[media]") {
  boost::asio::io_context io;
  auto lo = boost::asio::ip::make_address("127.0.0.1");
  boost::asio::ip::udp::socket phone(io, {lo, 0}), phone_rtcp(io, {lo, 0});
  RtpSender rtp(io, "127.0.0.1", 42000, 42999, std::chrono::milliseconds(100));  // a report every 5 packets
  core::SdpOffer offer;
  offer.address = "127.0.0.1";
  offer.port = phone.local_endpoint().port();
  offer.rtcp_port = phone_rtcp.local_endpoint().port();
  REQUIRE(rtp.Open(3, offer, 0) >= 42000);

  std::vector<std::vector<uint8_t>> rtp_in, rtcp_in;
  std::array<uint8_t, 1500> a{}, b{};
  std::function<void()> receive_rtp = [&] {
    phone.async_receive(boost::asio::buffer(a), [&](const boost::system::error_code& ec, size_t n) {
      if (ec) return;
      rtp_in.emplace_back(a.begin(), a.begin() + static_cast<long>(n));
      receive_rtp();
    });
  };
  std::function<void()> receive_rtcp = [&] {
    phone_rtcp.async_receive(boost::asio::buffer(b), [&](const boost::system::error_code& ec, size_t n) {
      if (ec) return;
      rtcp_in.emplace_back(b.begin(), b.begin() + static_cast<long>(n));
      receive_rtcp();
    });
  };
  receive_rtp();
  receive_rtcp();
  boost::asio::steady_timer bound(io, std::chrono::seconds(10));
  bound.async_wait([&](const boost::system::error_code&) { io.stop(); });
  while (rtcp_in.size() < 2 && !io.stopped()) io.run_one();
  rtp.Close(3);
  REQUIRE(rtcp_in.size() >= 2);
  REQUIRE(rtp_in.size() >= 7);
  auto be32 = [](const std::vector<uint8_t>& p, size_t at) {
    return (uint32_t{p[at]} << 24) | (uint32_t{p[at + 1]} << 16) | (uint32_t{p[at + 2]} << 8) | p[at + 3];
  };
  uint32_t ssrc = be32(rtp_in[0], 8), ts0 = be32(rtp_in[0], 4);
  for (size_t i = 0; i < 2; ++i) {
    const auto& r = rtcp_in[i];
    REQUIRE(r.size() >= 28 + 12);
    CHECK(r[0] == 0x80);
    CHECK(r[1] == 200);  // SR, no report blocks
    CHECK(r[3] == 6);
    CHECK(be32(r, 4) == ssrc);
    // The first after half the interval (5 / 2 = 2 packets), then every 5 packets.
    uint32_t sent = i == 0 ? 2 : 7;
    CHECK(be32(r, 20) == sent);
    CHECK(be32(r, 24) == sent * 160);
    CHECK(be32(r, 16) == ts0 + (sent - 1) * 160);  // the RTP timestamp of the last packet sent
    auto ntp_now = static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
        2208988800LL);
    CHECK(ntp_now - be32(r, 8) <= 10);
    // SDES: one chunk, the SSRC, CNAME rgsd@127.0.0.1, the end of the items, padded to 32 bits.
    CHECK(r[28] == 0x81);
    CHECK(r[29] == 202);
    CHECK((r.size() - 28) % 4 == 0);
    CHECK(static_cast<size_t>(r[31] + 1) * 4 == r.size() - 28);
    CHECK(be32(r, 32) == ssrc);
    CHECK(r[36] == 1);
    REQUIRE(r[37] == std::string("rgsd@127.0.0.1").size());
    CHECK(std::string(r.begin() + 38, r.begin() + 38 + r[37]) == "rgsd@127.0.0.1");
    CHECK(r[38 + r[37]] == 0);
  }
}

namespace {

// G.722 at 64 kbit/s back to 16 kHz samples, to look at what a G.722 caller hears.
std::vector<float> FromG722(const uint8_t* data, size_t n) {
  std::vector<int16_t> pcm(2 * n);
  g722_decode_state_t* dec = g722_decode_init(nullptr, 64000, 0);
  int got = g722_decode(dec, pcm.data(), data, static_cast<int>(n));
  g722_decode_free(dec);
  std::vector<float> out(static_cast<size_t>(got));
  for (size_t i = 0; i < out.size(); ++i) out[i] = pcm[i] / 32768.0f;
  return out;
}

// Keys as DTMF tones (spandsp's generator: 50 ms on, 55 ms off), 8 kHz, after 100 ms of silence.
std::vector<float> Tones(const char* keys) {
  dtmf_tx_state_t* tx = dtmf_tx_init(nullptr);
  dtmf_tx_put(tx, keys, -1);
  std::vector<int16_t> pcm(8000);
  int n = dtmf_tx(tx, pcm.data(), static_cast<int>(pcm.size()));
  dtmf_tx_free(tx);
  std::vector<float> out(800 + static_cast<size_t>(n) + 800, 0.0f);
  for (int i = 0; i < n; ++i) out[800 + static_cast<size_t>(i)] = pcm[static_cast<size_t>(i)] / 32768.0f;
  return out;
}

}  // namespace

TEST_CASE("audio: clips hold G.722 frames of 160 bytes made from 16 kHz audio", "[media]") {
  std::vector<float> narrow = Sine(1000, 8000), wide = Sine(6000, 16000, 16000);
  // From 8 kHz only (upsampled for G.722), and with a 16 kHz rendition of its own: a 6 kHz tone
  // only wideband can carry.
  auto up = MakeClip(narrow);
  auto both = MakeClip(narrow, wide);
  for (const auto& clip : {up, both}) {
    CHECK(clip->frames() == 50);
    CHECK(clip->g722.size() == clip->pcmu.size());
  }
  auto heard = FromG722(up->g722.data(), up->g722.size());
  REQUIRE(heard.size() == 16000);
  CHECK(Presence({heard.begin() + 1600, heard.end() - 1600}, 1000, 16000) > 0.8);
  heard = FromG722(both->g722.data(), both->g722.size());
  CHECK(Presence({heard.begin() + 1600, heard.end() - 1600}, 6000, 16000) > 0.8);
  // Silence in G.722 decodes to silence.
  std::vector<uint8_t> quiet;
  for (int i = 0; i < 10; ++i) quiet.insert(quiet.end(), SilenceFrame(9), SilenceFrame(9) + kFrameSamples);
  heard = FromG722(quiet.data(), quiet.size());
  CHECK(std::all_of(heard.begin() + 320, heard.end(), [](float v) { return std::abs(v) < 0.01f; }));
  CHECK(SilenceFrame(0)[0] == 0xFF);
  CHECK(SilenceFrame(8)[0] == 0xD5);
}

TEST_CASE("audio: an audio file's clip is resampled once to 8 and once to 16 kHz", "[media]") {
  auto clip = DecodeClip(SineWav(5000, 44100, 1, 500));  // above what 8 kHz can carry
  REQUIRE(clip.ok());
  CHECK((*clip)->frames() == 25);
  auto heard = FromG722((*clip)->g722.data(), (*clip)->g722.size());
  CHECK(Presence({heard.begin() + 1600, heard.end() - 1600}, 5000, 16000) > 0.8);
  CHECK_FALSE(DecodeClip("not audio").ok());
}

TEST_CASE("inband: keys pressed as tones are read from PCMU, PCMA and G.722, each once", "[media]") {
  std::vector<float> tones = Tones("5#*A0");
  for (int codec : {0, 8, 9}) {
    INFO("codec " << codec);
    auto clip = MakeClip(tones);
    std::string keys;
    InbandDtmf dtmf(codec, [&](char key) { keys += key; });
    for (size_t i = 0; i < clip->frames(); ++i) dtmf.Feed(clip->Frame(i, codec), kFrameSamples);
    CHECK(keys == "5#*A0");
  }
  // Music and speech are no keys.
  std::string keys;
  InbandDtmf dtmf(0, [&](char key) { keys += key; });
  for (size_t i = 0; i < BuiltinMusic()->frames(); ++i) dtmf.Feed(BuiltinMusic()->Frame(i, 0), kFrameSamples);
  auto speech = Speak("Thank you for calling. Press 1 for sales, or 2 for support.", "en-US");
  REQUIRE(speech.ok());
  auto said = MakeClip(*speech);
  for (size_t i = 0; i < said->frames(); ++i) dtmf.Feed(said->Frame(i, 0), kFrameSamples);
  CHECK(keys.empty());
}

TEST_CASE("rtp: a caller without telephone-events gets its codec (PCMU, G.722) and its in-band keys are reported",
          "[media]") {
  for (int codec : {0, 9}) {
    INFO("codec " << codec);
    boost::asio::io_context io;
    boost::asio::ip::udp::socket phone(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    RtpSender rtp(io, "127.0.0.1", 42000, 42999);
    std::string keys;
    rtp.SetHandlers([](uint64_t) {},
                    [&](uint64_t call, char key) {
                      CHECK(call == 9);
                      keys += key;
                    });
    core::SdpOffer offer;
    offer.address = "127.0.0.1";
    offer.port = phone.local_endpoint().port();
    int port = rtp.Open(9, offer, codec);
    REQUIRE(port >= 42000);
    CHECK(rtp.codec(9) == codec);
    auto prompt = MakeClip(Sine(1000, 1600));  // 200 ms: 10 frames
    rtp.Play(9, {prompt});

    // The phone sends the keys as audio, 20 ms a packet, in one burst (their order is what counts).
    auto pressed = MakeClip(Tones("73"));
    boost::asio::ip::udp::endpoint to(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
    for (size_t i = 0; i < pressed->frames(); ++i) {
      std::vector<uint8_t> packet = {0x80, static_cast<uint8_t>(codec), 0, static_cast<uint8_t>(i), 0, 0, 0, 0, 0, 0, 0,
                                     42};
      packet.insert(packet.end(), pressed->Frame(i, codec), pressed->Frame(i, codec) + kFrameSamples);
      phone.send_to(boost::asio::buffer(packet), to);
    }

    auto got = Receive(io, phone, 20, {}, [&] { return keys.size() < 2; });
    rtp.Close(9);
    CHECK(keys == "73");
    REQUIRE(got.size() == 20);
    for (size_t i = 0; i < got.size(); ++i) {
      REQUIRE(got[i].size() == 172);
      CHECK((got[i][1] & 0x7F) == codec);
      uint32_t ts = (uint32_t{got[i][4]} << 24) | (got[i][5] << 16) | (got[i][6] << 8) | got[i][7];
      uint32_t ts0 = (uint32_t{got[0][4]} << 24) | (got[0][5] << 16) | (got[0][6] << 8) | got[0][7];
      CHECK(ts - ts0 == 160 * i);  // RFC 3551 4.5.2: G.722's RTP clock runs at 8000 Hz too
      const uint8_t* want = i < 10 ? prompt->Frame(i, codec) : SilenceFrame(codec);
      CHECK(std::equal(got[i].begin() + 12, got[i].end(), want));
    }
  }
}
