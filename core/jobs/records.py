"""Job records on disk: validation of what is read back, quarantine of bad files, retention.

A record is the JSON mirror of one job (``<id>.json`` in the jobs folder). Anything can
end up there (a disk error, a hand edit, an older version), so every record read back is
checked field by field; a record that is not what ``JobRegistry`` writes is moved to
``damaged/`` beside the others and logged, instead of breaking every page load.

Retention: finished records older than ``NNLAB_JOBS_KEEP_DAYS`` days (default 30; 0 keeps
them forever) are deleted, and of the rest only the newest ``NNLAB_JOBS_KEEP`` (default
200) of each owner are kept. Deleting a record never deletes a model or a checkpoint.
"""

from __future__ import annotations

import logging
import math
import os
import re
import time
from pathlib import Path
from typing import Any

from core.paths import read_json

log = logging.getLogger("nnlab.jobs")
STATUSES = ("queued", "running", "done", "cancelled", "failed", "interrupted")
DAMAGED = "damaged"
KEEP_DAYS_DEFAULT, KEEP_DEFAULT = 30.0, 200
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class RecordError(ValueError):
    """A job record that is not what the registry writes."""


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _numeric(value: Any) -> bool:
    """A number, NaN included: a diverged training run records a NaN loss, and that is a fact."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


_OPTIONAL_NUMBER = ("started", "finished", "eta_s")
_CHECKS = {
    "status": lambda v: v in STATUSES,
    "epoch": _count, "epochs": _count, "batch": _count, "batches": _count,
    "created": _number,
    "error": lambda v: v is None or isinstance(v, str),
    "error_code": lambda v: v is None or isinstance(v, str),
    "message": lambda v: isinstance(v, str),
    "message_code": lambda v: isinstance(v, str),
    "queue_position": lambda v: v is None or _count(v),
    "result": lambda v: isinstance(v, dict),
    "message_values": lambda v: isinstance(v, dict),
    "error_values": lambda v: isinstance(v, dict),
    "history": lambda v: isinstance(v, dict) and all(
        isinstance(k, str) and isinstance(s, list) and all(_numeric(x) for x in s) for k, s in v.items()),
    **{key: (lambda v: v is None or _number(v)) for key in _OPTIONAL_NUMBER},
}


def _check_header(record: Any, stem: str) -> None:
    """The fields outside ``progress``: id (matching the file name), kind, title, config, owner."""
    if not isinstance(record, dict):
        raise RecordError("not a JSON object")
    job_id = record.get("id")
    if not isinstance(job_id, str) or not _ID.fullmatch(job_id) or job_id != stem:
        raise RecordError(f"bad id {job_id!r} for file {stem}.json")
    for key in ("kind", "title"):
        if not isinstance(record.get(key), str):
            raise RecordError(f"{key} must be text, got {record.get(key)!r}")
    if not isinstance(record.get("config", {}), dict) or not isinstance(record.get("owner", ""), str):
        raise RecordError("config must be an object and owner text")


def validate(record: Any, stem: str) -> dict[str, Any]:
    """``record`` if it is a well-formed record of file ``<stem>.json``, else ``RecordError``.

    Unknown progress fields (from a newer version) are dropped; missing ones keep their
    defaults, except ``status`` and ``created``, which every record has.
    """
    _check_header(record, stem)
    progress = record.get("progress")
    if not isinstance(progress, dict):
        raise RecordError(f"progress must be an object, got {progress!r}")
    for key in ("status", "created"):
        if key not in progress:
            raise RecordError(f"progress lacks {key}")
    for key, value in progress.items():
        if key in _CHECKS and not _CHECKS[key](value):
            raise RecordError(f"progress.{key} has a wrong value {value!r}")
    clean = {key: value for key, value in progress.items() if key in _CHECKS}
    return {**record, "config": record.get("config", {}), "owner": record.get("owner", ""), "progress": clean}


def quarantine(path: Path, reason: str) -> None:
    """Move a bad record to ``damaged/`` beside it (kept for inspection) and log why."""
    target = path.parent / DAMAGED / path.name
    try:
        target.parent.mkdir(exist_ok=True)
        os.replace(path, target)
        log.warning("job record %s is damaged (%s); moved to %s", path.name, reason, target)
    except OSError as exc:
        log.warning("job record %s is damaged (%s) and could not be moved: %s", path.name, reason, exc)


def load_records(record_dir: Path) -> list[dict[str, Any]]:
    """Every valid record in ``record_dir``; bad ones are quarantined."""
    records = []
    for path in sorted(record_dir.glob("*.json")):
        raw = read_json(path, default=RecordError)
        try:
            if raw is RecordError:
                raise RecordError("not valid JSON")
            records.append(validate(raw, path.stem))
        except RecordError as exc:
            quarantine(path, str(exc))
    return records


def retention() -> tuple[float, int]:
    """``(days, count)`` from ``NNLAB_JOBS_KEEP_DAYS`` and ``NNLAB_JOBS_KEEP`` (bad values: defaults)."""
    def env(name: str, default: float, kind: type) -> Any:
        try:
            value = kind(os.environ.get(name, default))
            return value if value >= 0 else default
        except ValueError:
            log.warning("%s=%r is not a number; using %s", name, os.environ.get(name), default)
            return default
    return env("NNLAB_JOBS_KEEP_DAYS", KEEP_DAYS_DEFAULT, float), env("NNLAB_JOBS_KEEP", KEEP_DEFAULT, int)


def expired(finished: list[tuple], now: float | None = None) -> list[str]:
    """Ids to forget among finished jobs ``(time, id)`` or ``(time, id, owner)``: too old, or
    beyond the newest N of their owner. Per owner: one student's flood of 300 jobs drops
    only that student's old records, never a classmate's."""
    days, keep = retention()
    now = time.time() if now is None else now
    by_owner: dict[str, list[tuple[float, str]]] = {}
    for item in finished:
        by_owner.setdefault(item[2] if len(item) > 2 else "", []).append((item[0], item[1]))
    drop = []
    for records in by_owner.values():
        newest_first = sorted(records, reverse=True)
        drop += [job_id for _, job_id in newest_first[keep:]]
        if days > 0:
            drop += [job_id for when, job_id in newest_first[:keep] if now - when > days * 86400]
    return drop
