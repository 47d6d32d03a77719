"""Taking a teach project home and back: the zip round trip, what import refuses, and that a
model file in the zip is never read."""

import io
import json
import zipfile

import numpy as np
import pytest

from core.errors import InputError
from lab.teach import bundle


def examples(k: int, value: int) -> np.ndarray:
    x = np.zeros((k, 28, 28), np.uint8)
    x[:, 10:18, 5 + value:9 + value] = 255
    return x


def test_round_trip_keeps_names_order_and_pixels():
    data = bundle.export_zip(["círculo", "arrow"], [examples(3, 0), examples(2, 9)],
                             {"classify.py": bundle.SCRIPT.encode()})
    names, groups = bundle.import_zip(data)
    assert names == ["círculo", "arrow"]
    assert [len(g) for g in groups] == [3, 2]
    assert np.allclose(groups[1][0], examples(1, 9)[0] / 255.0)


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_model_file_in_the_zip_is_never_opened(monkeypatch):
    data = bundle.export_zip(["a", "b"], [examples(1, 0), examples(1, 4)],
                             {"model.keras": b"not even a zip", "card.json": b"{}"})
    opened = []
    real = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, *a: opened.append(getattr(name, "filename", name))
                        or real(self, name, *a))
    names, _ = bundle.import_zip(data)
    assert names == ["a", "b"]
    assert "model.keras" not in opened and "card.json" not in opened and "classes.json" in opened


META = json.dumps({"format": bundle.FORMAT, "classes": ["a", "b"]})


@pytest.mark.parametrize("data, code", [
    (b"PK\x03\x04 broken", "teach.bad_zip"),
    (b"hello", "teach.bad_zip"),
    (_zip({"examples/0/1.png": b""}), "teach.zip_no_classes"),
    (_zip({"classes.json": json.dumps({"classes": ["a"]})}), "teach.zip_no_classes"),
    (_zip({"classes.json": json.dumps({"format": bundle.FORMAT, "classes": ["a", "A"]})}), "teach.duplicate_name"),
    (_zip({"classes.json": META, "examples/0/1.png": b"not a png"}), "teach.zip_image"),
    (_zip({"classes.json": META, "examples/5/1.png": b"x"}), "teach.zip_image"),
])
def test_bad_zips_are_refused_with_a_code(data, code):
    with pytest.raises(InputError) as e:
        bundle.import_zip(data)
    assert e.value.code == code


def test_a_big_picture_is_not_an_example_and_huge_zips_are_refused(monkeypatch):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (64, 64)).save(buf, "PNG")
    with pytest.raises(InputError) as e:
        bundle.import_zip(_zip({"classes.json": META, "examples/0/big.png": buf.getvalue()}))
    assert e.value.code == "teach.zip_image"
    monkeypatch.setattr(bundle, "MAX_ZIP_BYTES", 10)
    with pytest.raises(InputError) as e:
        bundle.import_zip(_zip({"classes.json": META}))
    assert e.value.code == "teach.zip_large"


def test_card_names_the_classes_and_the_script_reads_them_from_it():
    card = bundle.card(["a", "b"], [4, 5], {"seconds": 1.0}, "CPU")
    assert card["kind"] == "teach" and card["classes"] == ["a", "b"] and card["examples"] == [4, 5]
    assert '["classes"]' in bundle.SCRIPT and "training=False" in bundle.SCRIPT
    compile(bundle.SCRIPT, "classify.py", "exec")
