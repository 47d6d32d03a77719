"""The lab's training jobs by name: both job backends build a job's function here.

A page submits a job's *kind* and its JSON-able config (``registry.submit(kind, title,
config, owner=...)``), never a function: the thread registry (``JobRegistry(build=build)``)
and a queue worker in another process both call ``build(kind, config)``, which rebuilds the
typed config and returns the training function. ``check(kind, config)`` validates on the lab
side, so a bad config is refused at submit time, before anything is queued.

| kind         | config (the page's ``submit`` argument)        | runs                                       |
|--------------|------------------------------------------------|--------------------------------------------|
| `classifier` | ``asdict(ClassifierConfig)``                   | ``core.training.classifier.train``         |
| `gan`        | ``asdict(GanConfig)`` + ``run_dir`` [+ resume]  | ``lab.gan.training.jobs.job_from_config``  |
| `xor_mlp`    | ``asdict(XorConfig)``                          | ``lab.perceptron.training.xor_job``        |
| `playground` | ``PlaygroundConfig.as_job_config(...)``        | ``core.training.playground.job_from_config`` |
| `rnn_reader` | ``asdict(ReaderConfig)``                       | ``lab.recurrent.training.job_from_config`` |
| `rnn_adding` | ``asdict(AddingConfig)``                       | ``lab.recurrent.training_adding.job_from_config`` |
| `transfer`   | ``asdict(TransferConfig)``                     | ``lab.transfer.training.job_from_config``  |
| `toolbox_bn` | ``asdict(ToolboxConfig)``                      | ``lab.toolbox.training.toolbox_job``        |
| `teach`      | ``asdict(TeachConfig)``                        | ``lab.teach.training.train``                |

A lesson folder's kind (``LESSON_KINDS``) is found by its module's name when a worker needs it,
``core`` never imports ``lab``: the module offers ``job_from_config`` and ``check_config``.

A GAN job resumes from the run folder's checkpoint when there is one (``resume``
defaults to true, as a new run's folder is empty): a job cut off by a dead worker is
resumed by submitting its config again.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from core.jobs.context import JobContext


class UnknownJobKind(ValueError):
    """A job kind that no worker can run (it names the kinds that exist)."""


def _classifier(config: dict[str, Any]) -> Callable[[JobContext], Any]:
    from core.training import classifier as ct

    cfg = ct.ClassifierConfig(**config).validate()
    return lambda ctx: ct.train(ctx, cfg)


def _playground(config: dict[str, Any]) -> Callable[[JobContext], Any]:
    from core.training import playground

    return playground.job_from_config(config)


# kind -> module of a lesson folder (lab/<lesson>/training.py) with job_from_config, check_config
LESSON_KINDS = {"gan": "lab.gan.training.jobs",
                "toolbox_bn": "lab.toolbox.training", "xor_mlp": "lab.perceptron.training", "teach": "lab.teach.training",
                "transfer": "lab.transfer.training",
                "rnn_reader": "lab.recurrent.training", "rnn_adding": "lab.recurrent.training_adding"}


def settings(cls: type, config: dict[str, Any], kind: str) -> Any:
    """``cls(**config)`` validated: the typed config of a ``kind`` job. A missing or unknown
    setting is a ``ValueError`` (as a bad value is), never a ``TypeError``."""
    try:
        typed = cls(**config)
    except TypeError as exc:  # a dataclass built with a missing or unknown field
        raise ValueError(f"bad settings for a {kind} job: {exc}") from exc
    typed.validate()
    return typed


def _lesson(kind: str) -> Callable[[dict[str, Any]], Callable[[JobContext], Any]]:
    return lambda config: importlib.import_module(LESSON_KINDS[kind]).job_from_config(config)


KINDS: dict[str, Callable[[dict[str, Any]], Callable[[JobContext], Any]]] = {
    "classifier": _classifier, "playground": _playground,
    **{kind: _lesson(kind) for kind in LESSON_KINDS}}


def build(kind: str, config: dict[str, Any]) -> Callable[[JobContext], Any]:
    """The job function ``fn(ctx)`` for ``kind`` and its JSON-able ``config``.

    Raises ``UnknownJobKind`` or the config's own ``ValueError`` (a missing or unknown
    setting is a ``ValueError`` too)."""
    if kind not in KINDS:
        raise UnknownJobKind(f"unknown job kind {kind!r}; a worker runs {sorted(KINDS)}")
    try:
        return KINDS[kind](config)
    except TypeError as exc:  # a dataclass built with a missing or unknown field
        raise ValueError(f"bad settings for a {kind} job: {exc}") from exc


def _checked_by_lesson(kind: str, config: dict[str, Any]) -> bool:
    """Whether a lesson folder's kind was checked here (its own check raises ``ValueError``);
    ``UnknownJobKind`` for a kind that does not exist."""
    if kind not in KINDS:
        raise UnknownJobKind(f"unknown job kind {kind!r}; a worker runs {sorted(KINDS)}")
    if kind in LESSON_KINDS:
        importlib.import_module(LESSON_KINDS[kind]).check_config(dict(config))
        return True
    return False


def check(kind: str, config: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless a worker can run ``kind`` with ``config``: the typed
    config is built and validated here, without building the model or the job."""
    if _checked_by_lesson(kind, config):
        return
    settings = dict(config)
    try:
        if kind == "classifier":
            from core.training.classifier import ClassifierConfig

            ClassifierConfig(**settings).validate()
        elif kind == "playground":  # numpy only: the page must not need Keras to check
            from core.models.playground_config import PlaygroundConfig

            settings.pop("own_points", None), settings.pop("start", None)
            PlaygroundConfig.from_dict(settings).validate()
    except TypeError as exc:
        raise ValueError(f"bad settings for a {kind} job: {exc}") from exc


def run(kind: str, ctx: JobContext, config: dict[str, Any]) -> Any:
    """Run one job of ``kind`` with ``config``, reporting through ``ctx``."""
    return build(kind, config)(ctx)
