// Decoding (libsndfile), resampling (libsamplerate), text to speech (espeak-ng), G.711 and G.722
// (spandsp).
#include "daemon/audio.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include <espeak-ng/speak_lib.h>
#include <samplerate.h>
#include <sndfile.h>
#include <spandsp.h>

namespace rgs::daemon {

uint8_t Ulaw(int16_t pcm) {
  const int kBias = 0x84, kClip = 32635;
  int sign = (pcm >> 8) & 0x80;
  int s = sign ? -static_cast<int>(pcm) : pcm;
  if (s > kClip) s = kClip;
  s += kBias;
  int exponent = 7;
  for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  int mantissa = (s >> (exponent + 3)) & 0x0F;
  return static_cast<uint8_t>(~(sign | (exponent << 4) | mantissa));
}

uint8_t Alaw(int16_t pcm) {
  int sign = pcm >= 0 ? 0x80 : 0;
  int s = pcm >= 0 ? pcm : -static_cast<int>(pcm) - 1;
  if (s > 32767) s = 32767;
  int exponent = 7;
  for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  int mantissa = exponent == 0 ? (s >> 4) & 0x0F : (s >> (exponent + 3)) & 0x0F;
  return static_cast<uint8_t>((sign | (exponent << 4) | mantissa) ^ 0x55);
}

namespace {

int16_t Pcm16(float v) { return static_cast<int16_t>(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767.0f)); }

// 16 kHz samples to G.722 at 64 kbit/s: one encoder over the whole clip, so that its adaptive
// state runs on from frame to frame as a caller's decoder expects.
std::vector<uint8_t> G722(const std::vector<float>& wide) {
  std::vector<int16_t> pcm(wide.size());
  std::transform(wide.begin(), wide.end(), pcm.begin(), Pcm16);
  std::vector<uint8_t> out(wide.size() / 2);
  g722_encode_state_t* enc = g722_encode_init(nullptr, 64000, 0);
  int n = g722_encode(enc, out.data(), pcm.data(), static_cast<int>(pcm.size()));
  g722_encode_free(enc);
  out.resize(static_cast<size_t>(std::max(n, 0)), 0);
  return out;
}

}  // namespace

std::shared_ptr<const Clip> MakeClip(const std::vector<float>& narrow, const std::vector<float>& wide) {
  auto clip = std::make_shared<Clip>();
  size_t n = (narrow.size() + kFrameSamples - 1) / kFrameSamples * kFrameSamples;
  if (n == 0) n = kFrameSamples;
  clip->pcmu.resize(n);
  clip->pcma.resize(n);
  for (size_t i = 0; i < n; ++i) {
    int16_t pcm = Pcm16(i < narrow.size() ? narrow[i] : 0.0f);
    clip->pcmu[i] = Ulaw(pcm);
    clip->pcma[i] = Alaw(pcm);
  }
  std::vector<float> w = wide.empty() ? Resample(narrow, 8000, 16000) : wide;
  w.resize(2 * n, 0.0f);  // the resampler's few samples more or less
  clip->g722 = G722(w);
  clip->g722.resize(n, 0);
  return clip;
}

const uint8_t* SilenceFrame(int codec) {
  static const std::vector<uint8_t> pcmu(kFrameSamples, 0xFF), pcma(kFrameSamples, 0xD5);
  // What the encoder makes of silence once it has settled (its first frames differ).
  static const std::vector<uint8_t> g722 = [] {
    std::vector<uint8_t> all = G722(std::vector<float>(20 * 2 * kFrameSamples, 0.0f));
    return std::vector<uint8_t>(all.end() - kFrameSamples, all.end());
  }();
  return (codec == 8 ? pcma : codec == 9 ? g722 : pcmu).data();
}

int16_t FromUlaw(uint8_t code) { return ulaw_to_linear(code); }
int16_t FromAlaw(uint8_t code) { return alaw_to_linear(code); }

std::vector<float> Resample(const std::vector<float>& samples, int from, int to) {
  if (from == to || samples.empty()) return samples;
  double ratio = static_cast<double>(to) / from;
  std::vector<float> out(static_cast<size_t>(std::ceil(samples.size() * ratio)) + 16);
  SRC_DATA d{};
  d.data_in = samples.data();
  d.input_frames = static_cast<long>(samples.size());
  d.data_out = out.data();
  d.output_frames = static_cast<long>(out.size());
  d.src_ratio = ratio;
  if (src_simple(&d, SRC_SINC_MEDIUM_QUALITY, 1) != 0) return {};
  // The length the duration gives (the resampler's output may differ by a sample or two), so that
  // the 8 and 16 kHz renditions of a clip have the same number of frames.
  out.resize(std::min(static_cast<size_t>(d.output_frames_gen), out.size()));
  out.resize(static_cast<size_t>(std::lround(samples.size() * ratio)), 0.0f);
  return out;
}

