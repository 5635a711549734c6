// pocketsphinx's decoder, utterances cut from a caller's audio, and the recognition worker.
#include "daemon/speech.h"

#include <algorithm>
#include <cmath>

#include <jsgf.h>
#include <pocketsphinx.h>

#include "core/speech.h"
#include "daemon/audio.h"

namespace rgs::daemon {

// ---- the decoder ----------------------------------------------------------------------------

std::string Recognizer::DefaultModel() { return RGS_SPEECH_MODEL; }

Result<std::unique_ptr<Recognizer>> Recognizer::Open(const std::string& model) {
  std::string hmm = model + "/en-us", dict = model + "/cmudict-en-us.dict";
  // -cmn live: the model's own "batch" normalisation waits for the end of an utterance that a
  // live caller never marks. -dither: digital silence would give the features -infinity (its
  // seed fixed: the same audio is heard the same way).
  cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(), "-cmn", "live",
                                 "-dither", "yes", "-seed", "1", "-logfn", "/dev/null", nullptr);
  if (!config) return IoError("speech recognition: bad pocketsphinx settings");
  ps_decoder_t* ps = ps_init(config);
  cmd_ln_free_r(config);  // the decoder keeps its own reference
  if (!ps)
    return IoError("speech recognition: cannot load the pocketsphinx model in " + model +
                   " (is pocketsphinx-en-us installed?)");
  return std::unique_ptr<Recognizer>(new Recognizer(ps));
}

Recognizer::~Recognizer() { ps_free(ps_); }

bool Recognizer::Prepare(const std::vector<std::string>& keywords, std::vector<std::string>* left_out) {
  if (searches_.count(keywords)) return !searches_[keywords].empty();
  auto known = [this](const std::string& word) {
    char* phones = ps_lookup_word(ps_, word.c_str());
    ckd_free(phones);
    return phones != nullptr;
  };
  std::string grammar = core::KeywordGrammar(keywords, known, left_out);
  std::string name;
  if (!grammar.empty()) {
    name = "q" + std::to_string(searches_.size());
    // Not ps_set_jsgf_string: in Debian's pocketsphinx 0.8 it never frees the grammar it parses
    // (LeakSanitizer). The same steps, with the parsed grammar freed; the search keeps its own
    // reference to the finite-state grammar built from it.
    jsgf_t* jsgf = jsgf_parse_string(grammar.c_str(), nullptr);
    jsgf_rule_t* rule = jsgf ? jsgf_get_public_rule(jsgf) : nullptr;
    fsg_model_t* fsg =
        rule ? jsgf_build_fsg(jsgf, rule, ps_get_logmath(ps_), cmd_ln_float32_r(ps_get_config(ps_), "-lw")) : nullptr;
    if (!fsg || ps_set_fsg(ps_, name.c_str(), fsg) != 0) name.clear();
    if (fsg) fsg_model_free(fsg);
    if (jsgf) jsgf_grammar_free(jsgf);
  }
  searches_[keywords] = name;
  return !name.empty();
}

std::string Recognizer::Decode(const std::vector<std::string>& keywords, const std::vector<float>& samples) {
  if (!Prepare(keywords, nullptr) || samples.empty()) return "";
  if (ps_set_search(ps_, searches_[keywords].c_str()) != 0) return "";
  std::vector<float> wide = Resample(samples, 8000, 16000);
  // The model was trained on 16 kHz speech; a telephone carries nothing above 4 kHz. A faint
  // noise there brings the top filters of its features nearer what the model knows (measured:
  // with it, "billing" spoken by espeak-ng over PCMU is found among the common words, without
  // it not).
  std::vector<int16_t> pcm(wide.size());
  uint32_t seed = 1;
  float last = 0;
  for (size_t i = 0; i < wide.size(); ++i) {
    seed = seed * 1103515245u + 12345u;
    float noise = static_cast<float>((seed >> 8) & 0xFFFF) / 32768.0f - 1.0f;
    float v = wide[i] + 0.01f * (noise - last);  // a first difference: mostly above 4 kHz
    last = noise;
    pcm[i] = static_cast<int16_t>(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767.0f));
  }
  if (ps_start_utt(ps_) != 0) return "";
  ps_process_raw(ps_, pcm.data(), pcm.size(), FALSE, TRUE);
  ps_end_utt(ps_);
  const char* hyp = ps_get_hyp(ps_, nullptr);
  return hyp ? hyp : "";
}

// ---- utterances -----------------------------------------------------------------------------

namespace {

constexpr float kSpeechLevel = 0.01f;  // -40 dBFS RMS: above a telephone line's noise, below speech
constexpr size_t kBefore = 10;         // 200 ms kept before the first loud frame
constexpr int kEndQuiet = 25;          // 500 ms below the level end an utterance
constexpr int kMinLoud = 5;            // 100 ms of loud frames at least: shorter is a click
constexpr size_t kMaxSamples = 4 * 8000;

float Rms(const std::vector<float>& frame) {
  double sum = 0;
  for (float v : frame) sum += static_cast<double>(v) * v;
  return frame.empty() ? 0.0f : static_cast<float>(std::sqrt(sum / static_cast<double>(frame.size())));
}

}  // namespace

