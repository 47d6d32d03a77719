"""What the class store keeps, checked on the way in, and the teacher's summaries of it.

Pure Python and numpy: no Streamlit, no Redis. Both backends (``files``, ``redis_store``) keep
the same records as JSON:

- presence ``{owner, nickname, page, seen}``: one per session owner, the latest heartbeat;
- the challenge ``{id, target, started}`` (a digit everyone draws) or none;
- a drawing ``{id, owner, nickname, challenge, target, pixels, probs, read, conf, time}``:
  ``pixels`` the preprocessed 28×28 digit as 1,568 hex characters (uint8, white on black),
  ``probs`` the model's ten probabilities rounded to 4 places;
- an answer ``{qid, owner, nickname, option, time}``: the option's index in the question's
  own list (0 is the right one), the latest answer of each owner per question.
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
import uuid
from typing import Any

import numpy as np

from core.errors import InputError
from core.jobs import records as job_records

NICK_MAX = 24  # characters of a nickname
PER_STUDENT = 5  # drawings one student may send per challenge
MAX_DRAWINGS = 600  # the newest kept, all challenges together
MAX_PRESENCE = 500  # sessions remembered
MAX_ANSWERS = 20000  # (question, owner) pairs remembered
PRESENT_S = 15 * 60  # seen this recently: "here"
_QID = re.compile(r"[a-z0-9_.]{1,40}:\d{1,2}")
_OWNER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PAGE = re.compile(r"[a-z0-9-]{0,40}")


class ClassUnavailable(InputError):
    """The class store (Redis) cannot be reached: the class features pause, pages keep working."""

    def __init__(self):
        super().__init__("classroom.unavailable")


def retention_s() -> float:
    """Seconds class data is kept after its last change: the jobs' ``NNLAB_JOBS_KEEP_DAYS``
    (0: kept until the teacher clears it)."""
    return job_records.retention()[0] * 86400


def clean_nickname(text: Any) -> str:
    """A nickname as shown: printable characters only, spaces collapsed, at most ``NICK_MAX``."""
    text = "".join(" " if c.isspace() else c for c in str(text or ""))
    text = "".join(c for c in text if unicodedata.category(c)[0] not in "CZ" or c == " ")
    return " ".join(text.split())[:NICK_MAX]


def check_owner(owner: str) -> str:
    if not isinstance(owner, str) or not _OWNER.fullmatch(owner):
        raise ValueError(f"not an owner id: {owner!r}")
    return owner


def check_page(page: str) -> str:
    page = str(page or "")
    return page if _PAGE.fullmatch(page) else ""


def check_qid(qid: str) -> str:
    """A question id ``<section>:<index>`` (``classifier:2``)."""
    if not isinstance(qid, str) or not _QID.fullmatch(qid):
        raise ValueError(f"not a question id: {qid!r}")
    return qid


def check_target(target: Any) -> int:
    if not (isinstance(target, (int, np.integer)) and not isinstance(target, bool) and 0 <= int(target) <= 9):
        raise InputError("classroom.target", value=target)
    return int(target)


def new_challenge(target: int, now: float | None = None) -> dict:
    return {"id": uuid.uuid4().hex[:10], "target": check_target(target), "started": now or time.time()}


def new_drawing(owner: str, nickname: str, challenge: dict, digit: np.ndarray, probs: Any,
                now: float | None = None) -> dict:
    """The record of ``digit`` (28×28 in [0, 1]) read as ``probs`` (10) during ``challenge``."""
    digit, probs = np.asarray(digit, dtype=np.float32), np.asarray(probs, dtype=np.float64).ravel()
    if digit.shape != (28, 28) or probs.shape != (10,) or not np.all(np.isfinite(probs)):
        raise ValueError(f"a drawing is 28×28 with 10 probabilities, got {digit.shape} and {probs.shape}")
    pixels = np.clip(np.rint(digit * 255), 0, 255).astype(np.uint8)
    read = int(probs.argmax())
    return {"id": uuid.uuid4().hex[:12], "owner": check_owner(owner), "nickname": clean_nickname(nickname),
            "challenge": challenge["id"], "target": int(challenge["target"]), "pixels": pixels.tobytes().hex(),
            "probs": [round(float(p), 4) for p in probs], "read": read, "conf": round(float(probs[read]), 4),
            "time": now or time.time()}


def pixels(drawing: dict) -> np.ndarray:
    """A drawing's digit as uint8 ``(28, 28)`` (zeros when the record is damaged)."""
    try:
        return np.frombuffer(bytes.fromhex(drawing["pixels"]), np.uint8).reshape(28, 28)
    except (KeyError, TypeError, ValueError):
        return np.zeros((28, 28), np.uint8)


def new_answer(owner: str, nickname: str, qid: str, option: Any, now: float | None = None) -> dict:
    if not isinstance(option, int) or isinstance(option, bool) or not 0 <= option < 10:
        raise ValueError(f"an option is an index 0-9, got {option!r}")
    return {"qid": check_qid(qid), "owner": check_owner(owner), "nickname": clean_nickname(nickname),
            "option": option, "time": now or time.time()}


def here(presence: list[dict], now: float | None = None, within_s: float = PRESENT_S) -> list[dict]:
    """The sessions seen within ``within_s``, most recent first."""
    now = now or time.time()
    return sorted((p for p in presence if now - p.get("seen", 0) <= within_s), key=lambda p: -p["seen"])


def per_page(presence: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in presence:
        counts[p.get("page", "")] = counts.get(p.get("page", ""), 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def confusion(drawings: list[dict]) -> np.ndarray:
    """``(10, 10)`` counts: row = the digit asked for, column = the digit the model read."""
    table = np.zeros((10, 10), int)
    for d in drawings:
        table[int(d["target"]), int(d["read"])] += 1
    return table


def confidently_wrong(drawings: list[dict], n: int = 5) -> list[dict]:
    """The ``n`` wrong readings the model was surest of, surest first."""
    wrong = [d for d in drawings if d["read"] != d["target"]]
    return sorted(wrong, key=lambda d: -d["conf"])[:n]


def answer_counts(answers: list[dict]) -> dict[str, dict[int, int]]:
    """Per question id, how many chose each option."""
    counts: dict[str, dict[int, int]] = {}
    for a in answers:
        per = counts.setdefault(a["qid"], {})
        per[a["option"]] = per.get(a["option"], 0) + 1
    return counts


def results_csv(drawings: list[dict], answers: list[dict]) -> str:
    """The class's results as CSV: one row per drawing and per answer (nicknames, no ids)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["kind", "time_utc", "nickname", "item", "asked", "answer", "correct", "confidence"])
    def stamp(s): return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(s))
    for d in sorted(drawings, key=lambda d: d["time"]):
        w.writerow(["drawing", stamp(d["time"]), _cell(d["nickname"]), d["challenge"], d["target"], d["read"],
                    int(d["read"] == d["target"]), d["conf"]])
    for a in sorted(answers, key=lambda a: a["time"]):
        w.writerow(["answer", stamp(a["time"]), _cell(a["nickname"]), a["qid"], "", a["option"],
                    int(a["option"] == 0), ""])
    return out.getvalue()


def _cell(text: str) -> str:
    """A nickname that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
