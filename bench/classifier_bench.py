"""MNIST classifier goals, measured (not a test: numbers for docs/BENCHMARKS.md).

    python -m bench.classifier_bench                 # everything
    python -m bench.classifier_bench --only drawn    # one part: accuracy|drawn|latency|throughput

1. accuracy: every shipped model on the official 10,000 test images.
2. drawn: synthetic canvas drawings of MNIST test digits (three canvas styles, off-centre,
   varied sizes and stroke widths; ``bench/synthetic_canvas.py``) → ``canvas_to_mnist`` →
   default model.
3. latency: drawing (280×280 RGBA) → probabilities, against a bare
   ``model(x, training=False)`` on one image; medians of interleaved repeats.
4. throughput: images/s of training through the background job (``JobRegistry`` +
   ``ProgressCallback``) against a plain ``model.fit`` of the same model, data and
   settings, alternated in one process; epoch time measured the same way on both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def bench_accuracy() -> dict:
    from core.models import classifier
    from core.storage.mnist import load_mnist

    _, (x, y) = load_mnist(prefer_full=False)
    out = {}
    for entry in classifier.shipped_entries():
        model = classifier.load_entry(entry)
        start = time.perf_counter()
        acc = float((classifier.predict_proba(model, x.astype(np.float32) / 255.0).argmax(1) == y).mean())
        out[entry.name] = {"test_accuracy": acc, "card": entry.card.get("test_accuracy"),
                           "params": int(model.count_params()), "eval_seconds": round(time.perf_counter() - start, 1)}
        print(f"accuracy {entry.name}: {acc:.4f} ({out[entry.name]['params']:,} params)", flush=True)
    return out


def bench_drawn(n: int, seed: int) -> dict:
    from bench.synthetic_canvas import STYLES, make_set
    from core.maths.preprocess import canvas_to_mnist
    from core.models import classifier
    from core.storage.mnist import load_mnist

    _, (x, y) = load_mnist(prefer_full=False)
    images, labels, styles = make_set(x, y, n, seed)
    digits = np.stack([canvas_to_mnist(img) for img in images])
    out = {"n": n, "seed": seed, "default": classifier.default_entry().name}
    for entry in classifier.shipped_entries():
        pred = classifier.predict_proba(classifier.load_entry(entry), digits).argmax(1)
        per_style = {s: float((pred == labels)[np.asarray(styles) == s].mean()) for s in STYLES}
        out[entry.name] = {"accuracy": float((pred == labels).mean()), **per_style}
        print(f"drawn {entry.name}: {out[entry.name]}", flush=True)
    return out


def bench_latency(repeats: int) -> dict:
    from bench.synthetic_canvas import make_set
    from core.maths.preprocess import canvas_to_mnist
    from core.models import classifier
    from core.storage.mnist import load_mnist

    _, (x, y) = load_mnist(prefer_full=False)
    images, _, _ = make_set(x, y, 30, 7)
    model = classifier.load_classifier()
    one = classifier.as_batch(canvas_to_mnist(images[0]))
    for _ in range(10):  # warm up both paths
        model(one, training=False)
        classifier.predict_proba(model, canvas_to_mnist(images[0]))
    bare, full, prep = [], [], []
    for i in range(repeats):
        img = images[i % len(images)]
        t0 = time.perf_counter()
        model(one, training=False)
        t1 = time.perf_counter()
        classifier.predict_proba(model, canvas_to_mnist(img))
        t2 = time.perf_counter()
        canvas_to_mnist(img)
        t3 = time.perf_counter()
        bare.append(t1 - t0)
        full.append(t2 - t1)
        prep.append(t3 - t2)
    out = {"model": classifier.default_entry().name, "repeats": repeats,
           "bare_ms": statistics.median(bare) * 1e3, "drawing_to_probs_ms": statistics.median(full) * 1e3,
           "preprocess_ms": statistics.median(prep) * 1e3}
    out["ratio"] = out["drawing_to_probs_ms"] / out["bare_ms"]
    print(f"latency: {out}", flush=True)
    return out


def bench_throughput(kind: str, epochs: int, rounds: int, max_train: int) -> dict:
    import keras

    from core.backends import kinds as job_kinds
    from core.jobs.keras_setup import prepare_worker
    from core.jobs.registry import JobRegistry
    from core.models import classifier
    from core.training import classifier as ct

    config = ct.make_config(kind, epochs=epochs, max_train=max_train, augment=False,
                            schedule="constant", name="bench-throughput")
    data = ct.prepare_data(config)
    n = len(data["x_train"])

    class EpochTimer(keras.callbacks.Callback):  # the same measure ProgressCallback keeps
        seconds = 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self._t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds += time.perf_counter() - self._t

    def plain() -> float:
        prepare_worker(config.seed)
        model = classifier.compile_model(classifier.build_model(kind, augment=False), "adam", 1e-3)
        timer = EpochTimer()
        model.fit(data["x_train"], data["y_train"], batch_size=config.batch_size, epochs=epochs,
                  validation_data=(data["x_val"], data["y_val"]), callbacks=[timer], verbose=0)
        return epochs * n / timer.seconds

    def job() -> float:
        registry = JobRegistry(build=job_kinds.build)  # the lab's kinds, as the page's registry
        j = ct.submit_config(registry, config, "bench")
        j.join()
        snap = j.snapshot()
        assert snap.status == "done", snap.error
        card = json.loads(open(snap.result["path"].replace(".keras", ".json")).read())
        return card["images_per_second"]

    plain_ips, job_ips = [], []
    for r in range(rounds):  # alternate, so background load hits both sides alike
        order = (plain, job) if r % 2 == 0 else (job, plain)
        for fn in order:
            ips = fn()
            (plain_ips if fn is plain else job_ips).append(ips)
            print(f"throughput round {r + 1} {fn.__name__}: {ips:.0f} images/s", flush=True)
    out = {"kind": kind, "epochs": epochs, "train_images": n, "rounds": rounds,
           "plain_fit_ips": plain_ips, "job_ips": job_ips,
           "ratio": statistics.median(job_ips) / statistics.median(plain_ips)}
    print(f"throughput: ratio {out['ratio']:.3f}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="MNIST classifier benchmarks")
    parser.add_argument("--only", choices=["accuracy", "drawn", "latency", "throughput"])
    parser.add_argument("--drawn", type=int, default=3000, help="synthetic drawings")
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--kind", default="cnn", help="model trained in the throughput check")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--max-train", type=int, default=0)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    from core import device

    results = {"device": device.describe(), "date": time.strftime("%Y-%m-%d %H:%M"),
               "load_average": os.getloadavg()}
    parts = [args.only] if args.only else ["accuracy", "drawn", "latency", "throughput"]
    if "accuracy" in parts:
        results["accuracy"] = bench_accuracy()
    if "drawn" in parts:
        results["drawn"] = bench_drawn(args.drawn, args.seed)
    if "latency" in parts:
        results["latency"] = bench_latency(args.repeats)
    if "throughput" in parts:
        results["throughput"] = bench_throughput(args.kind, args.epochs, args.rounds, args.max_train)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
