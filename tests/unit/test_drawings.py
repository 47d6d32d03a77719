"""core.storage.drawings: a student's saved drawings are listed, relabelled and deleted, and nothing else is."""

import time

import numpy as np
import pytest

from core.storage import drawings


def _digit(value: float = 1.0) -> np.ndarray:
    d = np.zeros((28, 28), np.float32)
    d[6:22, 12:16] = value
    return d


def test_save_list_relabel_delete(tmp_path):
    a = drawings.save_drawing(_digit(), 1, tmp_path)
    b = drawings.save_drawing(_digit(0.5), 7, tmp_path)
    found = drawings.list_drawings(tmp_path)
    assert [d.label for d in found] == [7, 1] and found[0].image.shape == (28, 28)  # newest first
    assert found[1].image.max() == 255 and found[0].image.max() == 128
    moved = drawings.relabel_drawing(a, 4, tmp_path)
    assert moved.name.startswith("digit-4-") and not a.exists()
    assert sorted(drawings.load_drawings(tmp_path)[1].tolist()) == [4, 7]
    drawings.delete_drawing(b, tmp_path)
    assert [d.label for d in drawings.list_drawings(tmp_path)] == [4]


def test_only_saved_drawings_can_be_touched(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("keep me")
    with pytest.raises(ValueError, match="not one of your saved drawings"):
        drawings.delete_drawing(other, tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    path = drawings.save_drawing(_digit(), 3, outside)
    with pytest.raises(ValueError):
        drawings.relabel_drawing(path, 5, tmp_path)  # not in this drawings folder
    with pytest.raises(ValueError, match="0-9"):
        drawings.relabel_drawing(path, 12, outside)
    assert other.read_text() == "keep me" and path.exists()


def test_unreadable_files_are_skipped(tmp_path):
    drawings.save_drawing(_digit(), 2, tmp_path)
    (tmp_path / "digit-5-broken.png").write_bytes(b"not a png")
    assert [d.label for d in drawings.list_drawings(tmp_path)] == [2]


def test_each_drawing_has_an_owner_and_my_drawings_are_mine(tmp_path):
    mine = []
    for _ in range(3):  # names hold the millisecond: two saves within one would have no order
        mine.append(drawings.save_drawing(_digit(), 7, tmp_path, owner="aaaa0001"))
        time.sleep(0.002)
    theirs = drawings.save_drawing(_digit(), 0, tmp_path, owner="bbbb0002")
    assert drawings.count_drawings("aaaa0001", tmp_path) == 3 and drawings.count_drawings(None, tmp_path) == 4
    assert [d.path for d in drawings.list_drawings(tmp_path, owner="aaaa0001")] == mine[::-1]  # newest first
    assert drawings.load_drawings(tmp_path, owner="bbbb0002")[1].tolist() == [0]
    from core.errors import InputError

    with pytest.raises(InputError) as raised:
        drawings.delete_drawing(theirs, tmp_path, owner="aaaa0001")
    assert raised.value.code == "owner.not_yours"
    with pytest.raises(InputError) as raised:
        drawings.relabel_drawing(theirs, 1, tmp_path, owner="aaaa0001")
    assert raised.value.code == "owner.not_yours"
    assert theirs.exists()
    assert drawings.relabel_drawing(theirs, 6, tmp_path, owner="cccc0003", teacher=True).name.startswith("digit-6-")


def test_a_new_drawing_is_found_first_among_many_older_ones(tmp_path):
    for _ in range(70):
        drawings.save_drawing(_digit(), 0, tmp_path, owner="aaaa0001")
    new = drawings.save_drawing(_digit(), 7, tmp_path, owner="aaaa0001")
    assert drawings.list_drawings(tmp_path, owner="aaaa0001", limit=60)[0].path == new


def test_a_stale_delete_or_relabel_is_done_with_nothing_to_do(tmp_path):
    path = drawings.save_drawing(_digit(), 2, tmp_path, owner="aaaa0001")
    assert drawings.delete_drawing(path, tmp_path, owner="aaaa0001") is True
    assert drawings.delete_drawing(path, tmp_path, owner="aaaa0001") is False  # tab B, a second later
    assert drawings.relabel_drawing(path, 3, tmp_path, owner="aaaa0001") is None


def test_saved_drawings_are_capped_per_student(tmp_path, monkeypatch):
    from core.errors import InputError

    monkeypatch.setenv("NNLAB_MAX_DRAWINGS", "3")
    for _ in range(3):
        drawings.save_drawing(_digit(), 1, tmp_path, owner="aaaa0001")
    with pytest.raises(InputError) as raised:
        drawings.save_drawing(_digit(), 1, tmp_path, owner="aaaa0001")
    assert raised.value.code == "quota.files"
    drawings.save_drawing(_digit(), 1, tmp_path, owner="bbbb0002")  # a classmate is not held back
    assert drawings.count_drawings("aaaa0001", tmp_path) == 3


def test_drawings_from_before_owners_are_the_teachers_to_change(tmp_path):
    old = drawings.save_drawing(_digit(), 4, tmp_path)  # no owner in its name
    assert drawings.count_drawings("aaaa0001", tmp_path) == 0 and drawings.count_drawings(None, tmp_path) == 1
    from core.errors import InputError

    with pytest.raises(InputError):
        drawings.delete_drawing(old, tmp_path, owner="aaaa0001")
    assert drawings.delete_drawing(old, tmp_path, owner="", teacher=True)


def test_the_cached_listing_sees_own_changes_at_once_and_another_replicas_by_the_folder_version(tmp_path):
    import shutil

    first = drawings.save_drawing(_digit(), 1, tmp_path, owner="aaaa0001")
    assert drawings.count_drawings("aaaa0001", tmp_path) == 1
    second = drawings.save_drawing(_digit(), 2, tmp_path, owner="aaaa0001")
    assert [d.path for d in drawings.list_drawings(tmp_path, owner="aaaa0001")] == [second, first]
    foreign = tmp_path / second.name.replace("digit-2-", "digit-9-").replace("-oaaaa0001", "-obbbb0002")
    shutil.copy(second, foreign)  # another replica's save: the folder's version changes
    assert drawings.count_drawings("bbbb0002", tmp_path) == 1 and drawings.count_drawings(None, tmp_path) == 3
    drawings.delete_drawing(first, tmp_path, owner="aaaa0001")
    assert drawings.count_drawings("aaaa0001", tmp_path) == 1
