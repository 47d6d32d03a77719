"""GAN inversion on official test digits: how well, how fast, how fast again.

    nice -n 10 python -m bench.gan_inversion_bench [--n 200] [--generated 100] [--json out.json]

Inverts the first ``n`` digits of the official MNIST test split with ``core.gan.invert``
(the shipped unconditional generator) and reports: the share whose reconstruction the
default classifier reads as the digit's true label (and as the classifier's reading of the
original), the mean absolute pixel error, the median and 90th-percentile time per inversion
(CPU seconds too, as the machine may be shared; the first call, which builds the bank of starting points and traces the graph, apart),
and the time of a cached repeat. ``--generated`` digits the generator drew itself are
inverted too, as the reference: their error is what a perfect fit looks like.
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

from core import classifier, gan  # noqa: E402
from core import gan_inversion as gi  # noqa: E402
from core.data import load_mnist  # noqa: E402


def run(images: np.ndarray) -> tuple[np.ndarray, list[float], list[float]]:
    """Reconstructions, wall seconds and CPU seconds (all threads of this process) per image."""
    recons, seconds, cpu = [], [], []
    for x in images:
        start, start_cpu = time.perf_counter(), time.process_time()
        recons.append(gan.invert(x)[1])
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return np.stack(recons), seconds, cpu


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
    load_before = os.getloadavg()[0]
    recon, seconds, cpu = run(x)
    load_after = os.getloadavg()[0]
    repeat = []
    for img in x:
        start = time.perf_counter()
        gan.invert(img)
        repeat.append(time.perf_counter() - start)
    read_recon = classifier.predict_proba(model, recon).argmax(1)
    read_orig = classifier.predict_proba(model, x).argmax(1)
    generated = gan.generate(generator, gan.latent(777, args.generated))
    g_recon, g_seconds, _ = run(generated)
    result = {
        "n": args.n, "steps": gi.STEPS, "starts": gi.STARTS,
        "same_as_label": float((read_recon == y).mean()),
        "same_as_original_reading": float((read_recon == read_orig).mean()),
        "original_read_right": float((read_orig == y).mean()),
        "mean_pixel_error": float(np.abs(recon - x).mean()),
        "generated_mean_pixel_error": float(np.abs(g_recon - generated).mean()),
        "median_s": float(np.median(seconds)), "p90_s": float(np.percentile(seconds, 90)),
        "median_cpu_s": float(np.median(cpu)),
        "generated_median_s": float(np.median(g_seconds)),
        "first_call_s": first,
        "cached_median_ms": 1000 * float(np.median(repeat)), "cached_max_ms": 1000 * float(np.max(repeat)),
        "load_average": [load_before, load_after],
    }
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
