"""The training toolbox's costs (issue 37): the BN/dropout job, the race, the approximation.

    python -m bench.toolbox_bench [--runs 3] [--module PATH]

The job runs with its default settings (2,000 images, 6 epochs, 4 variants) after Keras is
imported, as in a running server; each run prints its wall time (``time.perf_counter``), its
CPU time (``getrusage``: steadier than wall time on a shared machine) and the accuracies.
``--module`` loads another ``training.py`` in its place (an older version, to compare). Then
the numpy parts: the race on Rosenbrock (5 optimisers × 500 steps), a loss grid, a fit of 60
units and the error curve for 1…60 units. Medians over the runs; the machine is noisy.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import statistics
import sys
import time
import timeit

from core.jobs.context import PrintContext


class _Quiet(PrintContext):
    def __init__(self):
        super().__init__(every=10 ** 9)
        self.result: dict = {}

    def set_result(self, **values):
        self.result.update(values)

    def set_extra(self, key, value):
        pass

    def say(self, code, **values):
        pass


def _training(path: str | None):
    if not path:
        from lab.toolbox import training

        return training
    spec = importlib.util.spec_from_file_location("toolbox_training_other", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def job_runs(runs: int, path: str | None) -> list[dict]:
    """Run the default job ``runs`` times; one dict of times and accuracies per run."""
    import keras  # noqa: F401  (loaded before timing)

    tr, out = _training(path), []
    for _ in range(runs):
        ctx, start, r0 = _Quiet(), time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        curves = tr.toolbox_job(tr.ToolboxConfig())(ctx)
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        out.append({"wall_s": round(time.perf_counter() - start, 1),
                    "cpu_s": round(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime, 1),
                    "test_acc": {v: round(c["test_acc"][-1], 3) for v, c in curves.items()},
                    "train_acc": {v: round(c["train_acc"][-1], 3) for v, c in curves.items()}})
        print(json.dumps(out[-1]), flush=True)
    return out


def numpy_parts(repeats: int = 7) -> dict[str, float]:
    """Median milliseconds of the race, a grid, a fit and the error curve."""
    from lab.toolbox import maths as m
    from lab.toolbox import maths_approx as ua

    d = m.SURFACES["rosenbrock"].defaults
    cfg = m.Settings(d["lr"], d["lr_adaptive"], d["momentum"])
    parts = {"race_rosenbrock_5x500": lambda: m.race("rosenbrock", m.OPTIMISERS, cfg, 500),
             "grid_net_uncached": lambda: (m.grid.cache_clear(), m.grid("net")),
             "fit_60_units": lambda: ua.fit("wave", 60, "sigmoid"),
             "error_curve_1_to_60": lambda: ua.error_by_units("wave", "sigmoid", 60)}
    return {name: round(1000 * statistics.median(timeit.repeat(f, number=1, repeat=repeats)), 1)
            for name, f in parts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--module", help="another training.py to time instead of lab/toolbox/training.py")
    args = parser.parse_args(argv)
    runs = job_runs(args.runs, args.module)
    print(json.dumps({"job_wall_median_s": statistics.median(r["wall_s"] for r in runs),
                      "job_cpu_median_s": statistics.median(r["cpu_s"] for r in runs),
                      "numpy_ms": numpy_parts()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
