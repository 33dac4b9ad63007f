"""Draw the demo organisation's logo (a PNG) without any imaging library.

The sample profile uses it so `make demo` shows where a real logo goes. A stylised
mountain and lake in two blues; deterministic bytes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "logo.png"
WIDTH, HEIGHT = 360, 120
SKY, MOUNTAIN, LAKE = (255, 255, 255), (24, 76, 140), (70, 150, 210)


def pixel(x: int, y: int) -> tuple[int, int, int]:
    peak = abs(x - 60) + abs(x - 60) // 2
    if y > 80:
        return LAKE if (x + y // 6) % 24 < 18 else SKY
    if y > 20 + peak // 1 and x < 130:
        return MOUNTAIN
    if 150 <= x < 350 and 40 <= y < 70 and (x // 8) % 3 != 2:
        return MOUNTAIN
    return SKY


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def main() -> None:
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(WIDTH)) for y in range(HEIGHT)
    )
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows, 9))
    png += chunk(b"IEND", b"")
    TARGET.write_bytes(png)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
