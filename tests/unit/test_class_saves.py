"""Two trainings finishing at once (two threads, two worker processes) never overwrite each
other's model: names are reserved, temporaries are unique, and each saver is told its own name."""

import multiprocessing
import threading
import time
from pathlib import Path

from core import paths
from core.storage import store


class SlowModel:
    """Stands in for a Keras model: ``save`` writes its tag slowly (the race window)."""

    def __init__(self, tag: str):
        self.tag = tag

    def save(self, path):
        Path(path).write_bytes(b"PK" + self.tag.encode())
        time.sleep(0.05)


def _save_in_process(folder: str, tag: str, out) -> None:
    entry = store.save_model(SlowModel(tag), {"kind": "cnn"}, "cnn-20261206-120000", Path(folder), unique=True,
                             owner=tag)
    out.put((tag, entry.name))


def test_eight_threads_saving_the_same_name_keep_eight_models(tmp_path):
    got, errors, start = {}, [], threading.Barrier(8)

    def save(i):
        try:
            start.wait()
            got[i] = store.save_model(SlowModel(f"s{i}"), {"kind": "cnn"}, "cnn-20261206-120000", tmp_path,
                                      unique=True, owner=f"owner{i}").name
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len(set(got.values())) == 8
    for i, name in got.items():  # "saved as X": X holds this saver's model and card
        assert (tmp_path / f"{name}.keras").read_bytes() == b"PK" + f"s{i}".encode()
        assert paths.read_json(tmp_path / f"{name}.json")["owner"] == f"owner{i}"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary nor reservation left


def test_two_worker_processes_get_two_names(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_save_in_process, args=(str(tmp_path), f"w{i}", out)) for i in range(4)]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(30)
    assert len(set(results.values())) == 4
    for tag, name in results.items():
        assert (tmp_path / f"{name}.keras").read_bytes() == b"PK" + tag.encode()


def test_atomic_save_of_one_path_from_two_threads_never_loses_a_temporary(tmp_path):
    target, errors = tmp_path / "net.keras", []

    def write(tag):
        try:
            paths.atomic_save(target, lambda tmp: SlowModel(tag).save(tmp))
        except Exception as exc:  # noqa: BLE001 - a FileNotFoundError was the bug
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and target.read_bytes().startswith(b"PKt")
    assert [p.name for p in tmp_path.iterdir()] == ["net.keras"]


def test_a_card_without_its_model_is_not_listed_and_is_cleaned_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_MODELS_DIR", str(tmp_path))
    paths.atomic_write_json(tmp_path / "cnn-killed.json", {"kind": "cnn", "saved": "2026-01-01 00:00:00"})
    assert [e.name for e in store.list_models("cnn", include_user=True) if not e.shipped] == []
    assert store.remove_orphan_cards(tmp_path, max_age_s=3600) == []  # may still be being written
    assert store.remove_orphan_cards(tmp_path, max_age_s=0) == [tmp_path / "cnn-killed.json"]
    store.save_model(SlowModel("x"), {"kind": "cnn"}, "cnn-whole", tmp_path, owner="me0001")
    mine = [e for e in store.list_models("cnn") if not e.shipped]
    assert [e.name for e in mine] == ["cnn-whole"] and store.owner_of(mine[0]) == "me0001"


def test_an_unreadable_card_is_named_not_silently_skipped(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("NNLAB_MODELS_DIR", str(tmp_path))
    (tmp_path / "cnn-broken.keras").write_bytes(b"model")
    (tmp_path / "cnn-broken.json").write_text("{not json")  # a card cut short, or unreadable
    with caplog.at_level("WARNING", logger="nnlab.store"):
        assert [e.name for e in store.list_models("cnn") if not e.shipped] == []
    bad = dict(store.unreadable_cards())
    assert str(tmp_path / "cnn-broken.json") in bad and "JSONDecodeError" in bad[str(tmp_path / "cnn-broken.json")]
    assert "cnn-broken.json" in caplog.text
    paths.atomic_write_json(tmp_path / "cnn-broken.json", {"kind": "cnn"})  # repaired: listed, not named
    time.sleep(0.01)
    assert [e.name for e in store.list_models("cnn") if not e.shipped] == ["cnn-broken"]
    assert str(tmp_path / "cnn-broken.json") not in dict(store.unreadable_cards())
