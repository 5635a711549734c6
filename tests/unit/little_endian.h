// Little-endian integers appended to a byte string: the fields of the WAV files the tests build.
#pragma once

#include <cstdint>
#include <string>

namespace rgs::test {

inline void Put16(std::string& b, uint16_t v) {
  b += static_cast<char>(v & 0xff);
  b += static_cast<char>(v >> 8);
}
inline void Put32(std::string& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b += static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace rgs::test
