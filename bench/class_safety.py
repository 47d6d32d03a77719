"""One server, a class, and its limits (issue 29): the flood, quota and listing figures.

    python -m bench.class_safety [--drawings 12000] [--models 300] [--repeats 5]

Everything runs in a temporary ``NNLAB_HOME`` (nothing of yours is touched):

- flood: one student submits 300 jobs in a row to a thread registry; how many are accepted,
  how long the refusals take, how many lines the sidebar draws;
- retention: 300 finished records of that student and 100 of 29 classmates; what is kept;
- drawings: one student saves until the quota; the time of a save with an empty folder and
  with ``--drawings`` of the class's drawings in it; what the Train tab's counts and the
  manager's 60 newest cost at that size (cold: first call after a change; warm: a rerun);
- models: ``--models`` user models with 150 KB cards; ``list_models()`` cold, warm, and
  right after one more model is saved;
- teacher key: a script typing 8 keys a second for 10 minutes against the back-off.

Prints medians (and the 90th percentile) over ``--repeats`` runs; the machine is shared and
noisy, so compare medians only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p90 {p90 * 1000:.2f} ms (n={len(ordered)})"


def flood() -> dict:
    from core.errors import InputError
    from core.jobs.registry import JobRegistry, max_active_jobs
    from ui.jobs_panel import SIDEBAR_LINES

    gate = threading.Event()

    def held(ctx):
        while not gate.is_set():
            ctx.check()
            gate.wait(0.01)

    reg = JobRegistry(slots=1, record_dir=Path(tempfile.mkdtemp()), build=lambda kind, config: held)
    accepted, refused, start = 0, [], time.perf_counter()
    for _ in range(300):
        t0 = time.perf_counter()
        try:
            reg.submit("classifier", "flood", {}, owner="flood0001")
            accepted += 1
        except InputError:
            refused.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    calm = reg.submit("classifier", "calm", {}, owner="calm00001")
    lines = min(len(reg.active()), SIDEBAR_LINES)
    gate.set()
    for job in reg.jobs():
        job.join(5)
    return {"accepted": accepted, "limit": max_active_jobs(), "refused": len(refused), "refusal": _ms(refused),
            "all_300_s": round(total, 3), "classmate_accepted": calm is not None, "sidebar_lines": lines}


def retention() -> dict:
    from core.jobs import records

    os.environ["NNLAB_JOBS_KEEP_DAYS"] = "0"
    classmates = [(1000.0 + i, f"class{i}", f"student{i % 29}") for i in range(100)]
    flooded = [(5000.0 + i, f"flood{i}", "flood0001") for i in range(300)]
    dropped = set(records.expired(classmates + flooded))
    return {"classmates_kept": sum(1 for _, j, _ in classmates if j not in dropped), "classmates": len(classmates),
            "flood_kept": sum(1 for _, j, _ in flooded if j not in dropped), "flood": len(flooded)}


def _fill_drawings(folder: Path, n: int) -> None:
    """``n`` drawings of 29 classmates, written directly (the quota is per student)."""
    from core.storage import owned

    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    os.environ["NNLAB_MAX_DRAWINGS"] = str(n)
    for i in range(n):
        owned.write(digit, folder, f"digit-{i % 10}", f"class{i % 29:04d}")
    os.environ.pop("NNLAB_MAX_DRAWINGS")


def drawings_figures(n_class: int, repeats: int) -> dict:
    from core.errors import InputError
    from core.storage import drawings, owned

    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    out: dict = {}
    folder = Path(tempfile.mkdtemp()) / "drawings"
    folder.mkdir()
    saves, saved, start = [], 0, time.perf_counter()
    while True:
        t0 = time.perf_counter()
        try:
            drawings.save_drawing(digit, 7, folder, owner="flood0001")
        except InputError:
            break
        saves.append(time.perf_counter() - t0)
        saved += 1
    out["quota"] = {"saved_until_refused": saved, "limit": owned.max_files(),
                    "seconds": round(time.perf_counter() - start, 2),
                    "first_50_saves": _ms(saves[:50]), "last_50_saves": _ms(saves[-50:])}
    _fill_drawings(folder, n_class)
    big_saves, cold, warm, manager = [], [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        path = drawings.save_drawing(digit, 3, folder, owner="calm00001")
        big_saves.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        drawings.count_drawings("calm00001", folder), drawings.count_drawings(None, folder)
        cold.append(time.perf_counter() - t0)
        time.sleep(owned.SETTLED_NS / 1e9 + 0.1)  # the folder settles: its version is trusted again
        drawings.count_drawings(None, folder)
        for _ in range(20):
            t0 = time.perf_counter()
            drawings.count_drawings("calm00001", folder), drawings.count_drawings(None, folder)
            warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        drawings.list_drawings(folder, owner="flood0001", limit=60)
        manager.append(time.perf_counter() - t0)
        drawings.delete_drawing(path, folder, owner="calm00001")
    total = drawings.count_drawings(None, folder)
    out["at_size"] = {"drawings_in_folder": total, "save": _ms(big_saves),
                      "train_tab_counts_cold": _ms(cold), "train_tab_counts_warm": _ms(warm),
                      "manager_60_newest": _ms(manager)}
    return out


class _FakeModel:
    def save(self, path):
        Path(path).write_bytes(b"PK" + os.urandom(64))


def models_figures(n: int, repeats: int) -> dict:
    from core.storage import store

    folder = Path(tempfile.mkdtemp()) / "models"
    os.environ["NNLAB_MODELS_DIR"] = str(folder)
    predictions = [int(i % 10) for i in range(10_000)]  # what a classifier card carries: ~150 KB of JSON
    for i in range(n):
        store.save_model(_FakeModel(), {"kind": "cnn", "test": {"predictions": predictions, "labels": predictions}},
                         f"cnn-{i:04d}", folder, owner=f"class{i % 29:04d}")
    card_kb = (folder / "cnn-0000.json").stat().st_size / 1024
    cold, warm, after_new = [], [], []
    for r in range(repeats):
        store._listings.clear()
        t0 = time.perf_counter()
        found = store.list_models()
        cold.append(time.perf_counter() - t0)
        time.sleep(store.SETTLED_NS / 1e9 + 0.1)
        for _ in range(10):
            t0 = time.perf_counter()
            store.list_models()
            warm.append(time.perf_counter() - t0)
        store.save_model(_FakeModel(), {"kind": "cnn"}, f"cnn-new-{r}", folder, owner="calm00001")
        t0 = time.perf_counter()
        store.list_models()
        after_new.append(time.perf_counter() - t0)
    return {"models": len([e for e in found if not e.shipped]), "card_kb": round(card_kb, 1),
            "list_models_cold": _ms(cold), "list_models_warm": _ms(warm), "after_one_new_model": _ms(after_new)}


def teacher_guesses() -> dict:
    from ui.jobs_panel import KeyGuesses

    guesses, now, taken = KeyGuesses(), 0.0, 0
    while now < 600:  # 8 keys a second for ten minutes
        if guesses.wait_s("kid", now) == 0:
            guesses.wrong("kid", now)
            taken += 1
        now += 0.125
    return {"typed": 4800, "compared": taken}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=12_000)
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ["NNLAB_HOME"] = tempfile.mkdtemp(prefix="nnlab-class-")
    import logging

    logging.getLogger("nnlab.teacher").setLevel(logging.ERROR)  # 4,800 warnings are not the point here
    figures = {"flood": flood(), "retention": retention(), "drawings": drawings_figures(args.drawings, args.repeats),
               "models": models_figures(args.models, args.repeats), "teacher_key": teacher_guesses(),
               "command": "python -m bench.class_safety " + " ".join(argv if argv is not None else sys.argv[1:])}
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
