"""Teach-lesson figures, measured (not a test: numbers for docs/BENCHMARKS.md).

    nice -n 10 python -m bench.teach_bench --runs 3

1. **Press → trained model**: a project of 5 classes × 10 drawings (the five symbols, drawn by
   one synthetic hand, ``lab.teach.hands``) is written to a fresh ``$NNLAB_HOME`` as the page keeps
   it; then, ``--runs`` times, the ``teach`` job is submitted to a thread ``JobRegistry`` as the
   Train button does, and the time from ``submit`` to the saved model is measured. TensorFlow is
   imported before the first run (the server has it loaded); the first run also loads the
   pre-trained base from disk (the server's warm-up does that at start), the others find it cached.
2. **Held-out accuracy on other hands, scratch vs transfer**: 10 drawings per class by hand 0
   (the student) to train; 10 per class by each of hands 1–6 (six classmates, 300 drawings) to
   test. The three ways of the transfer lesson, each trained by the teach job's ``fit`` (the
   transfer lesson's loop: 15 epochs, batch 16, its learning rates; fine-tuning: the head for 7
   epochs, then the last block too for 8). Per seed the student's drawings and the model's
   initial weights change; the test set stays the same.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from dataclasses import asdict

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

NAMES = ("plus", "minus", "times", "divide", "equals")


class _Quiet:
    cancelled = False

    def __getattr__(self, name):
        return lambda *a, **k: None


def press_to_model(runs: int) -> list[float]:
    """Seconds from submit to the saved model, one per run (a fresh home, one project)."""
    os.environ["NNLAB_HOME"] = tempfile.mkdtemp(prefix="teach-bench-")
    import keras  # noqa: F401 - loaded before timing, as in the server

    from core.backends import kinds
    from core.jobs.registry import JobRegistry
    from lab.teach import hands, storage, training

    x, y = hands.drawings(NAMES, 10, [0], seed=0)
    storage.replace("bench", list(NAMES), [x[y == i] / 255.0 for i in range(len(NAMES))])
    registry, seconds = JobRegistry(build=kinds.build), []
    for _ in range(runs):
        config = training.TeachConfig(owner="bench")
        start = time.perf_counter()
        job = registry.submit(training.KIND, "bench", asdict(config), owner="bench")
        job.join(600)
        seconds.append(round(time.perf_counter() - start, 2))
        assert job.status == "done", job.snapshot().error
    return seconds


def accuracy_on_hands(seeds: list[int], epochs: int = 15) -> dict:
    """Held-out accuracy and training seconds of the three ways, per seed."""
    import keras

    from core.models import transfer as tr
    from lab.teach import hands, maths, training

    x_test, y_test = hands.drawings(NAMES, 10, [1, 2, 3, 4, 5, 6], seed=99)
    out: dict[str, list] = {w: [] for w in tr.WAYS}
    tr.load_base()  # loaded once, before timing
    for seed in seeds:
        x, y = hands.drawings(NAMES, 10, [0], seed=seed)
        for way in tr.WAYS:
            keras.utils.set_random_seed(seed)
            config = training.TeachConfig(owner="bench", epochs=epochs, seed=seed)
            model, found = training.fit(_Quiet(), config, x, y, len(NAMES), way=way)
            acc = maths.accuracy(model(tr.as_input(x_test), training=False), y_test)
            out[way].append((round(acc, 4), found["seconds"]))
            print(way, seed, out[way][-1], flush=True)
    return {w: {"accuracy_runs": [a for a, _ in v], "accuracy_mean": round(statistics.mean(a for a, _ in v), 4),
                "seconds_runs": [s for _, s in v], "seconds_median": statistics.median(s for _, s in v)}
            for w, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--skip-press", action="store_true")
    args = parser.parse_args()
    from core import device

    results: dict = {"device": device.describe(), "load_average": os.getloadavg()}
    if not args.skip_press:
        runs = press_to_model(args.runs)
        results["press_to_model_s"] = {"runs": runs, "median": statistics.median(runs)}
        print(json.dumps(results["press_to_model_s"]), flush=True)
    results["held_out_other_hands"] = accuracy_on_hands([int(s) for s in args.seeds.split(",")])
    results["load_average_end"] = os.getloadavg()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
