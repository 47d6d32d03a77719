"""The class store of one lab process: JSON files under ``$NNLAB_HOME/classroom/``.

``presence.json``, ``challenge.json``, ``answers.json``, ``added.json`` and one file per
drawing in ``drawings/`` (``<ms>-<id>.json``, so the newest sort last). Every write is atomic
(``core.paths.atomic_write_json``) and made under one lock: the process's sessions never lose
each other's changes. Bounded: ``MAX_DRAWINGS`` drawings, ``MAX_PRESENCE`` sessions,
``MAX_ANSWERS`` answers; anything older than the jobs' retention is dropped when written over.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from core.classroom import records as r
from core.errors import InputError
from core.paths import atomic_write_json, file_mode, read_json, user_dir


class FileClassStore:
    """The class store on disk (see ``core.classroom.ClassStore`` for the methods)."""

    available = True  # a local disk is always there

    def __init__(self, root: Path | None = None):
        self.root = Path(root or user_dir("classroom"))
        self._lock = threading.Lock()
        self._cache: dict[Path, tuple[int, object]] = {}  # file -> (mtime_ns, parsed)

    # ------------------------------------------------------------ files
    def _read(self, name: str, default):
        path = self.root / name
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            return default
        hit = self._cache.get(path)
        if hit and hit[0] == mtime:
            return hit[1]
        value = read_json(path, default)
        if len(self._cache) > 2 * r.MAX_DRAWINGS:
            self._cache.clear()
        self._cache[path] = (mtime, value)
        return value

    def _write(self, name: str, value, durable: bool = True) -> None:
        """Atomic; ``durable=False`` skips the fsync (presence: a heartbeat is rewritten within
        seconds, and thirty page opens at once must not queue behind thirty disk flushes)."""
        if durable:
            atomic_write_json(self.root / name, value)
            return
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            tmp.write_text(json.dumps(value), encoding="utf-8")
            os.chmod(tmp, file_mode())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def _fresh(self, items: dict, now: float) -> dict:
        keep = r.retention_s()
        return {k: v for k, v in items.items() if not keep or now - v.get("time", v.get("seen", now)) <= keep}

    # ------------------------------------------------------------ presence
    def touch(self, owner: str, nickname: str, page: str) -> None:
        """Record that ``owner`` (as ``nickname``) is on ``page`` now."""
        now = time.time()
        with self._lock:
            presence = dict(self._read("presence.json", {}))
            presence[r.check_owner(owner)] = {"owner": owner, "nickname": r.clean_nickname(nickname),
                                               "page": r.check_page(page), "seen": now}
            newest = sorted(presence.values(), key=lambda p: -p["seen"])[:r.MAX_PRESENCE]
            self._write("presence.json", self._fresh({p["owner"]: p for p in newest}, now), durable=False)

    def presence(self) -> list[dict]:
        return list(self._read("presence.json", {}).values())

    # ------------------------------------------------------------ challenge
    def start_challenge(self, target: int) -> dict:
        challenge = r.new_challenge(target)
        with self._lock:
            self._write("challenge.json", challenge)
        return challenge

    def stop_challenge(self) -> None:
        with self._lock:
            (self.root / "challenge.json").unlink(missing_ok=True)

    def challenge(self) -> dict | None:
        found = self._read("challenge.json", None)
        return found if isinstance(found, dict) and "id" in found else None

    # ------------------------------------------------------------ drawings
    def _drawing_files(self) -> list[Path]:
        folder = self.root / "drawings"
        return sorted(folder.glob("*.json")) if folder.is_dir() else []

    def add_drawing(self, record: dict) -> dict:
        """Keep a drawing record (``records.new_drawing``); at most ``PER_STUDENT`` per student
        and challenge (``InputError("classroom.too_many")`` beyond)."""
        with self._lock:
            mine = [d for d in self.drawings() if d["owner"] == record["owner"]
                    and d["challenge"] == record["challenge"]]
            if len(mine) >= r.PER_STUDENT:
                raise InputError("classroom.too_many", n=r.PER_STUDENT)
            self._write(f"drawings/{int(record['time'] * 1000):015d}-{record['id']}.json", record)
            files, keep, now = self._drawing_files(), r.retention_s(), time.time()
            for i, path in enumerate(files):
                old = keep and now - path.stat().st_mtime > keep
                if old or i < len(files) - r.MAX_DRAWINGS:
                    path.unlink(missing_ok=True)
        return record

    def drawings(self) -> list[dict]:
        """Every kept drawing, newest first."""
        found = [self._read(f"drawings/{p.name}", None) for p in reversed(self._drawing_files())]
        return [d for d in found if isinstance(d, dict) and "pixels" in d]

    def mark_added(self, ids: list[str]) -> None:
        with self._lock:
            added = set(self._read("added.json", [])) | set(ids)
            self._write("added.json", sorted(added)[-r.MAX_DRAWINGS * 2:])

    def added(self) -> set[str]:
        return set(self._read("added.json", []))

    # ------------------------------------------------------------ answers
    def answer(self, record: dict) -> None:
        """Keep ``owner``'s latest answer to a question (``records.new_answer``)."""
        with self._lock:
            answers = dict(self._read("answers.json", {}))
            answers[f"{record['qid']}|{record['owner']}"] = record
            newest = sorted(answers.items(), key=lambda kv: -kv[1]["time"])[:r.MAX_ANSWERS]
            self._write("answers.json", self._fresh(dict(newest), record["time"]))

    def answers(self) -> list[dict]:
        return list(self._read("answers.json", {}).values())

    # ------------------------------------------------------------ all
    def clear(self) -> None:
        """Forget the class's data: presence, challenge, drawings, answers."""
        with self._lock:
            for name in ("presence.json", "challenge.json", "answers.json", "added.json"):
                (self.root / name).unlink(missing_ok=True)
            shutil.rmtree(self.root / "drawings", ignore_errors=True)
            self._cache.clear()
        os.makedirs(self.root, exist_ok=True)
