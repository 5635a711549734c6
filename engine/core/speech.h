// Voice answers to questions (reference 1.8, 3.3): which keywords a question listens for, the
// grammar a recognizer decodes them with, and which keyword a recognised utterance holds. Pure.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace rgs::core {

// Whether callers of a workflow in `language` can answer by voice: en-US only, the one language
// whose speech model Debian packages (pocketsphinx-en-us); the others answer by keypad only.
bool SpeechLanguage(std::string_view language);

// A keyword or phrase as the recognizer spells it: lower case, words of letters, digits and
// apostrophes separated by one space ("Technical  Support!" -> "technical support").
std::string NormalizeKeyword(std::string_view keyword);

// The question's voice keywords (its answers' VoiceResponseList), normalized, each once, in the
// order of the answers. Empty when no answer has one.
std::vector<std::string> VoiceKeywords(const Question& question);

// A JSGF grammar for an utterance of one or more words, each a keyword or one of a fixed list of
// common English words. The common words give the decoder something to take other speech for,
// so that an utterance that holds no keyword is not forced onto the nearest one. `known` says
// whether the recognizer's dictionary has a word: a keyword with an unknown word is left out and
// appended to `left_out`. "" when no keyword is left.
std::string KeywordGrammar(const std::vector<std::string>& keywords,
                           const std::function<bool(const std::string&)>& known, std::vector<std::string>* left_out);

// The first keyword that occurs, as whole words, in a recognised utterance (the longest of those
// that start at the same word); "" when none does.
std::string SpokenKeyword(const std::vector<std::string>& keywords, std::string_view utterance);

}  // namespace rgs::core
