"""What a training function may call to report progress: the ``JobContext`` protocol.

Every training function of the lab (``fn(ctx)``, built from its kind by
``core.backends.kinds.build`` and run by either job backend, or run from the command line)
talks to the outside world only through these few methods. Two implementations exist:

- ``core.jobs.recorder.Recorder``: the one progress recorder both backends use (threads keep
  its record in memory and in a file, the Redis queue's workers flush it to Redis);
- ``PrintContext`` below: prints progress lines, for the training commands.

No UI here and no TensorFlow: a worker never calls ``st.*``.
"""

from __future__ import annotations

import time
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class JobContext(Protocol):
    """The handle a training function gets. Metrics are plain ``float`` values."""

    @property
    def cancelled(self) -> bool:
        """Whether a stop was requested (poll it between batches)."""
        ...

    def check(self) -> None:
        """Raise ``core.jobs.progress.JobCancelled`` if a stop was requested."""
        ...

    def update(self, **fields: Any) -> None:
        """Set fields of the progress record, e.g. ``message="loading data"``."""
        ...

    def say(self, code: str, **values: Any) -> None:
        """What the job is doing now, as a message code (``common.job_msg.<code>``), translated
        by the page."""
        ...

    def start_epoch(self, epoch: int, epochs: int) -> None:
        """Mark the start of 1-based ``epoch`` of ``epochs``."""
        ...

    def log_batch(self, batch: int, batches: int, metrics: dict[str, float] | None = None) -> None:
        """``batch`` of ``batches`` in the current epoch is done."""
        ...

    def log_epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        """End-of-epoch metrics."""
        ...

    def set_result(self, **values: Any) -> None:
        """JSON-able results (paths, final metrics)."""
        ...

    def set_extra(self, key: str, value: Any) -> None:
        """In-memory results a page may draw (images, arrays)."""
        ...


class PrintContext:
    """A ``JobContext`` for the command line: prints progress, never cancelled."""

    cancelled = False

    def __init__(self, every: int = 20):
        self.every, self.t0 = every, time.time()

    def check(self) -> None:
        pass

    def update(self, **fields: Any) -> None:
        if fields.get("message"):
            print(fields["message"], flush=True)

    def say(self, code: str, **values: Any) -> None:
        from core import i18n  # the command line speaks English

        print(i18n.translator("en")(f"common.job_msg.{code}", **values), flush=True)

    def start_epoch(self, epoch: int, epochs: int) -> None:
        print(f"epoch {epoch}/{epochs}", flush=True)

    def log_batch(self, batch: int, batches: int, metrics: dict[str, float] | None = None) -> None:
        if batch % self.every == 0 or batch == batches:
            text = " ".join(f"{k}={v:.3f}" for k, v in (metrics or {}).items())
            print(f"  batch {batch}/{batches} {text} ({time.time() - self.t0:.0f}s)", flush=True)

    def log_epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        print(f"epoch {epoch} " + " ".join(f"{k}={v:.3f}" for k, v in metrics.items()), flush=True)

    def set_extra(self, key: str, value: Any) -> None:
        pass

    def set_result(self, **values: Any) -> None:
        pass
