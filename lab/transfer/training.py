"""The transfer lesson's background job: the kind ``transfer`` (three ways trained on the symbols).

The training itself (``TransferConfig``, ``train_three``) stays in ``core.training.transfer``:
the teach lesson trains its own classes with the same loop, and one lesson never imports
another's folder. This module is what ``core/backends/kinds.py`` finds by name for a worker.

No Streamlit here; Keras comes in with ``core.training.transfer``, imported inside the
functions so that importing this module stays light.
"""

from __future__ import annotations

from typing import Any, Callable

from core.backends import kinds
from core.jobs.context import JobContext

KIND = "transfer"  # the job kind (core/backends/kinds.py)


def job_from_config(config: dict[str, Any]) -> Callable[[JobContext], Any]:
    """What a queue worker calls: the job function from ``asdict(TransferConfig)``."""
    from core.training import transfer

    check_config(config)
    return transfer.transfer_job(transfer.TransferConfig(**config))


def check_config(config: dict[str, Any]) -> None:
    """Raise ``ValueError`` (or ``InputError``) unless ``config`` makes a valid job."""
    from core.training import transfer

    kinds.settings(transfer.TransferConfig, config, KIND)
