"""A trained GAN into the model store, and the page's job (train, then export).

The exported model is the generator wrapped to output [0, 1] (``gan_model.unit_output``), with
a card (variant, config, epochs, time, device, final metrics). Names made for the page's
runs are unique (``unique_name``): a resumed run exported again, or two exports within
one second, never overwrite an earlier model.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from core.jobs.context import JobContext
from lab.gan import model_dcgan as gan_model
from lab.gan.training import loop
from lab.gan.training.state import GanConfig, GanState, drawing_generator


def ctx_owner(ctx: Any) -> str:
    """The owner id of the job behind ``ctx`` (``""`` on the command line)."""
    return str(getattr(ctx, "owner", "") or "")


def unique_name(base: str, directory: Path) -> str:
    """``base``, or ``base-2``, ``base-3``... : the first with no model or card in ``directory``."""
    from core.storage.store import safe_name

    base = safe_name(base)
    name, n = base, 1
    while (directory / f"{name}.keras").exists() or (directory / f"{name}.json").exists():
        n += 1
        name = f"{base}-{n}"
    return name


def export_generator(state: GanState, name: str, directory: Path | None = None,
                     extra_card: dict[str, Any] | None = None, unique: bool = False, owner: str = ""):
    """Save the generator (wrapped to output [0, 1]) with its card via ``core.storage.store``.

    With ``unique=True`` an existing model of that name is kept and the new one gets a
    suffix (``store.save_model(unique=True)``: safe between threads and worker processes);
    otherwise it is replaced (the training command's ``--name``). ``owner``: on the card.
    An averaged (EMA) generator is saved with BatchNormalization statistics re-measured
    on its own weights (``state.recalibrate_batchnorm``). Returns the ``store.ModelEntry``.
    """
    from core import device
    from core.storage import store
    from lab.gan import model_conditional as gan_conditional

    if state.config.conditional:  # [z, y] -> image, listed apart from the (N, 100) generators
        model, kind = gan_conditional.unit_output(drawing_generator(state)), gan_conditional.KIND
    else:
        model, kind = gan_model.unit_output(drawing_generator(state), state.config.variant), "gan-generator"
    card = {"kind": kind, "variant": state.config.variant, "latent_dim": gan_model.LATENT_DIM,
            "config": asdict(state.config), "epochs": state.epoch,
            "batchnorm_recalibrated": state.ema_generator is not None,
            "train_seconds": round(state.seconds, 1), "device": device.describe(),
            "final_metrics": {k: v[-1] for k, v in state.history.items() if v},
            **(extra_card or {})}
    directory = Path(directory) if directory else store.user_models_dir()
    return store.save_model(model, card, name, directory, unique=unique, owner=owner)


def stopped_card(state: GanState) -> dict[str, Any]:
    """Where a stopped run stopped, for its card and its job: the epoch it was in (the last
    one finished when it stopped between epochs), the batches done in it, and the plan."""
    return {"stopped_early": True, "stopped_at_epoch": state.epoch + (1 if state.batch else 0),
            "stopped_at_batch": state.batch, "epochs_planned": state.config.epochs}


def job(config: GanConfig, run_dir: Path, resume: bool = False, images: np.ndarray | None = None,
        labels: np.ndarray | None = None):
    """A job function for ``JobRegistry.submit``: trains, then saves to the user's models
    as ``gan-VARIANT-RUN`` (``-2``, ``-3``... when a resumed run exports again).

    A stopped run that trained at least one batch is saved too (its card says where it stopped,
    ``stopped_card``), so it can be explored at once; its checkpoint still resumes it.
    ``images`` (``uint8 (N, 28, 28)``) and ``labels`` replace the MNIST training set (tests)."""
    from core.jobs.keras_setup import prepare_worker

    def fn(ctx: JobContext) -> None:
        prepare_worker(config.seed)
        name = f"gan-{config.variant}-{Path(run_dir).name}"
        try:
            state = loop.train(config, run_dir, ctx, resume=resume, images=images, labels=labels)
        except loop.TrainingStopped as stop:
            if stop.progressed:  # stopped before this run's first batch: nothing new to save
                card = stopped_card(stop.state)
                entry = export_generator(stop.state, name, extra_card=card, unique=True, owner=ctx_owner(ctx))
                ctx.set_result(model=str(entry.path), model_name=entry.name, **card)
            raise
        entry = export_generator(state, name, extra_card={"epochs_planned": config.epochs}, unique=True,
                                 owner=ctx_owner(ctx))
        ctx.set_result(model=str(entry.path), model_name=entry.name)

    return fn
