// SDP parsing and rewriting for the call flow.
#include "core/sdp.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace rgs::core {

namespace {

// RFC 3551 table 4: the static payload types a phone may offer without an rtpmap.
std::string StaticEncoding(int pt) {
  switch (pt) {
    case 0: return "pcmu/8000";
    case 3: return "gsm/8000";
    case 8: return "pcma/8000";
    case 9: return "g722/8000";
    case 18: return "g729/8000";
    default: return "";
  }
}

// An IPv4 dotted quad or an IPv6 literal: what rgsd can send RTP to without a name lookup.
bool IsAddress(const std::string& a) {
  if (a.empty() || a.size() > 45) return false;
  if (a.find(':') != std::string::npos) return a.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
  int parts = 0, value = -1;
  for (char c : a) {
    if (c == '.') {
      if (value < 0) return false;
      ++parts;
      value = -1;
    } else if (c >= '0' && c <= '9') {
      value = (value < 0 ? 0 : value * 10) + (c - '0');
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return parts == 3 && value >= 0;
}

}  // namespace

std::optional<SdpOffer> ParseSdp(const std::string& sdp) {
  SdpOffer o;
  std::string session_addr, media_addr, session_dir, media_dir;
  bool in_audio = false, seen_audio = false;
  std::istringstream in(sdp);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() < 2 || line[1] != '=') continue;
    char type = line[0];
    std::string v = line.substr(2);
    if (type == 'm') {
      in_audio = false;
      std::istringstream m(v);
      std::string media, proto;
      int port = 0;
      m >> media >> port >> proto;
      if (media == "audio" && !seen_audio && port > 0 && port < 65536) {
        in_audio = seen_audio = true;
        o.port = port;
        int pt;
        while (m >> pt) o.formats.push_back(pt);
      }
    } else if (type == 'c') {
      std::istringstream c(v);
      std::string net, family, addr;
      c >> net >> family >> addr;
      if (addr.find('/') != std::string::npos) addr = addr.substr(0, addr.find('/'));
      if (in_audio)
        media_addr = addr;
      else if (!seen_audio)
        session_addr = addr;
    } else if (type == 'a' && in_audio && v.rfind("rtpmap:", 0) == 0) {
      int pt = std::atoi(v.c_str() + 7);
      std::string rest = v.substr(v.find(' ') == std::string::npos ? v.size() : v.find(' ') + 1);
      for (auto& ch : rest) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (rest.rfind("telephone-event/8000", 0) == 0) o.telephone_event = pt;
      // "opus/48000/2" and "opus/48000" name one encoding.
      size_t second = rest.find('/', rest.find('/') + 1);
      o.encodings[pt] = rest.substr(0, second);
    } else if (type == 'a' && in_audio && v.rfind("rtcp:", 0) == 0) {
      int port = std::atoi(v.c_str() + 5);
      if (port > 0 && port < 65536) o.rtcp_port = port;
    } else if (type == 'a' && (in_audio || !seen_audio) &&
               (v == "sendrecv" || v == "sendonly" || v == "recvonly" || v == "inactive")) {
      if (in_audio)
        media_dir = v;
      else
        session_dir = v;
    }
  }
  o.address = media_addr.empty() ? session_addr : media_addr;
  o.direction = !media_dir.empty() ? media_dir : !session_dir.empty() ? session_dir : "sendrecv";
  for (int pt : o.formats)
    if (!o.encodings.count(pt)) {
      std::string name = StaticEncoding(pt);
      if (!name.empty()) o.encodings[pt] = name;
    }
  if (!seen_audio || !IsAddress(o.address)) return std::nullopt;
  return o;
}

std::optional<int> ChooseCodec(const SdpOffer& offer) {
  for (int pt : offer.formats) {
    if (pt != 0 && pt != 8 && pt != 9) continue;
    auto it = offer.encodings.find(pt);
    if (it != offer.encodings.end() && it->second == StaticEncoding(pt)) return pt;  // not remapped by an rtpmap
  }
  return std::nullopt;
}

std::string AnswerDirection(const std::string& offered) {
  if (offered == "sendonly") return "recvonly";
  if (offered == "recvonly") return "sendonly";
  if (offered == "inactive") return "inactive";
  return "sendrecv";
}

std::string AnswerSdp(const std::string& address, int port, int codec, int telephone_event, uint64_t session,
                      uint64_t version, const std::string& direction) {
  const char* family = address.find(':') != std::string::npos ? "IP6" : "IP4";
  std::ostringstream s;
  s << "v=0\r\n"
    << "o=rgsd " << session << " " << version << " IN " << family << " " << address << "\r\n"
    << "s=rgsd\r\n"
    << "c=IN " << family << " " << address << "\r\n"
    << "t=0 0\r\n"
    << "m=audio " << port << " RTP/AVP " << codec;
  if (telephone_event >= 0) s << " " << telephone_event;
  s << "\r\n"
    << "a=rtpmap:" << codec
    << (codec == 0   ? " PCMU/8000"
        : codec == 8 ? " PCMA/8000"
                     : " G722/8000")
    << "\r\n";
  if (telephone_event >= 0)
    s << "a=rtpmap:" << telephone_event << " telephone-event/8000\r\n"
      << "a=fmtp:" << telephone_event << " 0-16\r\n";
  s << "a=ptime:20\r\n"
    << "a=" << direction << "\r\n";
  return s.str();
}

std::string WithOrigin(const std::string& sdp, const std::string& address, uint64_t session, uint64_t version) {
  const char* family = address.find(':') != std::string::npos ? "IP6" : "IP4";
  std::ostringstream out;
  std::istringstream in(sdp);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("o=", 0) == 0)
      out << "o=rgsd " << session << " " << version << " IN " << family << " " << address << "\r\n";
    else
      out << line << "\r\n";
  }
  return out.str();
}

std::string KeepEncodings(const std::string& sdp, const SdpOffer& allowed) {
  auto parsed = ParseSdp(sdp);
  if (!parsed) return sdp;
  std::vector<std::string> names;
  for (const auto& [pt, name] : allowed.encodings) names.push_back(name);
  auto permitted = [&](int pt) {
    auto it = parsed->encodings.find(pt);
    return it != parsed->encodings.end() && std::find(names.begin(), names.end(), it->second) != names.end();
  };
  std::vector<int> keep;
  for (int pt : parsed->formats)
    if (permitted(pt)) keep.push_back(pt);
  if (keep.empty() || keep.size() == parsed->formats.size()) return sdp;
  std::ostringstream out;
  std::istringstream in(sdp);
  std::string line;
  bool in_audio = false, done_audio = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("m=", 0) == 0) {
      in_audio = !done_audio && line.rfind("m=audio ", 0) == 0;
      if (in_audio) {
        done_audio = true;
        std::istringstream m(line.substr(2));
        std::string media, port, proto;
        m >> media >> port >> proto;
        out << "m=" << media << " " << port << " " << proto;
        for (int pt : keep) out << " " << pt;
        out << "\r\n";
        continue;
      }
    } else if (in_audio && (line.rfind("a=rtpmap:", 0) == 0 || line.rfind("a=fmtp:", 0) == 0)) {
      int pt = std::atoi(line.c_str() + line.find(':') + 1);
      if (std::find(keep.begin(), keep.end(), pt) == keep.end()) continue;
    }
    out << line << "\r\n";
  }
  return out.str();
}

}  // namespace rgs::core
