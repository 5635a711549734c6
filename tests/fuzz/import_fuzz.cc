// Fuzz target: bytes as the configuration.yaml of an archive whose manifest is right (sizes and
// SHA-256 computed here) and which holds one audio file (corpus/wav/mulaw_mono_8k.wav, the one
// the seed configuration names), through store::Import staged in a temporary store and rolled
// back. A fuzzer that changes the zip (archive_fuzz.cc) rarely gets past the checksums to this part.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "store/document.h"
#include "store/transfer.h"
#include "temp_store.h"

namespace {

// 10 ms of mu-law silence at 8 kHz, mono.
std::string Wav() {
  std::string samples;
  for (int i = 0; i < 40; ++i) samples += "\xff\x7f";
  std::string fmt("\x07\x00\x01\x00\x40\x1f\x00\x00\x40\x1f\x00\x00\x01\x00\x08\x00", 16);
  std::string body =
      "WAVEfmt " + std::string("\x10\x00\x00\x00", 4) + fmt + "data" + std::string("\x50\x00\x00\x00", 4) + samples;
  return "RIFF" + std::string("\x74\x00\x00\x00", 4) + body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rgs;
  std::string config(reinterpret_cast<const char*>(data), size);
  store::Json manifest;
  manifest["FormatVersion"] = store::kArchiveFormat;
  manifest["SourcePool"] = "source.example.com";
  manifest["SourceRevision"] = 7;
  static const std::string wav = Wav();
  static const std::string wav_name = "audio/" + store::Sha256Hex(wav) + ".wav";
  manifest["Entries"] =
      store::Json::array({{{"Name", "configuration.yaml"}, {"Bytes", size}, {"Sha256", store::Sha256Hex(config)}},
                          {{"Name", wav_name}, {"Bytes", wav.size()}, {"Sha256", store::Sha256Hex(wav)}}});
  std::vector<archive::Entry> entries{
      {"manifest.yaml", store::EmitYaml(manifest)}, {"configuration.yaml", config}, {wav_name, wav}};
  fuzz::ImportAndRollBack(entries, size);
  return 0;
}
