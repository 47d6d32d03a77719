"""What a ten times larger discriminator learning rate does to the DCGAN's losses (the lesson's
try-list): the page's improved model and settings, the first epochs, per-batch D loss.

    python -m bench.gan_lr_ratio --epochs 3 --ratios 1 10 --json out.json

Per run and epoch: the mean D loss, the share of batches whose D loss lies in the course's
0.5–0.8 band, and D's mean accuracy on reals and on fakes.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from core.jobs.context import PrintContext
from lab.gan import model_dcgan as gan_model
from lab.gan.training import loop
from lab.gan.training.state import GanConfig

BAND = (0.5, 0.8)


class Recorder(PrintContext):
    """Keeps every batch's metrics, per epoch."""

    def __init__(self):
        super().__init__(every=10**9)
        self.epochs: list[list[dict[str, float]]] = []

    def start_epoch(self, epoch: int, epochs: int) -> None:
        self.epochs.append([])

    def log_batch(self, batch: int, batches: int, metrics: dict[str, float] | None = None) -> None:
        self.epochs[-1].append(dict(metrics or {}))

    def log_epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        print(f"epoch {epoch}: mean D loss {metrics['d_loss']:.3f}", flush=True)  # progress on long runs


def run(ratio: float, epochs: int, seed: int) -> list[dict[str, float]]:
    """Train the page's improved DCGAN with ``lr_d = ratio · lr_g``; one summary per epoch."""
    d = gan_model.DEFAULTS["improved"]
    config = GanConfig("improved", epochs, d["batch_size"], d["lr_g"], d["lr_g"] * ratio, d["beta_1"], seed=seed)
    ctx = Recorder()
    with tempfile.TemporaryDirectory() as tmp:
        loop.train(config, Path(tmp), ctx, resume=False)
    rows = []
    for batches in ctx.epochs:
        d_loss = np.array([b["d_loss"] for b in batches])
        rows.append({"mean_d_loss": round(float(d_loss.mean()), 3),
                     "in_band": round(float(np.mean((d_loss >= BAND[0]) & (d_loss <= BAND[1]))), 3),
                     "acc_real": round(float(np.mean([b["d_acc_real"] for b in batches])), 3),
                     "acc_fake": round(float(np.mean([b["d_acc_fake"] for b in batches])), 3),
                     "batches": len(batches)})
    return rows


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--ratios", type=float, nargs="+", default=[1.0, 10.0])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path)
    args = p.parse_args()
    from core.jobs.keras_setup import prepare_worker

    prepare_worker(args.seed)
    out = {str(r): run(r, args.epochs, args.seed) for r in args.ratios}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