namespace {

// libsndfile reads from memory through these.
struct Memory {
  std::string_view bytes;
  sf_count_t pos = 0;
};
sf_count_t MemLength(void* m) { return static_cast<sf_count_t>(static_cast<Memory*>(m)->bytes.size()); }
sf_count_t MemSeek(sf_count_t offset, int whence, void* m) {
  auto* mem = static_cast<Memory*>(m);
  sf_count_t base = whence == SEEK_CUR ? mem->pos : whence == SEEK_END ? static_cast<sf_count_t>(mem->bytes.size()) : 0;
  mem->pos = std::clamp<sf_count_t>(base + offset, 0, static_cast<sf_count_t>(mem->bytes.size()));
  return mem->pos;
}
sf_count_t MemRead(void* ptr, sf_count_t count, void* m) {
  auto* mem = static_cast<Memory*>(m);
  sf_count_t n = std::min<sf_count_t>(count, static_cast<sf_count_t>(mem->bytes.size()) - mem->pos);
  if (n <= 0) return 0;
  std::memcpy(ptr, mem->bytes.data() + mem->pos, static_cast<size_t>(n));
  mem->pos += n;
  return n;
}
sf_count_t MemWrite(const void*, sf_count_t, void*) { return 0; }
sf_count_t MemTell(void* m) { return static_cast<Memory*>(m)->pos; }

}  // namespace

namespace {

// An audio file's samples as they are, mixed down to mono, and their rate.
struct Mono {
  std::vector<float> samples;
  int rate = 0;
};

Result<Mono> DecodeMono(std::string_view bytes) {
  Memory mem{bytes, 0};
  SF_VIRTUAL_IO io{MemLength, MemSeek, MemRead, MemWrite, MemTell};
  SF_INFO info{};
  SNDFILE* f = sf_open_virtual(&io, SFM_READ, &info, &mem);
  if (!f) return Invalid(std::string("cannot decode the audio: ") + sf_strerror(nullptr));
  if (info.channels < 1 || info.samplerate < 1000 || info.frames < 0 || info.frames > 48000LL * 3600) {
    sf_close(f);
    return Invalid("cannot decode the audio: " + std::to_string(info.channels) + " channel(s) at " +
                   std::to_string(info.samplerate) + " Hz");
  }
  std::vector<float> interleaved(static_cast<size_t>(info.frames) * static_cast<size_t>(info.channels));
  sf_count_t got = sf_readf_float(f, interleaved.data(), info.frames);
  sf_close(f);
  std::vector<float> mono(static_cast<size_t>(std::max<sf_count_t>(got, 0)));
  for (size_t i = 0; i < mono.size(); ++i) {
    float sum = 0;
    for (int c = 0; c < info.channels; ++c)
      sum += interleaved[i * static_cast<size_t>(info.channels) + static_cast<size_t>(c)];
    mono[i] = sum / static_cast<float>(info.channels);
  }
  return Mono{std::move(mono), info.samplerate};
}

std::shared_ptr<const Clip> ClipOf(const Mono& m) {
  return MakeClip(Resample(m.samples, m.rate, 8000), Resample(m.samples, m.rate, 16000));
}

}  // namespace

Result<std::vector<float>> DecodeAudio(std::string_view bytes, int rate) {
  auto m = DecodeMono(bytes);
  if (!m.ok()) return m.status();
  return Resample(m->samples, m->rate, rate);
}

Result<std::shared_ptr<const Clip>> DecodeClip(std::string_view bytes) {
  auto m = DecodeMono(bytes);
  if (!m.ok()) return m.status();
  return ClipOf(*m);
}

