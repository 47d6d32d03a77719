"""The class store (``core.classroom``) on files; ``tests/serve/test_classroom_redis.py`` runs the
same checks (``CHECKS``) on Redis."""

import csv
import io

import numpy as np
import pytest

from core import classroom
from core.classroom import records as r
from core.classroom.files import FileClassStore
from core.errors import InputError

A, B = "owner_aaaa", "owner_bbbb"


def _digit(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def _probs(read: int, conf: float) -> np.ndarray:
    p = np.full(10, (1 - conf) / 9)
    p[read] = conf
    return p


def check_presence(s):
    s.touch(A, "Quick Fox", "classifier")
    s.touch(B, "Calm Owl\x00<b>", "playground")
    s.touch(A, "Quick Fox", "perceptron")  # the latest heartbeat wins
    found = {p["owner"]: p for p in s.presence()}
    assert found[A]["page"] == "perceptron" and found[B]["nickname"] == "Calm Owl<b>"
    assert r.per_page(r.here(s.presence())) == {"perceptron": 1, "playground": 1}


def check_challenge_and_drawings(s):
    assert s.challenge() is None
    c = s.start_challenge(7)
    assert s.challenge()["target"] == 7
    s.add_drawing(r.new_drawing(A, "Quick Fox", c, _digit(0), _probs(7, 0.9)))
    s.add_drawing(r.new_drawing(B, "Calm Owl", c, _digit(1), _probs(1, 0.95)))
    found = s.drawings()
    assert [d["owner"] for d in found] == [B, A]  # newest first
    assert np.array_equal(r.pixels(found[1]), np.rint(_digit(0) * 255).astype(np.uint8))
    table = r.confusion(found)
    assert table[7, 7] == 1 and table[7, 1] == 1 and table.sum() == 2
    assert [d["owner"] for d in r.confidently_wrong(found)] == [B]
    for _ in range(r.PER_STUDENT - 1):
        s.add_drawing(r.new_drawing(A, "Quick Fox", c, _digit(2), _probs(7, 0.8)))
    with pytest.raises(InputError) as err:
        s.add_drawing(r.new_drawing(A, "Quick Fox", c, _digit(2), _probs(7, 0.8)))
    assert err.value.code == "classroom.too_many"
    s.mark_added([found[0]["id"]])
    assert s.added() == {found[0]["id"]}
    s.stop_challenge()
    assert s.challenge() is None


def check_answers_and_csv(s):
    s.answer(r.new_answer(A, "=Quick Fox", "classifier:0", 2))
    s.answer(r.new_answer(A, "=Quick Fox", "classifier:0", 0))  # changed their mind: one answer
    s.answer(r.new_answer(B, "Calm Owl", "classifier:0", 0))
    s.answer(r.new_answer(B, "Calm Owl", "perceptron:1", 1))
    assert r.answer_counts(s.answers()) == {"classifier:0": {0: 2}, "perceptron:1": {1: 1}}
    rows = list(csv.reader(io.StringIO(r.results_csv(s.drawings(), s.answers()))))
    assert rows[0][0] == "kind" and len(rows) == 4
    assert all(row[2] != "=Quick Fox" for row in rows)  # never a formula in a spreadsheet
    assert A not in "".join(map(str, rows))  # nicknames, never owner ids


def check_clear(s):
    s.touch(A, "Fox", "classifier")
    c = s.start_challenge(3)
    s.add_drawing(r.new_drawing(A, "Fox", c, _digit(0), _probs(3, 0.5)))
    s.answer(r.new_answer(A, "Fox", "classifier:1", 1))
    s.clear()
    assert (s.presence(), s.challenge(), s.drawings(), s.answers(), s.added()) == ([], None, [], [], set())
    s.add_drawing(r.new_drawing(A, "Fox", c, _digit(0), _probs(3, 0.5)))  # the counters are gone too


CHECKS = [check_presence, check_challenge_and_drawings, check_answers_and_csv, check_clear]


@pytest.fixture
def files(tmp_path):
    return FileClassStore(tmp_path / "classroom")


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_files_backend(files, check):
    check(files)


def test_files_are_bounded(files, monkeypatch):
    monkeypatch.setattr(r, "MAX_DRAWINGS", 4)
    monkeypatch.setattr(r, "PER_STUDENT", 100)
    c = files.start_challenge(1)
    for i in range(7):
        files.add_drawing(r.new_drawing(A, "Fox", c, _digit(i), _probs(1, 0.5), now=1000.0 + i))
    assert len(files.drawings()) == 4 and len(list((files.root / "drawings").iterdir())) == 4
    assert files.drawings()[0]["time"] == 1006.0


def test_retention_drops_old_answers(files, monkeypatch):
    monkeypatch.setenv("NNLAB_JOBS_KEEP_DAYS", "1")
    files.answer(r.new_answer(A, "Fox", "classifier:0", 1, now=1.0))  # 1970: long past
    files.answer(r.new_answer(B, "Owl", "classifier:0", 0))
    assert [a["owner"] for a in files.answers()] == [B]


def test_records_refuse_bad_values():
    with pytest.raises(InputError):
        r.check_target(12)
    with pytest.raises(ValueError):
        r.new_answer(A, "x", "<script>:0", 1)
    with pytest.raises(ValueError):
        r.new_drawing(A, "x", {"id": "c", "target": 1}, np.zeros((8, 8)), _probs(1, 0.5))
    assert r.clean_nickname("  a\n\tb  " + "z" * 40) == ("a b " + "z" * 40)[:r.NICK_MAX]


def test_store_follows_the_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("NNLAB_JOBS", raising=False)
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    s = classroom.store()
    assert isinstance(s, FileClassStore) and s.root == tmp_path / "classroom"
    s.start_challenge(4)
    classroom.forget_challenge()
    assert classroom.current_challenge()["target"] == 4
    s.stop_challenge()
    assert classroom.current_challenge()["target"] == 4  # asked again only after the TTL
    classroom.forget_challenge()
    assert classroom.current_challenge() is None
