// rgs-test-speech: the SIP tests' speaker and listener, with rgsd's own text to speech and
// recognizer (daemon/audio.h, daemon/speech.h).
//
//   rgs-test-speech say TEXT > FILE      TEXT spoken in en-US, as raw PCMU at 8 kHz
//   rgs-test-speech hear WORD... < FILE  the words heard in raw PCMU at 8 kHz, one utterance a
//                                        line, decoded against the grammar of the WORDs
//
// Exit 0, or 1 with a message (no voice, no model, no WORD known to the dictionary).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "daemon/audio.h"
#include "daemon/speech.h"

using namespace rgs::daemon;

namespace {

int Say(const std::string& text) {
  auto speech = Speak(text, "en-US");
  if (!speech.ok()) {
    std::fprintf(stderr, "rgs-test-speech: %s\n", speech.status().message().c_str());
    return 1;
  }
  std::string out;
  for (float v : *speech) out += static_cast<char>(Ulaw(static_cast<int16_t>(std::clamp(v, -1.0f, 1.0f) * 32767)));
  std::cout << out;
  return 0;
}

int Hear(const std::vector<std::string>& words) {
  auto recognizer = Recognizer::Open(Recognizer::DefaultModel());
  if (!recognizer.ok()) {
    std::fprintf(stderr, "rgs-test-speech: %s\n", recognizer.status().message().c_str());
    return 1;
  }
  if (!(*recognizer)->Prepare(words, nullptr)) {
    std::fprintf(stderr, "rgs-test-speech: no word given is in the dictionary\n");
    return 1;
  }
  std::string pcmu((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  pcmu.append(8000, static_cast<char>(0xFF));  // silence after: the last utterance ends
  Utterances utterances;
  for (size_t at = 0; at + 160 <= pcmu.size(); at += 160) {
    std::vector<float> frame(160);
    for (size_t i = 0; i < 160; ++i) frame[i] = FromUlaw(static_cast<uint8_t>(pcmu[at + i])) / 32768.0f;
    if (utterances.Add(frame)) std::cout << (*recognizer)->Decode(words, utterances.Take()) << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "say") return Say(args[1]);
  if (args.size() >= 2 && args[0] == "hear") return Hear({args.begin() + 1, args.end()});
  std::fprintf(stderr, "usage: rgs-test-speech say TEXT > FILE | rgs-test-speech hear WORD... < FILE\n");
  return 2;
}
