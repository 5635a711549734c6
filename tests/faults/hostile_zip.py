#!/usr/bin/env python3
"""Writes a hostile zip archive for the fault tests (tests/faults/hostile_archive.sh): the entries of
a real rgs archive plus one kind of attack. The zip is written byte by byte (local headers, central
directory, end record) so that declared sizes and file types can say what the data does not.

  hostile_zip.py KIND REAL.zip OUT.zip [PATH]

KIND: traversal (an entry ../../(...)PATH, PATH absolute), absolute (an entry named PATH, absolute), symlink (an audio
entry that is a symbolic link to PATH), duplicate (configuration.yaml twice), bomb (a
configuration.yaml of 1 MB that inflates to 1 GiB, its header declaring 1 GiB), bomb-lying (the
same, its header declaring the real configuration's size), bomb-spread (300 audio entries of 4 KB
that each inflate to 4 MiB, their limit: 1.2 GiB together), many (10,000 entries), declared-2g
(the configuration.yaml's header declares 2 GiB).
"""
import struct
import sys
import zipfile
import zlib


def deflate(data):
    """Raw deflate of data: (compressed bytes, CRC-32, size)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def deflate_zeros(mib):
    """Raw deflate of MIB MiB of zeros, fast: a full flush resets the compressor, so every MiB
    compresses to the same bytes, repeated; then an empty final block."""
    mb = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(mb, crc)
    return piece * mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc, mib << 20


class Entry:
    def __init__(self, name, data, mode=0o100600, declared=None):
        self.name = name.encode("utf-8") if isinstance(name, str) else name
        if isinstance(data, tuple):   # already deflated: (bytes, crc, size)
            self.comp, self.crc, self.size = data
        else:
            self.comp, self.crc, self.size = deflate(data)
        self.declared = self.size if declared is None else declared
        self.mode = mode


def write_zip(path, entries):
    out = bytearray()
    central = bytearray()
    for e in entries:
        offset = len(out)
        # local file header: version 20, flags 0 (sizes here, UTF-8 not flagged), deflate
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, e.crc, len(e.comp),
                           e.declared & 0xFFFFFFFF, len(e.name), 0)
        out += e.name + e.comp
        # central directory header: made by Unix (3), the mode in the high 16 bits of the
        # external attributes
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, 0, 8, 0, 0x21, e.crc,
                               len(e.comp), e.declared & 0xFFFFFFFF, len(e.name), 0, 0, 0, 0,
                               (e.mode << 16) & 0xFFFFFFFF, offset)
        central += e.name
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    with open(path, "wb") as f:
        f.write(out)


def main():
    kind, real, target = sys.argv[1], sys.argv[2], sys.argv[3]
    arg = sys.argv[4] if len(sys.argv) > 4 else ""
    with zipfile.ZipFile(real) as z:
        base = [Entry(i.filename, z.read(i.filename)) for i in z.infolist()]
    names = [e.name for e in base]
    config = base[names.index(b"configuration.yaml")]
    wav_name = "audio/" + "ab" * 32 + ".wav"
    if kind == "traversal":
        entries = base + [Entry("../" * 16 + arg.lstrip("/"), b"escaped\n")]
    elif kind == "absolute":
        entries = base + [Entry(arg, b"absolute\n")]
    elif kind == "symlink":
        entries = base + [Entry(wav_name, arg.encode(), mode=0o120777)]
    elif kind == "duplicate":
        entries = base + [Entry("configuration.yaml", b"AgentGroups: []\n")]
    elif kind in ("bomb", "bomb-lying"):
        bomb = deflate_zeros(1024)
        declared = bomb[2] if kind == "bomb" else config.size
        entries = [e for e in base if e.name != b"configuration.yaml"] + [
            Entry("configuration.yaml", bomb, declared=declared)]
    elif kind == "bomb-spread":
        four = deflate_zeros(4)
        entries = base + [Entry("audio/%064x.wav" % i, four) for i in range(300)]
    elif kind == "many":
        entries = base + [Entry("audio/%064x.wav" % i, b"RIFF") for i in range(10000 - len(base))]
    elif kind == "declared-2g":
        entries = [e for e in base if e.name != b"configuration.yaml"] + [
            Entry("configuration.yaml", (config.comp, config.crc, config.size), declared=2 << 30)]
    else:
        sys.exit("unknown kind " + kind)
    write_zip(target, entries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
