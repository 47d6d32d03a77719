"""Drawing → prediction latency, idle and while a DCGAN trains in the same server process.

    python bench/responsiveness.py            # both thread settings, side by side
    python bench/responsiveness.py --threads 1 --n 200

Each measurement is what the Draw tab does after a stroke: ``canvas_to_mnist`` on a
280×280 RGBA canvas, then ``predict_proba`` (``model(x, training=False)`` as a compiled graph)
with the default classifier. "Under training" starts the improved DCGAN as a background
job in the same process (as the app does) and measures while its batches run, one
prediction every 50 ms like a user drawing. ``--threads N`` sets ``NNLAB_TF_THREADS``
(TensorFlow's intra-op pool) before TensorFlow starts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values) * 1000, q))


def measure(model, drawings, pause: float = 0.0) -> list[float]:
    from core.maths.preprocess import canvas_to_mnist
    from core.models.classifier import predict_proba

    out = []
    for canvas in drawings:
        start = time.perf_counter()
        predict_proba(model, canvas_to_mnist(canvas))
        out.append(time.perf_counter() - start)
        time.sleep(pause)
    return out


def run_one(threads: int | None, n: int) -> dict:
    """``threads``: ``NNLAB_TF_THREADS`` (0 = all cores), or ``None`` for the app's default."""
    if threads is None:
        os.environ.pop("NNLAB_TF_THREADS", None)
    else:
        os.environ["NNLAB_TF_THREADS"] = str(threads)
    os.environ.setdefault("NNLAB_HOME", tempfile.mkdtemp(prefix="nnlab-bench-"))
    from bench.synthetic_canvas import make_set
    from core import device
    from core.backends import kinds as job_kinds
    from core.jobs.registry import JobRegistry
    from core.models.classifier import load_classifier
    from core.storage.mnist import load_mnist
    from lab.gan.training.state import GanConfig

    device.configure()
    _, (x_test, y_test) = load_mnist()
    drawings, _, _ = make_set(x_test, y_test, n, seed=1)
    model = load_classifier()
    measure(model, drawings[:10])  # warm-up: first calls trace and allocate
    idle = measure(model, drawings, pause=0.05)

    config = GanConfig(variant="improved", epochs=50, batch_size=128).validate()
    job = JobRegistry(build=job_kinds.build).submit("gan", "bench", {**asdict(config), "run_dir": tempfile.mkdtemp()})
    deadline = time.time() + 300
    while job.snapshot().batch < 3 and time.time() < deadline:
        time.sleep(0.2)
    busy_start = job.snapshot()
    busy = measure(model, drawings, pause=0.05)
    busy_end = job.snapshot()
    job.cancel()
    job.join(120)
    steps = (busy_end.epoch - busy_start.epoch) * (busy_end.batches or 0) + busy_end.batch - busy_start.batch
    label = {None: f"default ({device.thread_budget()})", 0: "all cores (0)"}.get(threads, str(threads))
    return {"threads": label, "n": n,
            "idle_p50_ms": percentile(idle, 50), "idle_p95_ms": percentile(idle, 95),
            "busy_p50_ms": percentile(busy, 50), "busy_p95_ms": percentile(busy, 95),
            "gan_steps_during_busy": steps, "busy_seconds": sum(busy) + 0.05 * len(busy)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, help="one setting in this process (-1: the default)")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    if args.threads is not None:
        print(json.dumps(run_one(None if args.threads < 0 else args.threads, args.n)))
        return
    rows = []
    for threads in (-1, 0):
        out = subprocess.run([sys.executable, __file__, "--threads", str(threads), "--n", str(args.n)],
                             capture_output=True, text=True, cwd=ROOT)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| TF threads | idle p50 | idle p95 | under GAN training p50 | p95 | p95 ratio | GAN steps meanwhile |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['threads']} | {r['idle_p50_ms']:.1f} ms | {r['idle_p95_ms']:.1f} ms | "
              f"{r['busy_p50_ms']:.1f} ms | {r['busy_p95_ms']:.1f} ms | "
              f"{r['busy_p95_ms'] / r['idle_p95_ms']:.2f}× | {r['gan_steps_during_busy']} |")


if __name__ == "__main__":
    main()
