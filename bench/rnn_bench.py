"""Recurrent network figures, measured (not a test: numbers for docs/BENCHMARKS.md).

    nice -n 10 python -m bench.rnn_bench                  # everything
    nice -n 10 python -m bench.rnn_bench --only adding    # one part: shipped|readers|adding

1. shipped: every shipped row reader (``assets/models/rnn-*``) on the official 10,000 test
   images, with the training time its card records.
2. readers: SimpleRNN, LSTM and GRU row readers trained with one recipe (64 units, the
   bundled 10,000 images, ``--epochs``) through ``lab.recurrent.training.train``: test accuracy
   and training time on this machine.
3. adding: for each length, the three cells trained by ``lab.recurrent.training.adding_race``
   (4,000 sequences, ``--adding-epochs`` epochs, 32 units, Adam 0.01); a cell *solves* a length when its
   error on 500 fresh sequences ends under ``rnn.SOLVED_MSE``. The longest solved length per
   cell is reported (a small budget: longer training solves more).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class _Quiet:
    """A job context that records extras and prints nothing."""

    cancelled = False

    def __init__(self):
        self.extras = {}

    def __getattr__(self, name):
        return lambda *a, **k: None

    def set_extra(self, key, value):
        self.extras[key] = value


def bench_shipped() -> dict:
    from core.storage import mnist, store
    from lab.recurrent import model as rnn

    _, (x, y) = mnist.load_mnist(prefer_full=False)
    out = {}
    for entry in store.list_models(kind="rnn", include_user=False):
        model = store.load_cached(entry.path)
        acc = float((rnn.predict(model, x.astype(np.float32) / 255.0).argmax(1) == y).mean())
        out[entry.name] = {"test_accuracy": round(acc, 4), "card_accuracy": entry.card.get("test_accuracy"),
                           "params": entry.card.get("params"), "epochs": entry.card.get("epochs_done"),
                           "train_seconds": entry.card.get("train_seconds"), "command": entry.card.get("command")}
    return out


def bench_readers(epochs: int) -> dict:
    from lab.recurrent import model as rnn
    from lab.recurrent import training as rt

    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for cell in rnn.CELLS:
            entry = rt.train(_Quiet(), rt.ReaderConfig(cell=cell, units=64, epochs=epochs, name=cell), folder)
            out[cell] = {"test_accuracy": round(entry.card["test_accuracy"], 4), "epochs": epochs,
                         "train_seconds": entry.card["train_seconds"], "params": entry.card["params"]}
            print(cell, out[cell], flush=True)
    return out


def bench_adding(lengths: list[int], epochs: int) -> dict:
    from lab.recurrent import model as rnn
    from lab.recurrent import training as rt

    table, longest = {}, {cell: 0 for cell in rnn.CELLS}
    for length in lengths:
        start = time.perf_counter()
        curves = rt.adding_race(_Quiet(), rt.AddingConfig(length=length, epochs=epochs, n_train=4000))
        table[length] = {cell: round(v[-1], 4) for cell, v in curves.items()}
        for cell, mse in table[length].items():
            if mse < rnn.SOLVED_MSE:
                longest[cell] = max(longest[cell], length)
        print(length, table[length], f"{time.perf_counter() - start:.0f}s", flush=True)
    return {"final_mse": table, "longest_solved": longest, "epochs": epochs, "n_train": 4000,
            "solved_below": rnn.SOLVED_MSE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["shipped", "readers", "adding"])
    parser.add_argument("--epochs", type=int, default=10, help="row-reader epochs per cell")
    parser.add_argument("--adding-epochs", type=int, default=8)  # the page's default
    parser.add_argument("--lengths", default="10,25,50,100,200")
    args = parser.parse_args()
    from core import device

    results = {"device": device.describe()}
    if args.only in (None, "shipped"):
        results["shipped"] = bench_shipped()
    if args.only in (None, "readers"):
        results["readers"] = bench_readers(args.epochs)
    if args.only in (None, "adding"):
        results["adding"] = bench_adding([int(v) for v in args.lengths.split(",")], args.adding_epochs)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
