// Reading keys from SIP INFO bodies.
#include "core/dtmf.h"

#include <cctype>
#include <string>

namespace rgs::core {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool SameLetters(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// A signal's value as a key: the key itself or its RFC 4733 event number (section 3.2). 200 with
// key 0 for a flash, 400 for anything else.
InfoKey Signal(std::string_view v) {
  static const char kKeys[] = "0123456789*#ABCD";
  v = Trim(v);
  if (v.size() == 1) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])));
    if (c == '!') return {200, 0};
    for (const char* k = kKeys; *k; ++k)
      if (*k == c) return {200, c};
    return {400, 0};
  }
  if (v.size() == 2 && std::isdigit(static_cast<unsigned char>(v[0])) &&
      std::isdigit(static_cast<unsigned char>(v[1]))) {
    int event = (v[0] - '0') * 10 + (v[1] - '0');
    if (event < 16) return {200, kKeys[event]};
    if (event == 16) return {200, 0};
  }
  return {400, 0};
}

// application/dtmf-relay: "Signal=5\r\nDuration=160"; lines other than Signal are not needed.
InfoKey Relay(std::string_view body) {
  while (!body.empty()) {
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    size_t eq = line.find('=');
    if (eq != std::string_view::npos && SameLetters(Trim(line.substr(0, eq)), "signal"))
      return Signal(line.substr(eq + 1));
  }
  return {400, 0};
}

}  // namespace

InfoKey ReadDtmfInfo(std::string_view content_type, std::string_view body) {
  if (Trim(body).empty() && Trim(content_type).empty()) return {200, 0};
  std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
  if (SameLetters(type, "application/dtmf-relay")) return Relay(body);
  if (SameLetters(type, "application/dtmf")) return Signal(body);
  return {415, 0};
}

}  // namespace rgs::core
