"""GAN inversion on official test digits: how well, how fast, how fast again.

    nice -n 10 python -m bench.gan_inversion_bench [--n 200] [--generated 100] [--json out.json]

Inverts the first ``n`` digits of the official MNIST test split with ``lab.gan.model.invert``
(the shipped unconditional generator) and reports: the share whose reconstruction the
default classifier reads as the digit's true label (and as the classifier's reading of the
original), the mean absolute pixel error, the median and 90th-percentile time per inversion
(CPU seconds too, as the machine may be shared; the first call, which builds the bank of starting points and traces the graph, apart),
and the time of a cached repeat. ``--generated`` digits the generator drew itself are
inverted too, as the reference: their error is what a perfect fit looks like.

When the generator has an encoder (``lab.gan.model_encoder``), every test digit is also inverted
without it (``optimise(..., warm=False)``, the same seed), image by image in turn with the
public call, so both see the same machine load: the ``without_encoder`` figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from core.models import classifier  # noqa: E402
from core.storage.mnist import load_mnist  # noqa: E402
from lab.gan import model as gan  # noqa: E402
from lab.gan import model_encoder as gan_encoder
from lab.gan import model_inversion as gi  # noqa: E402


def timed(fn, x: np.ndarray, out: dict) -> None:
    """Append ``fn(x)``'s reconstruction, wall and CPU seconds (all threads) to ``out``'s lists."""
    start, start_cpu = time.perf_counter(), time.process_time()
    out.setdefault("recon", []).append(fn(x)[1])
    out.setdefault("seconds", []).append(time.perf_counter() - start)
    out.setdefault("cpu", []).append(time.process_time() - start_cpu)


def run(images: np.ndarray, cold=None) -> tuple[dict, dict]:
    """Each image through ``gan.invert``, and through ``cold`` (if given) right after it."""
    warm_out, cold_out = {}, {}
    for x in images:
        timed(gan.invert, x, warm_out)
        if cold is not None:
            timed(cold, x, cold_out)
    return warm_out, cold_out


def figures(out: dict, x: np.ndarray, y: np.ndarray, read_orig: np.ndarray, model) -> dict:
    read = classifier.predict_proba(model, np.stack(out["recon"])).argmax(1)
    return {"same_as_label": float((read == y).mean()), "same_as_original_reading": float((read == read_orig).mean()),
            "mean_pixel_error": float(np.abs(np.stack(out["recon"]) - x).mean()),
            "median_s": float(np.median(out["seconds"])), "p90_s": float(np.percentile(out["seconds"], 90)),
            "median_cpu_s": float(np.median(out["cpu"]))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--generated", type=int, default=100)
    ap.add_argument("--json")
    args = ap.parse_args()
    _, (x_test, y_test) = load_mnist()
    x, y = x_test[:args.n].astype(np.float32) / 255.0, y_test[:args.n]
    model = classifier.load_classifier()
    generator = gan.load_generator()
    start = time.perf_counter()
    gan.invert(gan.generate(generator, gan.latent(123_456))[0])  # bank + trace, once per model
    first = time.perf_counter() - start
    encoder = gan_encoder.encoder_for(generator)
    cold = None if encoder is None else (lambda img: gi.optimise(generator, gi.check_image(img), 0, warm=False))
    load_before = os.getloadavg()[0]
    warm, without = run(x, cold)
    load_after = os.getloadavg()[0]
    repeat = []
    for img in x:
        start = time.perf_counter()
        gan.invert(img)
        repeat.append(time.perf_counter() - start)
    read_orig = classifier.predict_proba(model, x).argmax(1)
    generated = gan.generate(generator, gan.latent(777, args.generated))
    g_out, _ = run(generated)
    result = {
        "n": args.n, "steps": gi.STEPS, "starts": gi.STARTS, "encoder": encoder is not None,
        **figures(warm, x, y, read_orig, model),
        "original_read_right": float((read_orig == y).mean()),
        "generated_mean_pixel_error": float(np.abs(np.stack(g_out["recon"]) - generated).mean()),
        "generated_median_s": float(np.median(g_out["seconds"])),
        "without_encoder": figures(without, x, y, read_orig, model) if without else None,
        "first_call_s": first,
        "cached_median_ms": 1000 * float(np.median(repeat)), "cached_max_ms": 1000 * float(np.max(repeat)),
        "load_average": [load_before, load_after],
    }
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
