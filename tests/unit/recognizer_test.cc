// Tests of rgsd's voice answers (daemon/speech.h): pocketsphinx's en-US model on a word spoken
// by espeak-ng and carried as PCMU, utterances cut from a caller's audio, and the worker thread.
#include "daemon/speech.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "core/speech.h"
#include "daemon/audio.h"

using namespace rgs;
using namespace rgs::daemon;

namespace {

// `text` as a caller would send it: spoken in en-US, 8 kHz, through PCMU and back, with half a
// second of silence before and after.
std::vector<float> Spoken(const std::string& text) {
  auto speech = Speak(text, "en-US");
  REQUIRE(speech.ok());
  std::vector<float> out(4000, 0.0f);
  for (float v : *speech)
    out.push_back(static_cast<float>(FromUlaw(Ulaw(static_cast<int16_t>(std::clamp(v, -1.0f, 1.0f) * 32767)))) /
                  32768.0f);
  out.insert(out.end(), 4000, 0.0f);
  return out;
}

Recognizer& Shared() {
  static auto r = Recognizer::Open(Recognizer::DefaultModel());
  REQUIRE(r.ok());
  return **r;
}

}  // namespace

TEST_CASE("recognizer: a keyword spoken over PCMU is found among the question's keywords", "[speech]") {
  std::vector<std::string> keywords = {"billing", "sales"};
  std::string heard = Shared().Decode(keywords, Spoken("billing"));
  INFO("heard: " << heard);
  CHECK(core::SpokenKeyword(keywords, heard) == "billing");
}

TEST_CASE("recognizer: keywords with a word the dictionary lacks are left out", "[speech]") {
  std::vector<std::string> left_out;
  CHECK(Shared().Prepare({"billing", "zqxjv"}, &left_out));
  CHECK(left_out == std::vector<std::string>{"zqxjv"});
  left_out.clear();
  CHECK_FALSE(Shared().Prepare({"zqxjv"}, &left_out));
  CHECK(Shared().Decode({"zqxjv"}, Spoken("billing")).empty());
}

TEST_CASE("recognizer: no model, a clear error", "[speech]") {
  auto r = Recognizer::Open("/nonexistent");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("/nonexistent") != std::string::npos);
}

TEST_CASE("utterances: speech between silences is one utterance, a click none", "[speech]") {
  Utterances u;
  std::vector<float> quiet(160, 0.0f), loud(160, 0.0f);
  for (size_t i = 0; i < loud.size(); ++i) loud[i] = (i % 2) ? 0.2f : -0.2f;
  int complete = 0;
  for (int i = 0; i < 30; ++i) complete += u.Add(quiet);
  for (int i = 0; i < 3; ++i) complete += u.Add(loud);    // 60 ms: a click
  for (int i = 0; i < 40; ++i) complete += u.Add(quiet);  // its end, then the quiet before speech
  CHECK(complete == 0);
  for (int i = 0; i < 20; ++i) complete += u.Add(loud);  // 400 ms of speech
  for (int i = 0; i < 24; ++i) complete += u.Add(quiet);
  CHECK(complete == 0);
  CHECK(u.Add(quiet));  // 500 ms of quiet end it
  // 200 ms before, the speech, 500 ms after.
  CHECK(u.Take().size() == (10 + 20 + 25) * 160u);
  std::vector<float> endless(160, 0.3f);
  int frames = 0;
  while (!u.Add(endless)) ++frames;
  CHECK(frames + 1 == 200);  // cut at 4 s
}

TEST_CASE("speech worker: a caller's PCMU frames are decoded off the loop and reported on it", "[speech]") {
  boost::asio::io_context io;
  auto busy = boost::asio::make_work_guard(io);  // run_for waits for the worker's reports
  std::vector<std::pair<uint64_t, std::string>> heard;
  std::vector<std::string> warnings;
  SpeechWorker worker(
      io, [] { return Recognizer::Open(Recognizer::DefaultModel()); },
      [&](uint64_t call, std::string text) { heard.emplace_back(call, std::move(text)); },
      [&](std::string w) { warnings.push_back(std::move(w)); });
  auto pcmu = [](const std::vector<float>& s) {
    std::vector<uint8_t> out;
    for (float v : s) out.push_back(Ulaw(static_cast<int16_t>(v * 32767)));
    return out;
  };
  auto audio = pcmu(Spoken("billing"));
  worker.Feed(7, 0, audio.data(), 160);  // not listened to: ignored
  worker.Listen(7, {"billing", "sales"});
  CHECK(worker.listening(7));
  for (size_t i = 0; i + 160 <= audio.size(); i += 160) worker.Feed(7, 9, audio.data() + i, 160);  // not G.711
  for (size_t i = 0; i + 160 <= audio.size(); i += 160) worker.Feed(7, 0, audio.data() + i, 160);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (heard.empty() && std::chrono::steady_clock::now() < deadline) io.run_for(std::chrono::milliseconds(20));
  REQUIRE(heard.size() == 1);
  CHECK(heard[0].first == 7);
  INFO("heard: " << heard[0].second);
  CHECK(core::SpokenKeyword({"billing", "sales"}, heard[0].second) == "billing");
  CHECK(warnings.empty());
  worker.Listen(7, {});
  CHECK_FALSE(worker.listening(7));
  CHECK(worker.dropped() == 0);
}

TEST_CASE("speech worker: without a model, a warning and nothing heard", "[speech]") {
  boost::asio::io_context io;
  auto busy = boost::asio::make_work_guard(io);
  std::vector<std::string> warnings;
  SpeechWorker worker(
      io, [] { return Recognizer::Open("/nonexistent"); }, [](uint64_t, std::string) { FAIL("heard"); },
      [&](std::string w) { warnings.push_back(std::move(w)); });
  worker.Listen(3, {"billing"});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (warnings.empty() && std::chrono::steady_clock::now() < deadline) io.run_for(std::chrono::milliseconds(20));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("keypad only") != std::string::npos);
}
