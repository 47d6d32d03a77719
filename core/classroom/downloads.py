"""What a student takes home: their trained model with its card, their kept drawings, a
playground network as a script with its link, a PNG of what a page shows.

Each download is built for one owner id (the session's, ``ui.session.session_label``) and
refuses an empty one: ``drawings.list_drawings(owner=None)`` means the whole class, so an
empty owner must never reach it. The owner id itself is left out of what is downloaded.
No Streamlit here (``ui.downloads`` draws the buttons).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from core.errors import InputError
from core.storage import drawings, owned, store

PRIVATE = ("owner",)  # card fields that stay on the server


def _check_owner(owner: str) -> str:
    if not owned.file_owner(owner):
        raise InputError("owner.not_yours")
    return owner


def own_models(entries: Sequence[store.ModelEntry], owner: str) -> list[store.ModelEntry]:
    """The models of ``entries`` that ``owner`` trained (shipped ones and others' left out)."""
    _check_owner(owner)
    return [e for e in entries if not e.shipped and store.owner_of(e) == owner]


def model_zip(entry: store.ModelEntry, owner: str) -> bytes:
    """``NAME.keras`` and its card ``NAME.json`` in a zip; ``InputError`` if not ``owner``'s."""
    if entry not in own_models([entry], owner):
        raise InputError("owner.not_yours")
    card = {k: v for k, v in entry.card.items() if k not in PRIVATE}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(entry.path, f"{entry.name}.keras")
        z.writestr(f"{entry.name}.json", json.dumps(card, indent=2, ensure_ascii=False))
    return out.getvalue()


def _png(image: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(out, format="PNG")
    return out.getvalue()


def drawings_zip(owner: str, directory: Path | None = None) -> bytes:
    """``owner``'s kept drawings as ``LABEL/drawing-NNN.png`` (28×28, white on black) plus
    ``labels.csv`` (file, label), newest first; an empty zip with the header when none."""
    found = drawings.list_drawings(directory, owner=_check_owner(owner))
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["file", "label"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        tag = owned.file_owner(owner)
        for i, d in enumerate(d for d in found if d.owner == tag):  # the listing's filter, checked again
            name = f"{d.label}/drawing-{i + 1:03d}.png"
            z.writestr(name, _png(d.image))
            writer.writerow([name, d.label])
        z.writestr("labels.csv", rows.getvalue())
    return out.getvalue()


def playground_script(script: str, link: str) -> bytes:
    """The playground's Keras script with the link that opens the same network in the lab."""
    head = f"# Open this network in the Neural Network Lab:\n# {link}\n\n" if link else ""
    return (head + script).encode()


def _unit(a: np.ndarray) -> np.ndarray:
    """``a`` scaled to 0-255 by its own range (a flat map is mid grey)."""
    a = np.asarray(a, dtype=np.float32)
    low, high = float(np.nanmin(a)), float(np.nanmax(a))
    if not np.isfinite(low) or not np.isfinite(high) or high - low < 1e-12:
        return np.full(a.shape, 128, np.uint8)
    return np.round((np.nan_to_num(a, nan=low) - low) / (high - low) * 255).astype(np.uint8)


def grid_png(images: Sequence[np.ndarray] | np.ndarray, columns: int = 8, scale: int = 4, gap: int = 2,
             each: bool = True) -> bytes:
    """Grey ``(H, W)`` arrays side by side as one PNG (row-major, ``columns`` a row), each
    enlarged ``scale`` times without smoothing, ``gap`` white pixels between. ``each``: scale
    every image to its own range (feature maps); else all by the overall range (samples)."""
    arrays = [np.asarray(a, dtype=np.float32) for a in images]
    arrays = [a[..., 0] if a.ndim == 3 and a.shape[-1] == 1 else a for a in arrays]  # (H, W, 1) images
    if not arrays or any(a.ndim != 2 for a in arrays) or len({a.shape for a in arrays}) != 1:
        raise ValueError("grid_png takes one or more 2-D arrays of the same shape")
    if not 1 <= scale <= 16 or not 1 <= columns <= 64 or len(arrays) > 1024:
        raise ValueError("grid_png: scale 1-16, columns 1-64, at most 1024 images")
    tiles = [_unit(a) for a in arrays] if each else list(_unit(np.stack(arrays)))
    h, w = arrays[0].shape
    cols = min(columns, len(tiles))
    rows = -(-len(tiles) // cols)
    sh, sw = h * scale, w * scale
    sheet = np.full((rows * sh + (rows - 1) * gap, cols * sw + (cols - 1) * gap), 255, np.uint8)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        big = np.kron(tile, np.ones((scale, scale), np.uint8))  # (sh, sw): nearest-neighbour
        sheet[r * (sh + gap):r * (sh + gap) + sh, c * (sw + gap):c * (sw + gap) + sw] = big
    return _png(sheet)