bool Utterances::Add(const std::vector<float>& frame) {
  bool loud = Rms(frame) > kSpeechLevel;
  if (!in_speech_) {
    if (!loud) {
      before_.push_back(frame);
      if (before_.size() > kBefore) before_.pop_front();
      return false;
    }
    in_speech_ = true;
    loud_ = quiet_ = 0;
    for (const auto& f : before_) speech_.insert(speech_.end(), f.begin(), f.end());
    before_.clear();
  }
  speech_.insert(speech_.end(), frame.begin(), frame.end());
  if (loud) {
    ++loud_;
    quiet_ = 0;
  } else {
    ++quiet_;
  }
  if (quiet_ < kEndQuiet && speech_.size() < kMaxSamples) return false;
  in_speech_ = false;
  if (loud_ >= kMinLoud) return true;
  speech_.clear();  // a click
  return false;
}

bool Utterances::End() {
  if (!in_speech_) return false;
  in_speech_ = false;
  if (loud_ >= kMinLoud) return true;
  speech_.clear();
  return false;
}

std::vector<float> Utterances::Take() {
  std::vector<float> out;
  out.swap(speech_);
  return out;
}

// ---- the worker -----------------------------------------------------------------------------

namespace {

constexpr auto kGapPoll = std::chrono::milliseconds(100);  // how often the worker looks for them
constexpr auto kGapEnds = std::chrono::milliseconds(500);  // no packet for this long ends an utterance

}  // namespace

SpeechWorker::SpeechWorker(boost::asio::io_context& io, Open open, std::function<void(uint64_t, std::string)> on_heard,
                           std::function<void(std::string)> on_warning)
    : io_(io),
      open_(std::move(open)),
      on_heard_(std::move(on_heard)),
      on_warning_(std::move(on_warning)),
      thread_([this] { Run(); }) {}

SpeechWorker::~SpeechWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  ready_.notify_one();
  thread_.join();
}

void SpeechWorker::Listen(uint64_t call, std::vector<std::string> keywords) {
  uint64_t generation = 0;
  if (keywords.empty()) {
    if (!generation_.erase(call)) return;
  } else {
    generation = generation_[call] = next_generation_++;
  }
  Push(Item{call, generation, std::move(keywords), {}});
}

void SpeechWorker::Feed(uint64_t call, int codec, const uint8_t* payload, size_t n) {
  if (codec != 0 && codec != 8) return;  // G.711 only: another codec's bytes are no samples
  auto it = generation_.find(call);
  if (it == generation_.end()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (frames_ >= kMaxQueued) {
      ++dropped_;
      return;
    }
  }
  Item item{call, it->second, {}, std::vector<float>(n)};
  for (size_t i = 0; i < n; ++i)
    item.frame[i] = static_cast<float>(codec == 8 ? FromAlaw(payload[i]) : FromUlaw(payload[i])) / 32768.0f;
  Push(std::move(item));
}

void SpeechWorker::Push(Item item) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!item.frame.empty()) ++frames_;
    queue_.push_back(std::move(item));
  }
  ready_.notify_one();
}

void SpeechWorker::Warn(std::string text) {
  boost::asio::post(io_, [this, text = std::move(text)] { on_warning_(text); });
}

// A question listens for item.keywords (on the worker thread); false when nothing can be heard.
bool SpeechWorker::StartListening(Item& item) {
  if (!recognizer_ && !open_failed_) {
    auto r = open_();
    if (r.ok()) {
      recognizer_ = std::move(*r);
    } else {
      open_failed_ = true;
      Warn(r.status().message() + "; questions are answered by keypad only");
    }
  }
  if (!recognizer_) return false;
  std::vector<std::string> left_out;
  bool any = recognizer_->Prepare(item.keywords, &left_out);
  std::string words;
  for (const auto& k : left_out) words += (words.empty() ? "'" : ", '") + k + "'";
  if (!words.empty())
    Warn("speech recognition: the voice keyword(s) " + words +
         " have a word the en-US dictionary lacks; they are not listened for");
  if (any)
    listeners_[item.call] = Listener{item.generation, std::move(item.keywords), {}, std::chrono::steady_clock::now()};
  return any;
}

// The worker thread: new questions, then audio, in the order rgsd's loop gave them.
void SpeechWorker::Run() {
  while (true) {
    Item item;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!ready_.wait_for(lock, kGapPoll, [this] { return stop_ || !queue_.empty(); })) {
        lock.unlock();
        EndSilentUtterances();
        continue;
      }
      if (stop_) return;
      item = std::move(queue_.front());
      queue_.pop_front();
      if (!item.frame.empty()) --frames_;
    }
    if (item.frame.empty()) {
      if (item.keywords.empty() || !StartListening(item)) listeners_.erase(item.call);
      continue;
    }
    auto it = listeners_.find(item.call);
    if (it == listeners_.end() || it->second.generation != item.generation) continue;
    Listener& l = it->second;
    l.last = std::chrono::steady_clock::now();
    if (l.utterances.Add(item.frame)) Decode(item.call, l);
  }
}

void SpeechWorker::Decode(uint64_t call, Listener& l) {
  std::string heard = recognizer_->Decode(l.keywords, l.utterances.Take());
  boost::asio::post(io_, [this, call, generation = l.generation, heard] {
    auto g = generation_.find(call);
    if (g != generation_.end() && g->second == generation) on_heard_(call, heard);
  });
}

// A caller that suppresses silence (RFC 3551 4.1) sends nothing after speaking: the end of an
// utterance is then the end of its packets.
void SpeechWorker::EndSilentUtterances() {
  auto now = std::chrono::steady_clock::now();
  for (auto& [call, l] : listeners_)
    if (now - l.last >= kGapEnds && l.utterances.End()) Decode(call, l);
}

}  // namespace rgs::daemon
