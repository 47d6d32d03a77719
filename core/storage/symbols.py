"""The transfer-learning page's new task: five hand-drawn symbols, + − × ÷ =.

Two sources of 28×28 symbol images (white ink on black, MNIST-style, like the canvas):

- a bundled **starter set**, made by this module: each symbol stroked with PIL on a
  280×280 canvas with random jitter (position, size, rotation, stroke width, wobbly end
  points), then sent through the canvas's own preprocessing (``core.maths.preprocess``)::

      python -m core.storage.symbols --per-symbol 40 --seed 0

  writes ``assets/data/symbols_starter.npz`` and a card ``symbols_starter.json`` saying how;
- the class's own drawings, kept as PNG files ``symbol-<name>-<time>-<id>.png`` in
  ``$NNLAB_HOME/symbols`` (the label is in the name; writes are atomic).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import check_range
from core.paths import BUNDLED_DATA, atomic_write_bytes, atomic_write_json, user_dir
from core.storage import owned

SYMBOLS = ("plus", "minus", "times", "divide", "equals")
GLYPHS = {"plus": "+", "minus": "−", "times": "×", "divide": "÷", "equals": "="}
STARTER = BUNDLED_DATA / "symbols_starter.npz"
_NAME = re.compile(r"symbol-(" + "|".join(SYMBOLS) + r")-(.+)\.png")
CANVAS = 280  # pixels, like the page's canvas

# Each symbol as strokes in unit coordinates (x right, y down, canvas = [0, 1]²); a stroke
# with one point is a dot.
_STROKES = {
    "plus": [[(0.5, 0.2), (0.5, 0.8)], [(0.2, 0.5), (0.8, 0.5)]],
    "minus": [[(0.2, 0.5), (0.8, 0.5)]],
    "times": [[(0.25, 0.25), (0.75, 0.75)], [(0.75, 0.25), (0.25, 0.75)]],
    "divide": [[(0.2, 0.5), (0.8, 0.5)], [(0.5, 0.27)], [(0.5, 0.73)]],
    "equals": [[(0.2, 0.36), (0.8, 0.36)], [(0.2, 0.64), (0.8, 0.64)]],
}


def check_symbol(name: object) -> str:
    if name not in SYMBOLS:
        raise ValueError(f"unknown symbol {name!r}; choose one of {SYMBOLS}")
    return str(name)


def stroke_canvas(name: str, rng: np.random.Generator) -> np.ndarray:
    """One jittered hand-like drawing of symbol ``name``: ``uint8 (280, 280)``, white on black."""
    from PIL import Image, ImageDraw

    check_symbol(name)
    angle = np.deg2rad(rng.normal(0, 8))
    scale = rng.uniform(0.6, 1.1)
    shift = rng.uniform(-0.1, 0.1, 2)
    width = max(6, int(rng.integers(12, 28) * scale))  # thinner when drawn smaller: = stays two lines
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    image = Image.new("L", (CANVAS, CANVAS), 0)
    draw = ImageDraw.Draw(image)
    for stroke in _STROKES[name]:
        pts = np.asarray(stroke) + rng.normal(0, 0.03, (len(stroke), 2))  # (k, 2) wobbly ends
        if len(pts) > 1:  # a line becomes five segments with a little sideways wobble
            f = np.linspace(0, 1, 6)[:, None]
            pts = pts[0] + f * (pts[1] - pts[0]) + rng.normal(0, 0.008, (6, 2))
        pts = ((pts - 0.5) * scale) @ rot.T + 0.5 + shift
        xy = [tuple(p) for p in (pts * CANVAS)]
        if len(xy) == 1:
            r = width * rng.uniform(0.6, 0.9)
            draw.ellipse([xy[0][0] - r, xy[0][1] - r, xy[0][0] + r, xy[0][1] + r], fill=255)
        else:
            draw.line(xy, fill=255, width=width, joint="curve")
    return np.asarray(image)


def generate(per_symbol: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``per_symbol`` drawings of each symbol, preprocessed like the canvas: ``uint8 (N, 28, 28)``
    and labels ``(N,)`` (indices into ``SYMBOLS``), symbol by symbol."""
    from core.maths.preprocess import canvas_stages

    check_range(per_symbol, "examples", 1, 10_000)
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, name in enumerate(SYMBOLS):
        for _ in range(per_symbol):
            digit = canvas_stages(stroke_canvas(name, rng)).digit  # (28, 28) in [0, 1]
            images.append((digit * 255).round().astype(np.uint8))
            labels.append(label)
    return np.stack(images), np.asarray(labels, np.int64)


