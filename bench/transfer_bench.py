"""Transfer-learning figures, measured (not a test: numbers for docs/BENCHMARKS.md).

    nice -n 10 python -m bench.transfer_bench

With 10 drawings per symbol from the bundled starter set (the other 30 of each symbol held
out, 150 images), the three ways of ``core.training.transfer.train_three`` (same images, epochs,
batch size 16) for a few epoch budgets and seeds: held-out accuracy and training time.
A last line trains from scratch with feature extraction's learning rate (0.01), to check
that scratch does not lose only for its learning rate. The symbols are the project's own
generated drawings (``core.storage.symbols``), not a class's: real drawings vary more.

``--kept DIR`` measures on a class's own drawings instead, alone (no starter images): the
PNG files the page's "keep" button writes (in ``$NNLAB_HOME/symbols``); every symbol
needs more than ``--per-symbol`` drawings, the rest are held out.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class _Quiet:
    cancelled = False

    def __getattr__(self, name):
        return lambda *a, **k: None


def run(per_symbol: int, epochs: int, seeds: list[int], kept: Path | None = None) -> dict:
    from core.models import transfer as tr
    from core.storage import symbols
    from core.training import transfer as training

    x, y = symbols.starter_set() if kept is None else symbols.load_symbols(kept)
    runs = {way: [] for way in tr.WAYS}
    for seed in seeds:
        d = training.split(x, y, per_symbol, seed)
        config = training.TransferConfig(per_symbol=per_symbol, epochs=epochs, seed=seed)
        found = training.train_three(_Quiet(), config, d, save=False)
        for way, r in found.items():
            runs[way].append((r["held_out_accuracy"], r["seconds"]))
    return {way: {"held_out_accuracy_mean": round(statistics.mean(a for a, _ in v), 4),
                  "held_out_accuracy_runs": [a for a, _ in v],
                  "seconds_mean": round(statistics.mean(s for _, s in v), 2)} for way, v in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-symbol", type=int, default=10)
    parser.add_argument("--epochs", default="3,5,10")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--kept", type=Path, default=None,
                        help="folder of the class's kept drawings (the page keeps them in $NNLAB_HOME/symbols)")
    args = parser.parse_args()
    from core import device
    from core.models import transfer as tr

    seeds = [int(s) for s in args.seeds.split(",")]
    results = {"device": device.describe(), "per_symbol": args.per_symbol, "seeds": seeds, "budgets": {},
               "data": "bundled starter set" if args.kept is None else f"kept drawings in {args.kept}"}
    for epochs in (int(e) for e in args.epochs.split(",")):
        results["budgets"][epochs] = run(args.per_symbol, epochs, seeds, args.kept)
        print(epochs, json.dumps(results["budgets"][epochs]), flush=True)
    tr.RATES["scratch"] = tr.RATES["features"]
    results["scratch_at_0.01_5_epochs"] = run(args.per_symbol, 5, seeds, args.kept)["scratch"]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
