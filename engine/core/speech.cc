// Voice answers: keywords, their grammar, and the keyword an utterance holds.
#include "core/speech.h"

#include <algorithm>
#include <cctype>

namespace rgs::core {

namespace {

// Frequent English words (all in pocketsphinx's en-US dictionary) the grammar offers besides the
// keywords: what a caller says that is no keyword is decoded as these.
constexpr std::string_view kCommonWords[] = {
    "a",    "and",   "are",  "ask",   "be",     "call",  "can",   "do",   "for",   "get",  "give", "go",
    "good", "have",  "he",   "hello", "help",   "here",  "hi",    "how",  "i",     "in",   "is",   "it",
    "know", "like",  "look", "make",  "me",     "my",    "need",  "no",   "not",   "now",  "of",   "oh",
    "okay", "on",    "one",  "other", "please", "right", "say",   "see",  "she",   "so",   "take", "talk",
    "tell", "thank", "that", "the",   "there",  "they",  "thing", "this", "three", "time", "to",   "two",
    "uh",   "um",    "want", "way",   "we",     "well",  "what",  "with", "would", "yeah", "yes",  "you"};

std::vector<std::string> Words(std::string_view phrase) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : phrase) {
    if (ch == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += ch;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

bool SpeechLanguage(std::string_view language) {
  return language.size() == 5 && std::tolower(static_cast<unsigned char>(language[0])) == 'e' &&
         std::tolower(static_cast<unsigned char>(language[1])) == 'n' && language[2] == '-' &&
         std::toupper(static_cast<unsigned char>(language[3])) == 'U' &&
         std::toupper(static_cast<unsigned char>(language[4])) == 'S';
}

std::string NormalizeKeyword(std::string_view keyword) {
  std::string out;
  for (char ch : keyword) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '\'' || c >= 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> VoiceKeywords(const Question& question) {
  std::vector<std::string> out;
  for (const auto& a : question.answers)
    for (const auto& v : a.voice) {
      std::string k = NormalizeKeyword(v);
      if (!k.empty() && std::find(out.begin(), out.end(), k) == out.end()) out.push_back(std::move(k));
    }
  return out;
}

std::string KeywordGrammar(const std::vector<std::string>& keywords,
                           const std::function<bool(const std::string&)>& known, std::vector<std::string>* left_out) {
  std::vector<std::string> kept;
  for (const auto& k : keywords) {
    auto words = Words(k);
    if (std::all_of(words.begin(), words.end(), known))
      kept.push_back(k);
    else if (left_out)
      left_out->push_back(k);
  }
  if (kept.empty()) return "";
  std::string g = "#JSGF V1.0;\ngrammar answers;\npublic <utterance> = <word>+;\n<word> = <keyword> | <other>;\n";
  g += "<keyword> = ";
  for (size_t i = 0; i < kept.size(); ++i) g += (i ? " | " : "") + kept[i];
  g += ";\n<other> = ";
  bool first = true;
  for (std::string_view w : kCommonWords) {
    std::string word(w);
    // A common word that is also a keyword stays a keyword only.
    if (std::find(kept.begin(), kept.end(), word) != kept.end() || !known(word)) continue;
    g += (first ? "" : " | ") + word;
    first = false;
  }
  if (first) g += "<NULL>";
  return g + ";\n";
}

std::string SpokenKeyword(const std::vector<std::string>& keywords, std::string_view utterance) {
  auto said = Words(NormalizeKeyword(utterance));
  for (size_t at = 0; at < said.size(); ++at) {
    const std::string* best = nullptr;  // the longest keyword that starts here
    size_t best_words = 0;
    for (const auto& k : keywords) {
      auto words = Words(k);
      if (words.size() > best_words && at + words.size() <= said.size() &&
          std::equal(words.begin(), words.end(), said.begin() + static_cast<long>(at))) {
        best = &k;
        best_words = words.size();
      }
    }
    if (best) return *best;
  }
  return "";
}

}  // namespace rgs::core