std::string VoiceFor(const std::string& language) {
  // espeak-ng 1.51's voices. en-AU and en-IN speak British English, fr-CA France's French,
  // zh-TW Mandarin (espeak-ng has no voice of their own).
  static const std::map<std::string, std::string> kVoices = {
      {"ca-es", "ca"},    {"da-dk", "da"},    {"de-de", "de"},    {"en-au", "en-gb"}, {"en-ca", "en-us"},
      {"en-gb", "en-gb"}, {"en-in", "en-gb"}, {"en-us", "en-us"}, {"es-es", "es"},    {"es-mx", "es-419"},
      {"fi-fi", "fi"},    {"fr-ca", "fr-fr"}, {"fr-fr", "fr-fr"}, {"it-it", "it"},    {"ja-jp", "ja"},
      {"ko-kr", "ko"},    {"nb-no", "nb"},    {"nl-nl", "nl"},    {"pl-pl", "pl"},    {"pt-br", "pt-br"},
      {"pt-pt", "pt"},    {"ru-ru", "ru"},    {"sv-se", "sv"},    {"zh-cn", "cmn"},   {"zh-hk", "yue"},
      {"zh-tw", "cmn"}};
  std::string key = language;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) { return std::tolower(ch); });
  auto it = kVoices.find(key);
  return it == kVoices.end() ? "en-us" : it->second;
}

namespace {

int Collect(short* wav, int n, espeak_EVENT* events) {
  if (wav && n > 0 && events) {
    auto* out = static_cast<std::vector<float>*>(events->user_data);
    for (int i = 0; i < n; ++i) out->push_back(static_cast<float>(wav[i]) / 32768.0f);
  }
  return 0;
}

}  // namespace

namespace {

// Text in espeak-ng's voice for `language`, at espeak-ng's own rate.
Result<Mono> Render(const std::string& text, const std::string& language) {
  static int rate = [] {
    int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (r > 0) espeak_SetSynthCallback(Collect);
    return r;
  }();
  if (rate <= 0)
    return IoError("text to speech: espeak-ng could not start (are its voices, espeak-ng-data, installed?)");
  std::string voice = VoiceFor(language);
  if (espeak_SetVoiceByName(voice.c_str()) != EE_OK && espeak_SetVoiceByName("en-us") != EE_OK)
    return IoError("text to speech: espeak-ng has no voice '" + voice + "' for " + language);
  std::vector<float> samples;
  if (espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &samples) != EE_OK ||
      espeak_Synchronize() != EE_OK)
    return IoError("text to speech: espeak-ng failed on the text of a " + language + " prompt");
  return Mono{std::move(samples), rate};
}

}  // namespace

Result<std::vector<float>> Speak(const std::string& text, const std::string& language) {
  auto m = Render(text, language);
  if (!m.ok()) return m.status();
  return Resample(m->samples, m->rate, 8000);
}

Result<std::shared_ptr<const Clip>> SpeakClip(const std::string& text, const std::string& language) {
  auto m = Render(text, language);
  if (!m.ok()) return m.status();
  return ClipOf(*m);
}

std::shared_ptr<const Clip> BuiltinMusic() {
  static const std::shared_ptr<const Clip> music = [] {
    // Four bars of a broken chord (C, A minor, F, G), one soft note every 500 ms with a bell-like
    // decay, over a quiet sustained root: pleasant, unobtrusive, and obviously not silence.
    const double chords[4][3] = {
        {261.63, 329.63, 392.00}, {220.00, 261.63, 329.63}, {174.61, 220.00, 261.63}, {196.00, 246.94, 293.66}};
    const int kRate = 16000, kNote = kRate / 2, kBar = 4 * kNote;
    std::vector<float> s(4 * kBar, 0.0f);
    for (int bar = 0; bar < 4; ++bar)
      for (int n = 0; n < 4; ++n) {
        double f = chords[bar][n == 3 ? 1 : n];
        for (int i = 0; i < 2 * kNote && bar * kBar + n * kNote + i < static_cast<int>(s.size()); ++i) {
          double t = static_cast<double>(i) / kRate;
          double env = std::min(1.0, t * 100) * std::exp(-3.0 * t);
          s[static_cast<size_t>(bar * kBar + n * kNote + i)] +=
              static_cast<float>(0.18 * env * std::sin(2 * M_PI * f * t));
        }
        for (int i = 0; i < kNote; ++i) {
          double t = static_cast<double>(bar * kBar + n * kNote + i) / kRate;
          s[static_cast<size_t>(bar * kBar + n * kNote + i)] +=
              static_cast<float>(0.05 * std::sin(2 * M_PI * chords[bar][0] / 2 * t));
        }
      }
    return MakeClip(Resample(s, kRate, 8000), s);
  }();
  return music;
}

// ---- the library ---------------------------------------------------------------------------------

