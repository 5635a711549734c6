// G.722 at 64 kbit/s on standard input to 16 kHz 16-bit PCM (host byte order) on standard
// output, with spandsp's decoder: what a G.722 caller hears (tests/sip/mediacaller.py).
#include <cstdint>
#include <cstdio>

#include <spandsp.h>

int main() {
  g722_decode_state_t* dec = g722_decode_init(nullptr, 64000, 0);
  uint8_t in[4096];
  int16_t out[2 * sizeof in];
  size_t n;
  while ((n = fread(in, 1, sizeof in, stdin)) > 0) {
    int got = g722_decode(dec, out, in, static_cast<int>(n));
    if (fwrite(out, sizeof out[0], static_cast<size_t>(got), stdout) != static_cast<size_t>(got)) return 1;
  }
  g722_decode_free(dec);
  return 0;
}
