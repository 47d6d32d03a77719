"""What a student takes home (core.classroom.downloads): their own model with its card, their own
drawings with labels, never another student's; PNG grids of what a page shows."""

import io
import json
import zipfile

import numpy as np
import pytest
from PIL import Image

from core.classroom import downloads
from core.errors import InputError
from core.storage import drawings, store

ANA, BEA = "a" * 32, "b" * 32


def _entry(tmp_path, name: str, owner: str, shipped: bool = False) -> store.ModelEntry:
    path = tmp_path / f"{name}.keras"
    path.write_bytes(f"model bytes of {name}".encode())
    card = {"kind": "cnn", "name": name, "owner": owner, "test_accuracy": 0.97}
    return store.ModelEntry(name, path, card, shipped)


def test_only_your_own_models_are_offered_and_zipped(tmp_path):
    mine, hers, shipped = _entry(tmp_path, "m1", ANA), _entry(tmp_path, "m2", BEA), _entry(tmp_path, "cnn", "", True)
    assert downloads.own_models([mine, hers, shipped], ANA) == [mine]
    assert downloads.own_models([mine, hers, shipped], BEA) == [hers]
    with zipfile.ZipFile(io.BytesIO(downloads.model_zip(mine, ANA))) as z:
        assert sorted(z.namelist()) == ["m1.json", "m1.keras"]
        assert z.read("m1.keras") == b"model bytes of m1"
        card = json.loads(z.read("m1.json"))
    assert card["test_accuracy"] == 0.97 and "owner" not in card  # the owner id stays on the server
    for entry, owner in ((hers, ANA), (shipped, ANA), (mine, "")):
        with pytest.raises(InputError):
            downloads.model_zip(entry, owner)


def test_a_real_keras_model_comes_back_loadable(tmp_path):
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    entry = store.save_model(model, {"kind": "dense"}, "tiny", tmp_path, owner=ANA)
    with zipfile.ZipFile(io.BytesIO(downloads.model_zip(entry, ANA))) as z:
        z.extractall(tmp_path / "home")
    back = keras.models.load_model(tmp_path / "home" / "tiny.keras")
    x = np.ones((1, 3), np.float32)
    np.testing.assert_allclose(back(x, training=False), model(x, training=False), rtol=1e-6)


def _digit(value: float) -> np.ndarray:
    img = np.zeros((28, 28), np.float32)
    img[8:20, 12:16] = value
    return img


def test_your_drawings_come_with_labels_and_never_another_students(tmp_path):
    drawings.save_drawing(_digit(1.0), 7, tmp_path, owner=ANA)
    drawings.save_drawing(_digit(0.5), 3, tmp_path, owner=ANA)
    drawings.save_drawing(_digit(1.0), 9, tmp_path, owner=BEA)
    drawings.save_drawing(_digit(1.0), 4, tmp_path)  # from before owners: nobody's
    with zipfile.ZipFile(io.BytesIO(downloads.drawings_zip(ANA, tmp_path))) as z:
        names = sorted(z.namelist())
        rows = z.read("labels.csv").decode().splitlines()
        pngs = {n: np.asarray(Image.open(io.BytesIO(z.read(n)))) for n in names if n.endswith(".png")}
    assert len(pngs) == 2 and rows[0] == "file,label" and len(rows) == 3
    assert {r.split(",")[1] for r in rows[1:]} == {"7", "3"}  # not 9 (Bea's), not 4 (nobody's)
    for row in rows[1:]:
        name, label = row.split(",")
        assert name.startswith(f"{label}/") and pngs[name].shape == (28, 28) and pngs[name].max() > 100
    with zipfile.ZipFile(io.BytesIO(downloads.drawings_zip(BEA, tmp_path))) as z:
        assert [n for n in z.namelist() if n.endswith(".png")] == ["9/drawing-001.png"]


@pytest.mark.parametrize("owner", ["", "!!!"])
def test_no_owner_is_never_the_whole_class(tmp_path, owner):
    drawings.save_drawing(_digit(1.0), 7, tmp_path, owner=ANA)
    with pytest.raises(InputError):
        downloads.drawings_zip(owner, tmp_path)
    with pytest.raises(InputError):
        downloads.own_models([], owner)


def test_no_drawings_gives_a_zip_with_only_the_header(tmp_path):
    with zipfile.ZipFile(io.BytesIO(downloads.drawings_zip(ANA, tmp_path))) as z:
        assert z.namelist() == ["labels.csv"] and z.read("labels.csv").decode().strip() == "file,label"


def test_grid_png_tiles_enlarges_and_scales_each_map():
    maps = [np.arange(12, dtype=np.float32).reshape(3, 4) * k for k in (1, 2, -1)] + [np.zeros((3, 4))]
    img = np.asarray(Image.open(io.BytesIO(downloads.grid_png(maps, columns=2, scale=2, gap=1))))
    assert img.shape == (2 * 6 + 1, 2 * 8 + 1)
    first = img[:6, :8]
    assert first[0, 0] == 0 and first[-1, -1] == 255 and first[0, 1] == 0  # 2x2 blocks, own range
    np.testing.assert_array_equal(img[:6, 9:], first)  # x2 has the same picture once scaled on its own
    assert img[0, 8] == 255 and img[6, 0] == 255  # the white gaps
    assert img[7, 0] == 255 and img[-1, 7] == 0  # -x: the same picture reversed
    assert (img[7:, 9:] == 128).all()  # a flat map is mid grey


def test_grid_png_shared_range_and_bad_input():
    a, b = np.zeros((2, 2)), np.ones((2, 2))
    img = np.asarray(Image.open(io.BytesIO(downloads.grid_png([a, b], columns=2, scale=1, gap=0, each=False))))
    assert img[:, :2].max() == 0 and img[:, 2:].min() == 255
    with pytest.raises(ValueError):
        downloads.grid_png([np.zeros((2, 2)), np.zeros((3, 3))])
    with pytest.raises(ValueError):
        downloads.grid_png([])


def test_the_playground_script_starts_with_its_link():
    text = downloads.playground_script("print('hi')\n", "http://lab/playground?data=xor").decode()
    assert text.startswith("# Open this network in the Neural Network Lab:\n# http://lab/playground?data=xor")
    assert text.endswith("print('hi')\n")
    compile(text, "script.py", "exec")
