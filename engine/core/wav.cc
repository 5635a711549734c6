// WAV header inspection (RIFF/WAVE, "fmt " and "data" chunks).
#include "core/wav.h"

#include <cstdint>

namespace rgs::core {
namespace {

uint32_t U32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
uint16_t U16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}

}  // namespace

Result<WavInfo> InspectWav(std::string_view b) {
  if (b.size() > static_cast<size_t>(kMaxAudioBytes))
    return Invalid("is " + std::to_string(b.size()) + " bytes: at most 4 MB (4194304 bytes) allowed");
  if (b.size() >= 4 && (b.substr(0, 4) == std::string_view("\x30\x26\xb2\x75", 4)))
    return Invalid("is a WMA file: rgs takes WAV files only (convert it, e.g. with sox or ffmpeg)");
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE")
    return Invalid("is not a WAV file (no RIFF/WAVE header)");
  WavInfo info;
  bool have_fmt = false;
  uint16_t format = 0, block_align = 0;
  size_t at = 12;
  while (at + 8 <= b.size()) {
    std::string_view id = b.substr(at, 4);
    uint32_t size = U32(b, at + 4);
    size_t body = at + 8;
    if (id == "fmt ") {
      if (size < 16 || body + size > b.size()) return Invalid("has a truncated fmt chunk");
      format = U16(b, body);
      info.channels = U16(b, body + 2);
      info.sample_rate = static_cast<int>(U32(b, body + 4));
      block_align = U16(b, body + 12);
      info.bits_per_sample = U16(b, body + 14);
      if (format == 0xFFFE && size >= 40) format = U16(b, body + 24);  // WAVE_FORMAT_EXTENSIBLE: the sub-format
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return Invalid("has its data before its fmt chunk");
      if (body + size > b.size()) return Invalid("is truncated: its data chunk is longer than the file");
      info.data_bytes = size;
      info.data_offset = body;
      break;
    }
    at = body + size + (size & 1);
  }
  if (!have_fmt) return Invalid("has no fmt chunk");
  if (info.data_offset == 0) return Invalid("has no data chunk");
  switch (format) {
    case 1: info.encoding = "PCM"; break;
    case 6: info.encoding = "A-law"; break;
    case 7: info.encoding = "mu-law"; break;
    default: return Invalid("uses encoding " + std::to_string(format) + ": rgs takes LPCM, A-law or mu-law");
  }
  if (info.bits_per_sample != 8 && info.bits_per_sample != 16)
    return Invalid("has " + std::to_string(info.bits_per_sample) + "-bit samples: rgs takes 8 or 16");
  if (format != 1 && info.bits_per_sample != 8) return Invalid("has " + info.encoding + " samples that are not 8-bit");
  if (info.channels != 1 && info.channels != 2)
    return Invalid("has " + std::to_string(info.channels) + " channels: rgs takes mono or stereo");
  if (info.sample_rate < 8000 || info.sample_rate > 48000)
    return Invalid("has a sample rate of " + std::to_string(info.sample_rate) + " Hz: rgs takes 8000 to 48000");
  if (block_align != info.channels * info.bits_per_sample / 8) return Invalid("has an inconsistent block alignment");
  info.duration_ms = info.data_bytes * 1000 / (static_cast<long long>(info.sample_rate) * block_align);
  return info;
}

}  // namespace rgs::core
