"""The ``gan`` job kind: what a worker builds from a page's JSON-able config.

``core.backends.kinds`` finds this module through ``LESSON_KINDS`` (core never imports lab).
The config is ``asdict(GanConfig)`` plus ``run_dir`` (the run folder) and ``resume``: a run
resumes from its folder's checkpoint when there is one (``resume`` defaults to true, as a new
run's folder is empty), so a job cut off by a dead worker is resumed by submitting it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from core.backends import kinds
from core.jobs.context import JobContext

KIND = "gan"


def _split(config: dict[str, Any]) -> tuple[dict[str, Any], str, bool]:
    """``config`` as (GanConfig fields, run folder, resume); ``ValueError`` without a run folder."""
    settings = dict(config)
    run_dir = settings.pop("run_dir", None)
    resume = bool(settings.pop("resume", True))
    if not run_dir:
        raise ValueError("a GAN job needs its run folder ('run_dir') in the config")
    return settings, str(run_dir), resume


def check_config(config: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless ``config`` builds a valid ``GanConfig`` with a run folder."""
    from lab.gan.training.state import GanConfig

    settings, _, _ = _split(config)
    kinds.settings(GanConfig, settings, KIND)


def job_from_config(config: dict[str, Any]) -> Callable[[JobContext], Any]:
    """The job function for a worker: train the run in ``run_dir``, then export its generator."""
    from lab.gan.training import export
    from lab.gan.training.state import GanConfig

    check_config(config)
    settings, run_dir, resume = _split(config)
    return export.job(GanConfig(**settings).validate(), Path(run_dir), resume=resume)
