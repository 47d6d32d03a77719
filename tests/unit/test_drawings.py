"""core.storage.drawings: a student's saved drawings are listed, relabelled and deleted, and nothing else is."""

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
    assert [d.label for d in found] == [1, 7] and found[0].image.shape == (28, 28)
    assert found[0].image.max() == 255 and found[1].image.max() == 128
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
