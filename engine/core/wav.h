// Reading the header of a WAV file to decide whether rgs accepts it (reference 7.2): 8- or 16-bit
// LPCM, A-law or mu-law, mono or stereo, at most 4 MB. Pure: works on bytes in memory.
#pragma once

#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"

namespace rgs::core {

struct WavInfo {
  std::string encoding;  // "PCM", "A-law", "mu-law"
  int sample_rate = 0;
  int bits_per_sample = 0;
  int channels = 0;
  long long data_bytes = 0;
  long long duration_ms = 0;
  size_t data_offset = 0;  // where the samples start
};

// kInvalid with the reason when the bytes are not an acceptable WAV file.
Result<WavInfo> InspectWav(std::string_view bytes);

}  // namespace rgs::core
