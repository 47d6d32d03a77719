"""The training command: a thin shell over the loop, the run folder and the export.

A quick run (the shipped generator's card lists the exact commands that made it, each
resuming the previous one's checkpoint with a stronger class term)::

    python -m lab.gan.training --variant improved --epochs 40 --batch-size 64 \\
        --label-smoothing 0.1 --ema 0.999 --aux-weight 0.5 --run-dir /tmp/gan-run --out assets/models
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from core.jobs.context import PrintContext
from lab.gan import model_dcgan as gan_model
from lab.gan.training import export, loop, runs
from lab.gan.training.state import GanConfig


def parser() -> argparse.ArgumentParser:
    """The command's options."""
    p = argparse.ArgumentParser(prog="python -m lab.gan.training",
                                description="Train a DCGAN on MNIST (course loop)")
    p.add_argument("--variant", choices=gan_model.VARIANTS, default="improved")
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr-g", type=float)
    p.add_argument("--lr-d", type=float)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--ema", type=float, default=0.0, help="G weight averaging decay, e.g. 0.999")
    p.add_argument("--aux-weight", type=float, default=0.0,
                   help="class term: D also names the digits, G is rewarded for nameable ones")
    p.add_argument("--aux-unsure", type=float, default=0.0,
                   help="with the class term: D also learns to be unsure of fakes' digits")
    p.add_argument("--conditional", action="store_true",
                   help="class-conditional G and D (digits on demand); --aux-weight: AC-GAN class loss")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int)
    p.add_argument("--run-dir", type=Path, help="checkpoint + grids (resumes if present)")
    p.add_argument("--out", type=Path, help="export the generator to this folder")
    p.add_argument("--name", help="exported model name (default gan-VARIANT)")
    p.add_argument("--export-only", action="store_true", help="export the checkpoint, no training")
    return p


def config_from(args: argparse.Namespace) -> GanConfig:
    """The run's config: the options, the variant's defaults for what is not given."""
    d = gan_model.DEFAULTS[args.variant]
    return GanConfig(args.variant, args.epochs, args.batch_size or d["batch_size"],
                     args.lr_g or d["lr_g"], args.lr_d or d["lr_d"], d["beta_1"],
                     args.label_smoothing, args.seed, args.limit, args.ema, args.aux_weight,
                     args.aux_unsure, args.conditional)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from core.jobs.keras_setup import prepare_worker

    config = config_from(args)
    run_dir = args.run_dir or Path("/tmp") / f"gan-run-{args.variant}"
    run_dir.mkdir(parents=True, exist_ok=True)
    command = "python -m lab.gan.training " + " ".join(sys.argv[1:] if argv is None else argv)
    prepare_worker(config.seed)
    if args.export_only:
        state = runs.load_checkpoint(run_dir / runs.CHECKPOINT)
    else:
        runs.log_command(run_dir, command)
        state = loop.train(config, run_dir, PrintContext(), resume=True)
    if args.out:
        from core.storage.mnist import data_source

        commands = runs.commands(run_dir) or [command]
        if args.export_only:
            commands.append(f"{time.strftime('%Y-%m-%d %H:%M:%S')} exported: {command}")
        src = data_source()
        entry = export.export_generator(state, args.name or ("gan-conditional" if config.conditional else f"gan-{args.variant}"), args.out, {
            "training_commands": commands, "data": f"{src.name} MNIST, {src.n_train} training images"})
        print(f"saved {entry.path}")
    return 0
