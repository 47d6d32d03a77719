"""A job of the thread backend (``core.jobs.registry``): a ``JobHandle`` whose ``Recorder``
keeps the record in memory, mirrored to the job's record file (``$NNLAB_HOME/jobs/ID.json``)."""

from __future__ import annotations

import copy
import threading
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from core.jobs.handle import JobHandle
from core.jobs.progress import ACTIVE, RUNNING, Progress
from core.jobs.recorder import Recorder
from core.paths import atomic_write_json

FILE_EVERY_S = 1.0  # a running job's record file is written at most this often (pages read memory)


class ThreadRecorder(Recorder):
    """A thread job's recorder: the record in memory (the pages read it under ``lock``) and in
    the job's record file, for a restart to find (its start, its end and its results at once,
    progress at most every ``FILE_EVERY_S``: a playground ends epochs every few ms); a stop is
    the job's cancel event."""

    def __init__(self, job: Job):
        super().__init__(Progress(), job.owner)
        self.cancel_event = job.cancel_event
        self._job = job
        self._written = float("-inf")  # monotonic time of the last file write

    def _stop_requested(self) -> bool:
        return self.cancel_event.is_set()

    def _save(self, durable: bool) -> None:
        now = time.monotonic()
        if durable or now - self._written >= FILE_EVERY_S:
            self._written = now
            self._job._persist()


class Job(JobHandle):
    """One unit of background work in this process and its progress record."""

    def __init__(self, kind: str, title: str, config: dict[str, Any], owner: str = "",
                 record_dir: Path | None = None, job_id: str | None = None):
        super().__init__(job_id or uuid.uuid4().hex[:10], kind, title, config, owner)
        self.cancel_event = threading.Event()
        self.recorder = ThreadRecorder(self)
        self.recorder.progress.created = self.created
        self.thread: threading.Thread | None = None
        self._record_dir = record_dir

    def snapshot(self) -> Progress:
        """A deep copy of the progress record, safe to read without the lock."""
        rec = self.recorder
        with rec.lock:
            extras = rec.progress.extras
            rec.progress.extras = {}
            snap = copy.deepcopy(rec.progress)
            rec.progress.extras = extras
        snap.extras = dict(extras)  # artefacts are replaced, never mutated: a shallow copy is enough
        return snap

    @property
    def status(self) -> str:
        with self.recorder.lock:
            return self.recorder.progress.status

    def cancel(self) -> None:
        """Ask the job to stop; a queued job never starts."""
        self.cancel_event.set()

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def _order(self) -> tuple[int, float]:
        """Running jobs first (oldest start first), then queued ones in queue order."""
        with self.recorder.lock:
            p = self.recorder.progress
            if p.status == RUNNING:
                return 0, p.started or p.created
            return 1, float(p.queue_position or 0)

    def to_record(self) -> dict[str, Any]:
        snap = self.snapshot()
        progress = asdict(snap)
        progress.pop("extras")
        progress.pop("batch_history")
        return {"id": self.id, "kind": self.kind, "title": self.title, "config": self.config,
                "owner": self.owner, "progress": progress}

    def _persist(self) -> None:
        if self._record_dir is not None:
            try:
                atomic_write_json(self._record_dir / f"{self.id}.json", self.to_record())
            except OSError:
                pass  # a full disk must not kill training; the in-memory record still works

    @classmethod
    def from_record(cls, record: dict[str, Any], record_dir: Path | None) -> Job:
        """A job from a record already checked by ``job_records.validate``."""
        job = cls(record["kind"], record["title"], record.get("config", {}),
                  record.get("owner", ""), record_dir, job_id=record["id"])
        fields = set(Progress.__dataclass_fields__)
        for key, value in record.get("progress", {}).items():
            if key in fields:
                setattr(job.recorder.progress, key, value)
        job.created = job.recorder.progress.created
        return job

    def _finished_at(self) -> float | None:
        with self.recorder.lock:
            p = self.recorder.progress
            return None if p.status in ACTIVE else (p.finished or p.created)
