"""AppTest of the take-home downloads on the pages: a student gets a download for their own model
and their own drawings only (the files' contents: tests/unit/test_downloads.py), the playground
its script, the convolution page its output as a PNG."""

import numpy as np
import pytest

pytest.importorskip("keras")

from core.storage import drawings  # noqa: E402
from tests.app.helpers import assert_clean, open_page  # noqa: E402
from tests.app.test_class_safety import session  # noqa: E402

ANA, BOB = "ana000000001", "bob000000002"


def _downloads(at) -> dict[str, str]:
    return {b.proto.id.split("-", 2)[-1]: b.proto.label for b in at.get("download_button")}


@pytest.fixture
def two_students(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_MODELS_DIR", str(tmp_path))
    from core.paths import atomic_write_json

    for name, owner in (("cnn-ana", ANA), ("cnn-bob", BOB)):
        (tmp_path / f"{name}.keras").write_bytes(b"PK not loaded here")
        atomic_write_json(tmp_path / f"{name}.json", {"kind": "cnn", "owner": owner, "saved": "2026-12-06 12:00:00",
                                                     "test_accuracy": 0.9})
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    made = [drawings.save_drawing(digit, 1, owner=ANA), drawings.save_drawing(digit, 7, owner=BOB),
            drawings.save_drawing(digit, 7, owner=BOB)]
    yield
    for path in made:
        path.unlink(missing_ok=True)


def test_a_student_downloads_only_their_own_model_and_drawings(two_students):
    ana = session(ANA)
    assert_clean(ana)
    found = _downloads(ana)
    assert "classifier_download_model_cnn-ana" in found and "classifier_download_model_cnn-bob" not in found
    assert not any(k.startswith("classifier_download_model_cnn-") and "ana" not in k for k in found)  # no shipped
    assert "(1," in found["classifier_download_drawings"]  # Ana kept one; Bob's two are not hers
    bob = session(BOB)
    found = _downloads(bob)
    assert "classifier_download_model_cnn-bob" in found and "classifier_download_model_cnn-ana" not in found
    assert "(2," in found["classifier_download_drawings"]


def test_the_playground_offers_its_script_and_the_convolution_page_a_png():
    at = open_page("playground", lang="es")
    assert_clean(at)
    assert "script de Keras" in _downloads(at)["playground_download_script"]
    at = open_page("convolution")
    assert_clean(at)
    assert _downloads(at)["convolution_output_png"] == "Download as PNG"
