// Text-to-speech renderings per second (bench/media.sh): renders COUNT distinct sentences in
// LANGUAGE with the code rgsd uses (espeak-ng, then 8 kHz G.711 clips), and prints one JSON
// object: renderings, seconds, per_second, audio_seconds (of speech produced).
//   rgs-bench-speak [COUNT [LANGUAGE]]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "daemon/audio.h"

int main(int argc, char** argv) {
  int count = argc > 1 ? std::atoi(argv[1]) : 50;
  std::string language = argc > 2 ? argv[2] : "en-US";
  if (count <= 0) {
    std::fprintf(stderr, "rgs-bench-speak: COUNT must be a positive whole number\n");
    return 2;
  }
  size_t frames = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    auto samples = rgs::daemon::Speak(
        "Thank you for calling the help desk, line " + std::to_string(i) + ". Please hold.", language);
    if (!samples.ok()) {
      std::fprintf(stderr, "rgs-bench-speak: %s\n", samples.status().message().c_str());
      return 1;
    }
    frames += rgs::daemon::MakeClip(*samples)->frames();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"renderings\": %d, \"seconds\": %.3f, \"per_second\": %.1f, \"audio_seconds\": %.1f}\n", count, secs,
              count / secs, frames * 0.02);
  return 0;
}
