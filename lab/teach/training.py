"""The teach lesson's background job (kind ``teach``): train the student's classes on their examples.

The job reads the owner's project from disk (``lab.teach.storage``: a queue worker sees the same
``$NNLAB_HOME``), checks it (2–10 classes, ``MIN_EXAMPLES`` each), trains the transfer lesson's
best way for few examples on them (``lab.teach.model``) and saves the
whole model as ``teach-<owner>`` (kind ``teach``, replaced by the next training) with a card
that names the classes. No Streamlit here; Keras inside the functions.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from core.backends import kinds
from core.errors import check_range
from core.jobs.context import JobContext
from lab.teach import maths

KIND = "teach"


@dataclass(frozen=True)
class TeachConfig:
    """Whose project, how long to train the head, batch size, seed."""

    owner: str
    epochs: int = 15  # the transfer lesson's default: fine-tuning's head 7, then the last block 8
    batch_size: int = 16
    seed: int = 0

    def validate(self) -> TeachConfig:
        """The config if every value is in range (else ``InputError``)."""
        if not isinstance(self.owner, str) or not self.owner:
            raise ValueError("a teach job needs its owner")
        check_range(self.epochs, "epochs", 1, 300)
        check_range(self.batch_size, "batch_size", 1, 512)
        check_range(self.seed, "seed", 0, 2 ** 31 - 1)
        return self


def model_name(owner: str) -> str:
    from core.storage import owned

    return f"teach-{owned.file_owner(owner)}"


def fit(ctx: JobContext, config: TeachConfig, x: np.ndarray, y: np.ndarray, n_classes: int, way: str | None = None):
    """Build and train the model on ``uint8 (N, 28, 28)`` examples with labels ``(N,)`` (``way``:
    the lesson's own unless the benchmark asks for another): the model and
    ``{"history", "train_accuracy", "seconds"}``."""
    from core.jobs.keras_setup import ProgressCallback
    from lab.teach import model as tm

    start = time.perf_counter()
    way = way or tm.WAY
    model = tm.build(n_classes, way=way)
    progress = ProgressCallback(ctx, config.epochs, -(-len(x) // config.batch_size))
    history = tm.fit(model, x, y, config.epochs, config.batch_size, config.seed, progress, way)
    acc = maths.accuracy(tm.probabilities(model, x), y)
    return model, {"history": history, "train_accuracy": round(acc, 4),
                   "seconds": round(time.perf_counter() - start, 2)}


def train(ctx: JobContext, config: TeachConfig) -> dict[str, Any]:
    """The job: the owner's examples → a saved model; its name and numbers as the job's result."""
    from core import device
    from core.jobs.keras_setup import prepare_worker
    from core.storage import store
    from lab.teach import bundle, storage
    from lab.teach import model as tm

    config = config.validate()
    prepare_worker(config.seed)
    ctx.say("loading_data")
    project = storage.load(config.owner)
    maths.check_trainable(project.names, project.counts())
    x, y = project.training_data()
    ctx.say("training_model", model=", ".join(project.names))
    model, result = fit(ctx, config, x, y, len(project.classes))
    card = bundle.card(project.names, project.counts(), {**result, "way": tm.WAY, "config": asdict(config)},
                       device.describe())
    entry = store.save_model(model, card, model_name(config.owner), owner=config.owner)
    ctx.set_extra("teach", {"classes": project.names, "history": result["history"]})
    ctx.set_result(model_name=entry.name, classes=project.names, train_accuracy=result["train_accuracy"],
                   seconds=result["seconds"], examples=int(len(x)))
    return result


def teach_job(config: TeachConfig):
    """``fn(ctx)`` for the job registry."""
    config = config.validate()
    return lambda ctx: train(ctx, config)


def job_from_config(config: dict[str, Any]):
    """What a queue worker calls: the job function from the page's JSON config."""
    check_config(config)
    return teach_job(TeachConfig(**config))


def check_config(config: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless ``config`` makes a valid job (no Keras needed)."""
    kinds.settings(TeachConfig, config, KIND)