namespace {

void PromptsOf(const core::CallAction& a, std::vector<const core::Prompt*>* out, std::set<const core::Question*>* seen);

void PromptsOf(const core::Question& q, std::vector<const core::Prompt*>* out, std::set<const core::Question*>* seen) {
  if (!seen->insert(&q).second) return;
  out->push_back(&q.prompt);
  if (q.invalid_answer_prompt) out->push_back(&*q.invalid_answer_prompt);
  if (q.no_answer_prompt) out->push_back(&*q.no_answer_prompt);
  for (const auto& a : q.answers) PromptsOf(a.action, out, seen);
}

void PromptsOf(const core::CallAction& a, std::vector<const core::Prompt*>* out,
               std::set<const core::Question*>* seen) {
  if (a.prompt) out->push_back(&*a.prompt);
  if (a.question) PromptsOf(*a.question, out, seen);
}

}  // namespace

std::vector<std::string> AudioLibrary::Prepare(const core::Snapshot& snap, const Fetch& fetch) {
  std::vector<std::string> problems;
  std::map<std::string, std::string> sha_of;
  std::map<std::string, std::shared_ptr<const Clip>> files;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Clip>> texts;
  size_t rendered = 0;

  auto file = [&](const std::string& guid, const std::string& where) {
    if (guid.empty() || sha_of.count(guid)) return;
    auto sha = fetch.sha256(guid);
    if (!sha.ok()) return problems.push_back(where + ": audio file " + guid + ": " + sha.status().message());
    sha_of[guid] = *sha;
    if (files.count(*sha)) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = files_.find(*sha); it != files_.end()) return void(files[*sha] = it->second);
    }
    auto bytes = fetch.bytes(*sha);
    if (!bytes.ok()) return problems.push_back(where + ": audio file " + guid + ": " + bytes.status().message());
    auto clip = DecodeClip(*bytes);
    if (!clip.ok()) return problems.push_back(where + ": audio file " + guid + ": " + clip.status().message());
    files[*sha] = *clip;
  };
  auto text = [&](const std::string& t, const std::string& language, const std::string& where) {
    std::pair<std::string, std::string> key{t, VoiceFor(language)};
    if (t.empty() || texts.count(key)) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = texts_.find(key); it != texts_.end()) return void(texts[key] = it->second);
    }
    auto clip = SpeakClip(t, language);
    if (!clip.ok()) return problems.push_back(where + ": " + clip.status().message());
    ++rendered;
    texts[key] = *clip;
  };

  file(snap.settings.default_music_on_hold, "DefaultMusicOnHold");
  for (const auto& [guid, w] : snap.workflows) {
    std::string where = "workflow '" + w.name + "'";
    file(w.custom_music_on_hold, where + " CustomMusicOnHold");
    std::vector<const core::Prompt*> prompts;
    std::set<const core::Question*> seen;
    for (const auto* a : {&w.default_action, &w.non_business_hours_action, &w.holiday_action})
      if (*a) PromptsOf(**a, &prompts, &seen);
    for (const auto& [qguid, q] : snap.queues) {
      (void)qguid;
      if (q.timeout_action) PromptsOf(*q.timeout_action, &prompts, &seen);
      if (q.overflow_action) PromptsOf(*q.overflow_action, &prompts, &seen);
    }
    for (const auto* p : prompts) {
      // The audio file plays when a prompt has both (reference 1.6).
      if (!p->audio.empty())
        file(p->audio, where);
      else
        text(p->text, w.language, where);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  sha_of_ = std::move(sha_of);
  files_ = std::move(files);
  texts_ = std::move(texts);
  renderings_ += rendered;
  return problems;
}

std::shared_ptr<const Clip> AudioLibrary::Find(const core::Prompt& prompt, const std::string& language) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!prompt.audio.empty()) {
    auto sha = sha_of_.find(prompt.audio);
    if (sha == sha_of_.end()) return nullptr;
    auto it = files_.find(sha->second);
    return it == files_.end() ? nullptr : it->second;
  }
  auto it = texts_.find({prompt.text, VoiceFor(language)});
  return it == texts_.end() ? nullptr : it->second;
}

std::shared_ptr<const Clip> AudioLibrary::Music(const std::string& guid) const {
  if (!guid.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto sha = sha_of_.find(guid); sha != sha_of_.end())
      if (auto it = files_.find(sha->second); it != files_.end()) return it->second;
  }
  return BuiltinMusic();
}

size_t AudioLibrary::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return files_.size() + texts_.size();
}

size_t AudioLibrary::renderings() const {
  std::lock_guard<std::mutex> lock(mu_);
  return renderings_;
}

}  // namespace rgs::daemon
