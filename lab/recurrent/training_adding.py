"""The recurrent lesson's second job kind, ``rnn_adding``: the three cells race on the adding problem.

The race itself (``AddingConfig``, ``adding_race``) is in ``lab.recurrent.training``; this module
is what ``core/backends/kinds.py`` finds by name for this kind (one module per kind there).
No Streamlit here; Keras comes in only when a job is built.
"""

from __future__ import annotations

from typing import Any, Callable

from core.backends import kinds
from core.jobs.context import JobContext

KIND = "rnn_adding"  # the job kind (core/backends/kinds.py)


def job_from_config(config: dict[str, Any]) -> Callable[[JobContext], Any]:
    """What a queue worker calls: the job function from ``asdict(AddingConfig)``."""
    from lab.recurrent import training

    check_config(config)
    return training.adding_job(training.AddingConfig(**config))


def check_config(config: dict[str, Any]) -> None:
    """Raise ``ValueError`` (or ``InputError``) unless ``config`` makes a valid race."""
    from lab.recurrent import training

    kinds.settings(training.AddingConfig, config, KIND)