def starter_set() -> tuple[np.ndarray, np.ndarray]:
    """The bundled starter set: ``uint8 (N, 28, 28)`` and labels ``(N,)``."""
    with np.load(STARTER) as f:
        return f["x"], f["y"].astype(np.int64)


# ---------------------------------------------------------------- the class's own drawings
@dataclass(frozen=True)
class SymbolDrawing:
    path: Path
    label: int  # index into SYMBOLS
    image: np.ndarray  # (28, 28) uint8
    owner: str = ""  # as written in the file name; "" for drawings from before owners


def symbols_dir() -> Path:
    return user_dir("symbols")


def save_symbol(image: np.ndarray, name: str, directory: Path | None = None, owner: str = "") -> Path:
    """Keep a preprocessed ``(28, 28)`` drawing in [0, 1] as symbol ``name`` (atomic PNG), as
    ``owner``'s (``InputError("quota.files")`` past ``owned.max_files()`` of theirs)."""

    image = np.asarray(image, np.float32)
    if image.shape != (28, 28):
        raise ValueError(f"a symbol drawing must be 28×28, got {image.shape}")
    name = check_symbol(name)
    return owned.write(image, Path(directory or symbols_dir()), f"symbol-{name}", owner)


def _named(directory: Path | None, owner: str | None) -> list[owned.Named]:
    return owned.mine(owned.scan(Path(directory or symbols_dir()), "symbol"), owner)


def count_symbols(owner: str | None = None, directory: Path | None = None) -> int:
    """How many symbols ``owner`` kept (``None``: the whole class), from file names alone."""
    return len(_named(directory, owner))


def list_symbols(directory: Path | None = None, owner: str | None = None) -> list[SymbolDrawing]:
    """Readable kept drawings, newest first: ``owner``'s (``None``: the class's)."""
    found = []
    for named in _named(directory, owner):
        match = _NAME.fullmatch(named.path.name)
        arr = owned.pixels(named.path) if match else None
        if arr is not None:
            found.append(SymbolDrawing(named.path, SYMBOLS.index(match.group(1)), arr, named.owner))
    return found


def load_symbols(directory: Path | None = None, owner: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``owner``'s kept drawings (``None``: the class's) as ``uint8 (N, 28, 28)`` and labels ``(N,)``."""
    found = list_symbols(directory, owner)
    if not found:
        return np.zeros((0, 28, 28), np.uint8), np.zeros((0,), np.int64)
    return np.stack([d.image for d in found]), np.asarray([d.label for d in found], np.int64)


def delete_symbol(path: Path, directory: Path | None = None, owner: str | None = None, teacher: bool = False) -> bool:
    """Delete one kept drawing (only a symbol file in the symbols folder, only its owner's or by
    the teacher); ``False`` when it was gone already (another tab deleted it)."""
    path, folder = Path(path).resolve(), Path(directory or symbols_dir()).resolve()
    if path.parent != folder or not _NAME.fullmatch(path.name) or (path.exists() and not path.is_file()):
        raise ValueError(f"{path.name} is not one of the kept symbol drawings")
    return owned.remove(path, "symbol", owner, teacher)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the bundled starter set of symbols")
    parser.add_argument("--per-symbol", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    x, y = generate(args.per_symbol, args.seed)
    buf = io.BytesIO()
    np.savez_compressed(buf, x=x, y=y.astype(np.uint8), symbols=np.asarray(SYMBOLS))
    atomic_write_bytes(STARTER, buf.getvalue())
    command = "python -m core.storage.symbols " + " ".join(argv if argv is not None else sys.argv[1:])
    atomic_write_json(STARTER.with_suffix(".json"), {
        "command": command.strip(), "symbols": list(SYMBOLS), "per_symbol": args.per_symbol,
        "images": int(len(x)), "seed": args.seed, "made": time.strftime("%Y-%m-%d %H:%M:%S"),
        "how": "each symbol stroked with PIL on a 280×280 black canvas with random position, size, "
               "rotation, stroke width and wobbly end points, then preprocessed like a canvas drawing "
               "(core.maths.preprocess.canvas_stages)"})
    print(f"wrote {STARTER} ({len(x)} images)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
