// What rgsd plays to callers: audio files decoded once, text prompts rendered once by
// espeak-ng, and the built-in music on hold, each held as G.711 frames (8 kHz) and G.722 frames
// (16 kHz), 20 ms each, shared by every call that plays it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/snapshot.h"
#include "core/status.h"

namespace rgs::daemon {

// 20 ms at 8 kHz: the samples of a G.711 frame, the bytes of a G.711 or a G.722 frame (64 kbit/s),
// and the RTP timestamp units of either (G.722's clock runs at 8000 Hz, RFC 3551 4.5.2).
inline constexpr int kFrameSamples = 160;

// One piece of audio as rgsd sends it: frames of 160 bytes for PCMU (payload type 0), PCMA (8)
// and G.722 (9), each codec's encoding made once.
struct Clip {
  std::vector<uint8_t> pcmu, pcma, g722;
  size_t frames() const { return pcmu.size() / kFrameSamples; }
  const uint8_t* Frame(size_t i, int codec) const {
    return (codec == 8 ? pcma : codec == 9 ? g722 : pcmu).data() + i * kFrameSamples;
  }
};
// 20 ms of silence in a codec (0, 8 or 9).
const uint8_t* SilenceFrame(int codec);

// Mono samples in [-1, 1] to a clip: `narrow` at 8 kHz, `wide` the same audio at 16 kHz for
// G.722 (empty: `narrow` upsampled). `narrow` sets the length; the last frame is padded with silence.
std::shared_ptr<const Clip> MakeClip(const std::vector<float>& narrow, const std::vector<float>& wide = {});
// G.711 encoders (ITU-T G.711), and decoders (spandsp's).
uint8_t Ulaw(int16_t pcm);
uint8_t Alaw(int16_t pcm);
int16_t FromUlaw(uint8_t code);
int16_t FromAlaw(uint8_t code);

// An audio file's bytes (any format libsndfile reads: WAV of any rate and sample format, ...)
// as mono samples at `rate` Hz, resampled with libsamplerate. kInvalid names what is wrong.
Result<std::vector<float>> DecodeAudio(std::string_view bytes, int rate = 8000);
// An audio file's bytes as a clip: decoded once, resampled once to 8 and once to 16 kHz.
Result<std::shared_ptr<const Clip>> DecodeClip(std::string_view bytes);
// `samples` at `from` Hz to `to` Hz.
std::vector<float> Resample(const std::vector<float>& samples, int from, int to);
inline std::vector<float> ToNarrowband(const std::vector<float>& samples, int rate) {
  return Resample(samples, rate, 8000);
}

// The espeak-ng voice for a workflow language (reference 1.4's 26 codes); languages espeak-ng
// has no voice of its own for take the nearest one (man/rgsd.8, TEXT TO SPEECH).
std::string VoiceFor(const std::string& language);
// Text rendered by espeak-ng in `language`, as 8 kHz samples. Not thread-safe (espeak-ng's
// state is global): rgsd calls it from one thread at a time.
Result<std::vector<float>> Speak(const std::string& text, const std::string& language);
// The same, rendered once, as a clip (8 and 16 kHz).
Result<std::shared_ptr<const Clip>> SpeakClip(const std::string& text, const std::string& language);

// The music on hold when neither the workflow nor the pool names a file: a soft, slow arpeggio
// generated here (no recorded music) at 16 kHz, 8 s long, looped.
std::shared_ptr<const Clip> BuiltinMusic();

// The clips a configuration plays, by audio file GUID and by (text, language). Prepare runs on
// the store thread when a revision is loaded; the lookups run on rgsd's main thread.
class AudioLibrary {
 public:
  // The SHA-256 of the audio file with this GUID (cheap: its object), and bytes by SHA-256.
  struct Fetch {
    std::function<Result<std::string>(const std::string& guid)> sha256;
    std::function<Result<std::string>(const std::string& sha256)> bytes;
  };
  // Decodes every audio file and renders every text prompt `snap` uses that is not held yet,
  // and lets go of those it no longer uses. What cannot be decoded or rendered is returned, one
  // line each (the prompt is then skipped, the call goes on).
  std::vector<std::string> Prepare(const core::Snapshot& snap, const Fetch& fetch);
  // The clip of a prompt (its audio file when it has one, else its text); null when none.
  std::shared_ptr<const Clip> Find(const core::Prompt& prompt, const std::string& language) const;
  // Music on hold: the audio file with this GUID, the built-in music when "" or not held.
  std::shared_ptr<const Clip> Music(const std::string& guid) const;
  // How many clips it holds, and text renderings done so far (for the log and the bench).
  size_t size() const;
  size_t renderings() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> sha_of_;                                         // GUID -> SHA-256
  std::map<std::string, std::shared_ptr<const Clip>> files_;                          // by SHA-256
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Clip>> texts_;  // (text, voice)
  size_t renderings_ = 0;
};

}  // namespace rgs::daemon
