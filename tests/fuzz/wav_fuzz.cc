// Fuzz target: bytes as a WAV file through the audio import's check (core::InspectWav). What it
// accepts must describe samples inside the bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/wav.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto info = rgs::core::InspectWav(bytes);
  if (!info.ok()) return 0;
  if (info->data_offset > size || static_cast<unsigned long long>(info->data_bytes) > size - info->data_offset ||
      info->duration_ms < 0) {
    fprintf(stderr, "InspectWav accepted a data chunk outside the file\n");
    abort();
  }
  return 0;
}
