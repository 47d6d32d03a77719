"""How long the CNN view takes to open on this CPU: the overview and one unit, fresh and cached.

    python -m bench.cnn_view_bench [--digits 20] [--json out.json]

For each shipped CNN and ``--digits`` official test images, in this process (no browser, no
websocket): **open the overview** = the network's steps on the digit (``cached_overview``),
the overview's picture (PNG), its hover texts and its figure as the JSON the browser receives; **open a unit**
= ``conv_unit`` of a unit of the second conv layer, one output cell (``conv_position``) and the
unit's pictures (channels, kernels, channel maps) and six map figures as JSON. Each twice: fresh (a new digit) and cached (the same digit
again, as for the next student). Medians and 90th percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import i18n  # noqa: E402
from core.models import classifier  # noqa: E402
from core.storage.mnist import load_mnist  # noqa: E402
from lab.cnn import explain, plots, view_overview  # noqa: E402


def _overview(t, model, digit) -> int:
    over = explain.cached_overview(model, digit)
    pic = view_overview.picture(t, "en", model, digit, over)
    fig = plots.overview_figure(pic, "overview", view_overview.hover(t, "en", model, digit, over, pic), 0, [])
    return len(fig.to_json())


def _unit(model, digit, layer: int, unit: int) -> int:
    u = explain.conv_unit(model, digit, layer, unit)
    r, c = np.unravel_index(int(np.argmax(u.out)), u.out.shape)
    p = explain.conv_position(model, digit, layer, unit, int(r), int(c))
    size = sum(plots.tile_picture(m)[0].nbytes // 20 for m in (u.channels, u.kernels, u.maps))  # ~PNG size
    figs = plots.maps([("d", u.total), ("e", u.pre), ("f", u.out)])
    figs += plots.maps([("g", p.windows[0]), ("h", p.kernels[0]), ("i", p.windows[0] * p.kernels[0])],
                       shared=False, numbers=True)
    return size + sum(len(f.to_json()) for f in figs)


def _timed(fn) -> tuple[float, int]:
    t0 = time.perf_counter()
    size = fn()
    return 1000 * (time.perf_counter() - t0), size


def run(digits: int) -> dict:
    t = i18n.translator("en")
    _, (x, _) = load_mnist()
    result = {}
    for kind in ("cnn", "improved"):
        model = classifier.load_classifier(kind)
        _overview(t, model, np.zeros((28, 28), np.float32))  # trace the graph once (the page's preload does)
        times: dict[str, list[float]] = {k: [] for k in ("overview", "overview_cached", "unit", "unit_cached")}
        sizes = {}
        for i in range(digits):
            digit = x[100 + i] / 255.0
            for name, fn in (("overview", lambda m=model, d=digit: _overview(t, m, d)),
                             ("unit", lambda m=model, d=digit, u=i % 32: _unit(m, d, 1, u))):
                ms, sizes[name] = _timed(fn)
                times[name].append(ms)
                times[f"{name}_cached"].append(_timed(fn)[0])
        q = lambda v: {"median_ms": round(statistics.median(v), 1),  # noqa: E731
                       "p90_ms": round(float(np.percentile(v, 90)), 1), "max_ms": round(max(v), 1)}
        result[kind] = {k: q(v) for k, v in times.items()}
        result[kind]["json_kb"] = {k: round(v / 1024, 1) for k, v in sizes.items()}
    return {"digits": digits, **result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.digits)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
