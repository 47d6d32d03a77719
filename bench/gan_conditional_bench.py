"""Conditional DCGAN benchmark: digits on demand, and unconditional generators side by side.

    nice -n 10 .venv/bin/python -m bench.gan_conditional_bench [--model gan-conditional]
        [--per-digit 200] [--compare gan-improved gan-mixture] [--n 10000] [--against test|train]
        [--floor] [--json out.json]

Judge: the shipped thesis CNN (``core.models.classifier.load_classifier("cnn")``), which took no
part in training; its penultimate layer (Dense 64) is the feature space.

- ``sample_digits``: for each digit, the share of ``--per-digit`` samples the judge reads as
  that digit (and with p >= 0.9), and the diversity within the class: mean pairwise
  distance of the samples' judge features over that of as many real test digits of the
  class (1 = as varied as real digits). Time for 16 samples (median of 20 warm calls).
- ``--compare``: unconditional generators (shipped names or ``.keras`` paths) measured as
  ``bench.gan_bench`` does (FD against the 10,000 test images, IS, confident share, class
  shares) on ``--n`` samples with z ~ N(0, I) from ``--seed``. ``--against train`` measures FD
  against the 10,000 bundled training images instead: the set the generators learned from,
  so a choice made on it never looks at the test digits.
- ``--floor``: what real digits score: FD of the training images against the test images, and
  of two random halves (5,000 vs 5,000) of each set, five splits (the estimate's own noise).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bench.gan_bench import feature_model, features, frechet, quality
from core.storage.mnist import load_mnist
from lab.gan import model as gan
from lab.gan import model_conditional as gan_conditional


def per_digit(fm, generator, x_test: np.ndarray, y_test: np.ndarray, n: int, seed: int) -> list[dict]:
    rows = []
    for d in range(10):
        samples = gan.sample_digits(d, n, seed=seed + d, generator=generator)
        f, probs = features(fm, samples)
        real = x_test[y_test == d][:n] / 255.0
        f_real, _ = features(fm, real)
        read = probs.argmax(1) == d
        rows.append({"digit": d, "read_as_digit": round(float(read.mean()), 4),
                     "read_confident": round(float((read & (probs.max(1) >= 0.9)).mean()), 4),
                     "diversity_ratio": round(gan.diversity(f) / gan.diversity(f_real), 3),
                     "pixel_diversity_ratio": round(gan.diversity(samples) / gan.diversity(real), 3)})
    return rows


def time_16(generator, repeats: int = 20) -> dict:
    """Median and p95 milliseconds of ``sample_digits(d, 16, ...)`` (``generator=None``: the shipped one)."""
    times = []
    for i in range(repeats + 3):
        t0 = time.perf_counter()
        gan.sample_digits(i % 10, 16, seed=i, generator=generator)
        if i >= 3:  # warm-up calls excluded
            times.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": round(float(np.median(times)), 1), "p95_ms": round(float(np.percentile(times, 95)), 1)}


def real_floor(fm, x_train: np.ndarray, x_test: np.ndarray, splits: int = 5, seed: int = 0) -> dict:
    """FD (and its mean term) of the training images against the test images; FD of random halves."""
    f_train, _ = features(fm, x_train / 255.0)
    f_test, _ = features(fm, x_test / 255.0)
    rng = np.random.default_rng(seed)
    halves = {}
    for name, f in (("train", f_train), ("test", f_test)):
        cuts = [rng.permutation(len(f)) for _ in range(splits)]
        halves[name] = [round(frechet(f[c[:len(f) // 2]], f[c[len(f) // 2:]]), 2) for c in cuts]
    return {"train_vs_test": round(frechet(f_train, f_test), 2),
            "train_vs_test_mean_term": round(float(((f_train.mean(0) - f_test.mean(0)) ** 2).sum()), 2),
            "random_halves": halves}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=gan_conditional.CONDITIONAL_NAME)
    parser.add_argument("--per-digit", type=int, default=200)
    parser.add_argument("--compare", nargs="*", default=[])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--against", choices=("test", "train"), default="test")
    parser.add_argument("--floor", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from core import device
    from core.jobs.keras_setup import prepare_worker
    from core.models import classifier

    prepare_worker(0)
    fm = feature_model(classifier.load_classifier("cnn"))
    (x_train, _), (x_test, y_test) = load_mnist()
    results: dict = {"device": device.describe(), "judge": "shipped thesis CNN"}
    if args.model:
        g = gan_conditional.load_conditional(args.model)
        rows = per_digit(fm, g, x_test, y_test, args.per_digit, args.seed)
        results["conditional"] = {"model": str(args.model), "per_digit": rows,
                                  "min_read": min(r["read_as_digit"] for r in rows),
                                  "min_diversity_ratio": min(r["diversity_ratio"] for r in rows),
                                  # the shipped model through the public path (model cache included)
                                  "time_16": time_16(None if args.model == gan_conditional.CONDITIONAL_NAME else g)}
        print(json.dumps(results["conditional"], indent=1), flush=True)
    if args.floor:
        results["real_floor"] = real_floor(fm, x_train, x_test)
        print("real digits", json.dumps(results["real_floor"]), flush=True)
    reference = (x_test if args.against == "test" else x_train) / 255.0
    results["fd_against"] = args.against
    for name in args.compare:
        samples = gan.generate_many(gan.load_generator(name), gan.latent(args.seed, args.n))
        results.setdefault("unconditional", {})[name] = quality(fm, samples, reference)
        print(name, json.dumps(results["unconditional"][name]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
