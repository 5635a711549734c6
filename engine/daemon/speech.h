// Voice answers in rgsd (reference 3.3): pocketsphinx decodes what a caller says while a question
// listens for voice keywords, on a worker thread of its own, off the signalling thread. The
// keywords and what a recognised utterance answers are the core's (core/speech.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>

#include "core/status.h"

struct ps_decoder_s;

namespace rgs::daemon {

// One pocketsphinx decoder with an acoustic model (16 kHz) and its dictionary: decodes one whole
// utterance at a time against the grammar of a list of keywords (core::KeywordGrammar). Not
// thread-safe: one thread uses it.
class Recognizer {
 public:
  // Debian's en-US model (pocketsphinx-en-us), where this build found it.
  static std::string DefaultModel();
  // `model`: pocketsphinx's model folder, holding en-us/ (the acoustic model) and
  // cmudict-en-us.dict. kIoError when it cannot be loaded.
  static Result<std::unique_ptr<Recognizer>> Open(const std::string& model);
  ~Recognizer();
  Recognizer(const Recognizer&) = delete;
  Recognizer& operator=(const Recognizer&) = delete;

  // Makes the grammar of `keywords` ready (once per list); the keywords it leaves out (a word
  // not in the dictionary). False when none is left: nothing can be recognised.
  bool Prepare(const std::vector<std::string>& keywords, std::vector<std::string>* left_out);
  // The words heard in `samples` (8 kHz mono, [-1, 1]: the caller's G.711 decoded), "" when
  // none: resampled to 16 kHz for the model and decoded against the grammar of `keywords`.
  std::string Decode(const std::vector<std::string>& keywords, const std::vector<float>& samples);

 private:
  explicit Recognizer(ps_decoder_s* ps) : ps_(ps) {}
  ps_decoder_s* ps_;
  std::map<std::vector<std::string>, std::string> searches_;  // keywords -> the search of their grammar
};

// Cuts a caller's audio into utterances: a run of 20 ms frames louder than kSpeechLevel, with
// 200 ms before it, ended by 500 ms below that level or at 4 s.
class Utterances {
 public:
  // Adds one frame (8 kHz samples); true when an utterance is complete (then take it).
  bool Add(const std::vector<float>& frame);
  // The caller stopped sending (silence suppression): true when that completes an utterance.
  bool End();
  std::vector<float> Take();

 private:
  std::deque<std::vector<float>> before_;  // the last frames before speech
  std::vector<float> speech_;
  int loud_ = 0, quiet_ = 0;
  bool in_speech_ = false;
};

// The recognition worker: one thread and one Recognizer for all callers. rgsd's loop hands it
// the audio of the callers a question listens to (Feed) through a bounded queue; it decodes
// each utterance and reports the words heard as a handler of the io_context. All public
// functions run on rgsd's loop.
class SpeechWorker {
 public:
  // open: makes the recognizer, on the worker thread when a question first listens (the model
  // costs about 30 MB and 0.1 s, spent only where voice answers are used); failing, questions
  // are answered by keypad only. on_heard(call, words) and on_warning(text) run as handlers of `io`.
  using Open = std::function<Result<std::unique_ptr<Recognizer>>()>;
  SpeechWorker(boost::asio::io_context& io, Open open, std::function<void(uint64_t, std::string)> on_heard,
               std::function<void(std::string)> on_warning);
  ~SpeechWorker();

  // Listens to the call for `keywords` from now on (what it heard before is dropped); empty:
  // stops listening to it.
  void Listen(uint64_t call, std::vector<std::string> keywords);
  bool listening(uint64_t call) const { return generation_.count(call) > 0; }
  // One RTP payload of a call listened to: G.711 of `codec` (0 PCMU, 8 PCMA), 20 ms; any other
  // codec is ignored. Dropped (and counted) when the queue is full.
  void Feed(uint64_t call, int codec, const uint8_t* payload, size_t n);
  size_t dropped() const { return dropped_; }

  // The queue holds at most this many frames of 20 ms: 10 s of audio over all callers.
  static constexpr size_t kMaxQueued = 500;

 private:
  struct Item {
    uint64_t call = 0, generation = 0;
    std::vector<std::string> keywords;  // with an empty frame: a new question
    std::vector<float> frame;           // 8 kHz samples
  };
  struct Listener {
    uint64_t generation = 0;
    std::vector<std::string> keywords;
    Utterances utterances;
    std::chrono::steady_clock::time_point last;  // when its last frame came
  };
  void Run();
  void Push(Item item);
  void Warn(std::string text);
  void Decode(uint64_t call, Listener& l);
  void EndSilentUtterances();
  bool StartListening(Item& item);

  boost::asio::io_context& io_;
  Open open_;
  std::unique_ptr<Recognizer> recognizer_;  // the worker's, once opened
  bool open_failed_ = false;
  std::function<void(uint64_t, std::string)> on_heard_;
  std::function<void(std::string)> on_warning_;
  std::unordered_map<uint64_t, uint64_t> generation_;  // rgsd's loop: the calls listened to
  uint64_t next_generation_ = 1;
  size_t dropped_ = 0;

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Item> queue_;                            // under mu_
  size_t frames_ = 0;                                 // audio items in queue_, under mu_
  bool stop_ = false;                                 // under mu_
  std::unordered_map<uint64_t, Listener> listeners_;  // the worker's own
  std::thread thread_;
};

}  // namespace rgs::daemon
