"""The recorder of a job a queue worker runs: ``core.jobs.recorder.Recorder`` writing to Redis.

Everything a job function calls (``start_epoch``, ``log_batch``, ``say``, the ETA, the end of
the run) is the thread backend's code; only where the record goes differs: the whole record
is flushed to the job's ``progress`` key (a batch at most every ``save_every_s``), extras to
its ``extras`` hash, and a stop request is the ``cancel`` key, polled every
``CANCEL_POLL_S``. Redis away for a moment skips the writes (for ``AWAY_S``) and the job trains
on: the next write sends the whole record again.
"""

from __future__ import annotations

import time
from typing import Any

from core.backends.redis_store import BACKEND_DOWN, key, progress_from, progress_json
from core.jobs import codec as job_codec
from core.jobs.recorder import Recorder

CANCEL_POLL_S = 0.25
AWAY_S = 2.0  # after a failed write, a job does not try Redis again for this long (it trains on)


class RedisRecorder(Recorder):
    """The ``JobContext`` of a job run by a worker: progress and extras go to Redis."""

    def __init__(self, redis, job_id: str, owner: str = ""):
        super().__init__(progress_from(redis.get(key(job_id, "progress"))), owner)
        self.redis, self.job_id = redis, job_id
        self._polled = self._away_until = 0.0
        self._cancelled = False
        self._extras: dict[str, bytes] = {}  # set while Redis was away: sent when it answers

    def _try(self, call) -> bool:
        """Run ``call()`` against Redis unless it was away a moment ago; ``False`` if not done
        (the job trains on: what it wanted to write is written again later)."""
        if time.monotonic() < self._away_until:
            return False
        try:
            call()
            return True
        except BACKEND_DOWN:
            self._away_until = time.monotonic() + AWAY_S
            return False

    def _stop_requested(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._polled >= CANCEL_POLL_S:
            self._polled = now
            self._try(self._poll_cancel)
        return self._cancelled

    def _poll_cancel(self) -> None:
        self._cancelled = bool(self.redis.exists(key(self.job_id, "cancel")))

    def _save(self, durable: bool) -> None:
        self._try(self.write)  # every save: the pages read the record only from Redis

    def _save_extra(self, name: str, value: Any) -> None:
        self._extras[name] = job_codec.encode(value)
        self._try(self.write)

    def write(self) -> None:
        """The whole record and any extras kept back, in one transaction (raises while Redis
        is away: the worker retries the final one until it is taken)."""
        with self.lock:
            record = progress_json(self.progress)
        pipe = self.redis.pipeline()
        pipe.set(key(self.job_id, "progress"), record)
        if self._extras:
            pipe.hset(key(self.job_id, "extras"), mapping=self._extras)
            pipe.incr(key(self.job_id, "extras_v"))
        pipe.execute()
        self._extras = {}
