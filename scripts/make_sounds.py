"""Write the board's sound effects (static/sounds/*.wav) from simple tones.

Run from the repository root: `python scripts/make_sounds.py`. The sounds are
made here from sine waves and envelopes, so they belong to the project and are
dedicated to the public domain (static/sounds/LICENSE.txt); nothing is fetched.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parent.parent / "static" / "sounds"

# name: [(frequency Hz, seconds, volume 0..1), ...] played one after the other
SOUNDS: dict[str, list[tuple[float, float, float]]] = {
    "tick": [(880.0, 0.09, 0.5)],  # each of the last 5 seconds
    "timeup": [(660.0, 0.18, 0.6), (440.0, 0.18, 0.6), (330.0, 0.45, 0.6)],  # time up
    "buzz": [(523.25, 0.08, 0.6), (783.99, 0.08, 0.6), (1046.5, 0.3, 0.6)],  # a buzz won
    "reveal": [(523.25, 0.12, 0.5), (659.25, 0.12, 0.5), (783.99, 0.12, 0.5), (1046.5, 0.4, 0.5)],
}


def tone(freq: float, seconds: float, volume: float) -> list[float]:
    n = int(RATE * seconds)
    attack = max(1, int(RATE * 0.005))
    out = []
    for i in range(n):
        env = min(1.0, i / attack) * (1.0 - i / n) ** 1.5  # quick attack, smooth decay
        # a touch of the octave above makes it carry in a hall
        s = math.sin(2 * math.pi * freq * i / RATE) + 0.3 * math.sin(4 * math.pi * freq * i / RATE)
        out.append(volume * env * s / 1.3)
    return out


def write(name: str, parts: list[tuple[float, float, float]]) -> Path:
    samples: list[float] = []
    for freq, seconds, volume in parts:
        samples.extend(tone(freq, seconds, volume))
    path = OUT / f"{name}.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        frames = (struct.pack("<h", int(max(-1.0, min(1.0, x)) * 32767)) for x in samples)
        w.writeframes(b"".join(frames))
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, parts in SOUNDS.items():
        print(write(name, parts))


if __name__ == "__main__":
    main()
