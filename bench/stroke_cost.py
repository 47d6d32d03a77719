"""Server CPU of one stroke on the Draw tab, stage by stage (in this process).

    python -m bench.stroke_cost [--n 200]

Each stage is what the server does for a stroke, on the canvas PNGs that
``bench.drawing_load`` sends: decode the canvas component's data URL, preprocess to
28×28, predict with the default classifier (compiled, batch of one), build the probability
chart and serialise it. CPU time is the process's (every thread, TensorFlow's too), median
per stroke over ``--n`` drawings. What Streamlit itself adds (the fragment run, widgets,
messages) is the rest of the whole-server figure from ``bench.drawing_load --sessions 1``.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drawing_load import make_drawings  # noqa: E402
from bench.ws_session import data_url  # noqa: E402
from core.maths import preprocess  # noqa: E402
from core.models import classifier  # noqa: E402
from ui import plots  # noqa: E402


def decode(url: str) -> np.ndarray:
    """What the canvas component does with the browser's value: data URL → RGBA array."""
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(";base64,", 1)[1]))))


def stages(model) -> dict:
    """Name → function of the previous stage's output, in stroke order."""
    return {
        "decode canvas PNG": decode,
        "preprocess to 28×28": lambda image: preprocess.canvas_stages(image).digit,
        "predict (default model)": lambda digit: classifier.predict_proba(model, digit)[0],
        "probability chart": lambda probs: plots.bars(list(range(10)), probs, highlight=int(probs.argmax()),
                                                      y_range=(0, 1), height=240, x_title="Digit",
                                                      y_title="Probability"),
        "chart to JSON": lambda fig: fig.to_json(),
    }


def measure(n: int) -> dict:
    model = classifier.load_classifier()
    urls = [data_url(canvas) for _, canvas in make_drawings(n)]
    steps = stages(model)
    cpu = {name: [] for name in steps}
    for url in urls[:5] + urls:  # the first five warm up
        value = url
        for name, fn in steps.items():
            t0 = time.process_time()
            value = fn(value)
            cpu[name].append(time.process_time() - t0)
    rows = {name: round(1000 * float(np.median(v[5:])), 2) for name, v in cpu.items()}
    rows["total"] = round(sum(rows.values()), 2)
    return {"strokes": n, "model": classifier.default_entry().name, "median_cpu_ms": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args(argv)
    result = measure(args.n)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
