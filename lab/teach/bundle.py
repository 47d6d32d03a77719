"""Taking a teach project home and back: the project zip, the model's card, a Keras script.

The project zip holds ``classes.json`` (``{"format": FORMAT, "classes": [names]}``) and each
class's examples as 28×28 PNG files, ``examples/<class number>/<n>.png``; with a trained model
it also holds ``model.keras``, its card ``card.json`` and ``classify.py``. Importing reads only
``classes.json`` and the PNG files, checked one by one: **never a model file** (a ``.keras``
file can carry code; the lab retrains from the examples instead). No Streamlit, no Keras here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import numpy as np

from core.errors import InputError
from lab.teach import maths

FORMAT = "nnlab-teach/1"
MAX_ZIP_BYTES = 20 * 2**20  # an exported project of 10 classes × 100 examples is ~1 MB
MAX_MEMBERS = 2_000
MAX_EXAMPLES = 200  # per class, on import
_MEMBER = re.compile(r"examples/(\d{1,2})/[^/]{1,80}\.png")


def _png(image: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.asarray(image, np.uint8), "L").save(buf, "PNG")
    return buf.getvalue()


def export_zip(names: list[str], examples: list[np.ndarray], extra: dict[str, bytes] | None = None) -> bytes:
    """The project as zip bytes: class names, each class's ``uint8 (k, 28, 28)`` examples and
    ``extra`` files (``model.keras``, ``card.json``, ``classify.py``) when given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("classes.json", json.dumps({"format": FORMAT, "classes": list(names)}, ensure_ascii=False, indent=1))
        for i, group in enumerate(examples):
            for k, image in enumerate(group):
                z.writestr(f"examples/{i}/{k:03d}.png", _png(image))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _decode(data: bytes, name: str) -> np.ndarray:
    """A member PNG as ``(28, 28)`` floats in [0, 1]; ``InputError`` unless it is a 28×28 image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.size != (28, 28):
                raise InputError("teach.zip_image", name=name)
            return np.asarray(img.convert("L"), np.float32) / 255.0
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError("teach.zip_image", name=name) from exc


def _names(z: zipfile.ZipFile) -> list[str]:
    try:
        meta = json.loads(z.read("classes.json").decode("utf-8"))
    except (KeyError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("teach.zip_no_classes") from exc
    names = meta.get("classes") if isinstance(meta, dict) else None
    if meta.get("format") != FORMAT or not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError("teach.zip_no_classes")
    return maths.check_names(names)


def import_zip(data: bytes) -> tuple[list[str], list[np.ndarray]]:
    """Class names and each class's examples ``(k, 28, 28)`` in [0, 1] from an exported project's
    zip. Everything but ``classes.json`` and ``examples/<i>/*.png`` is ignored, model files above all."""
    if len(data) > MAX_ZIP_BYTES:
        raise InputError("teach.zip_large", mb=round(len(data) / 2**20, 1), limit=MAX_ZIP_BYTES // 2**20)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError("teach.bad_zip") from exc
    if len(members) > MAX_MEMBERS:
        raise InputError("teach.bad_zip")
    with z:
        names = _names(z)
        groups: list[list[np.ndarray]] = [[] for _ in names]
        for info in members:
            match = _MEMBER.fullmatch(info.filename)
            if not match:
                continue  # model.keras, card.json, classify.py, anything else: never read
            i = int(match.group(1))
            if i >= len(names) or info.file_size > 64_000:
                raise InputError("teach.zip_image", name=info.filename)
            if len(groups[i]) < MAX_EXAMPLES:
                try:
                    groups[i].append(_decode(z.read(info), info.filename))
                except (zipfile.BadZipFile, OSError) as exc:
                    raise InputError("teach.bad_zip") from exc
    return names, [np.stack(g) if g else np.zeros((0, 28, 28), np.float32) for g in groups]


def card(names: list[str], counts: list[int], result: dict, device: str) -> dict:
    """The model's card: what it tells apart, from how many examples, how and how long it trained."""
    return {"kind": "teach", "classes": list(names), "examples": list(counts), "input": "(N, 28, 28, 1) in [0, 1], "
            "white ink on black, fitted in 20×20 and centred like MNIST", **result, "device": device,
            "command": "trained on the page (lab/teach)"}


SCRIPT = '''"""Classify a drawing with the model you taught in the Neural Network Lab.

    pip install keras tensorflow pillow numpy
    python classify.py model.keras card.json my_drawing.png
"""
import json
import sys

import keras
import numpy as np
from PIL import Image, ImageOps

model = keras.saving.load_model(sys.argv[1], compile=False)
classes = json.load(open(sys.argv[2], encoding="utf-8"))["classes"]

img = ImageOps.grayscale(Image.open(sys.argv[3]))
ink = np.asarray(img, np.float32) / 255
if np.median(np.r_[ink[0], ink[-1], ink[:, 0], ink[:, -1]]) > 0.5:
    ink = 1 - ink                                 # dark ink on light paper -> white on black
rows, cols = np.nonzero(ink > 0.3)
ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]  # crop to the drawing
h, w = ink.shape
scale = 20 / max(h, w)                            # longer side 20 pixels, as in MNIST
small = Image.fromarray((ink * 255).astype(np.uint8)).resize((max(1, round(w * scale)), max(1, round(h * scale))))
x = np.zeros((28, 28), np.float32)
top, left = (28 - small.height) // 2, (28 - small.width) // 2
x[top:top + small.height, left:left + small.width] = np.asarray(small, np.float32) / 255

probs = np.asarray(model(x[None, :, :, None], training=False))[0]
for i in np.argsort(-probs):
    print(f"{classes[i]:>20s}  {probs[i]:6.1%}")
'''
