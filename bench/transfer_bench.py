"""Transfer-learning figures, measured (not a test: numbers for docs/BENCHMARKS.md).

    nice -n 10 python -m bench.transfer_bench

With 10 drawings per symbol from the bundled starter set (the other 30 of each symbol held
out, 150 images), the three ways of ``core.transfer.train_three`` (same images, epochs,
batch size 16) for a few epoch budgets and seeds: held-out accuracy and training time.
A last line trains from scratch with feature extraction's learning rate (0.01), to check
that scratch does not lose only for its learning rate. The symbols are the project's own
generated drawings (``core.symbols``), not a class's: real drawings vary more.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class _Quiet:
    cancelled = False

    def __getattr__(self, name):
        return lambda *a, **k: None


def run(per_symbol: int, epochs: int, seeds: list[int]) -> dict:
    from core import symbols
    from core import transfer as tr

    x, y = symbols.starter_set()
    runs = {way: [] for way in tr.WAYS}
    for seed in seeds:
        d = tr.split(x, y, per_symbol, seed)
        found = tr.train_three(_Quiet(), tr.TransferConfig(per_symbol=per_symbol, epochs=epochs, seed=seed), d,
                               save=False)
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
    args = parser.parse_args()
    from core import device
    from core import transfer as tr

    seeds = [int(s) for s in args.seeds.split(",")]
    results = {"device": device.describe(), "per_symbol": args.per_symbol, "seeds": seeds, "budgets": {}}
    for epochs in (int(e) for e in args.epochs.split(",")):
        results["budgets"][epochs] = run(args.per_symbol, epochs, seeds)
        print(epochs, json.dumps(results["budgets"][epochs]), flush=True)
    tr.RATES["scratch"] = tr.RATES["features"]
    results["scratch_at_0.01_5_epochs"] = run(args.per_symbol, 5, seeds)["scratch"]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
