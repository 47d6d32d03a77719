"""The teach job: a student's project → a saved model with its card; the exported script
classifies with it; refusals before any training."""

import json
import subprocess
import sys
from dataclasses import asdict

import numpy as np
import pytest

pytest.importorskip("keras")

from core.errors import InputError  # noqa: E402
from core.jobs.context import PrintContext  # noqa: E402
from core.models import transfer  # noqa: E402
from lab.teach import bundle, hands, storage, training  # noqa: E402

pytestmark = pytest.mark.skipif(not transfer.BASE.is_file(), reason="no shipped digit CNN")
NAMES = ("plus", "minus", "times")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    return tmp_path


def test_config_is_checked_without_keras_and_registered_as_a_kind():
    from core.backends import kinds

    training.check_config(asdict(training.TeachConfig(owner="a1")))
    with pytest.raises(ValueError):
        training.check_config({"owner": "a1", "epochs": 0})
    with pytest.raises(ValueError):
        training.check_config({"owner": "a1", "colour": "red"})
    assert kinds.LESSON_KINDS[training.KIND] == "lab.teach.training"
    kinds.check(training.KIND, asdict(training.TeachConfig(owner="a1")))


def test_too_few_examples_is_refused_before_training():
    a = storage.add_class("eve1", "a")
    storage.add_class("eve1", "b")
    storage.add_example("eve1", a.id, np.eye(28, dtype=np.float32))
    with pytest.raises(InputError) as e:
        training.train(PrintContext(), training.TeachConfig(owner="eve1", epochs=1))
    assert e.value.code == "teach.too_few_examples"


def test_trains_saves_with_card_and_the_script_reads_it(tmp_path):
    x, y = hands.drawings(NAMES, 6, [0], seed=0)
    storage.replace("amy1", list(NAMES), [x[y == i] / 255.0 for i in range(len(NAMES))])
    result = training.train(PrintContext(), training.TeachConfig(owner="amy1", epochs=6))
    from core.storage import store

    entry = next(e for e in store.list_models(kind="teach") if e.name == training.model_name("amy1"))
    assert entry.card["classes"] == list(NAMES) and entry.card["way"] == "finetune"
    assert entry.card["owner"] == "amy1" and entry.card["examples"] == [6, 6, 6]
    assert result["train_accuracy"] >= 0.8  # it learnt its own examples
    model = store.load_model(entry.path)
    assert model.output_shape[-1] == 3
    # the exported script, run as a student would at home, on a drawing of a minus sign
    (tmp_path / "classify.py").write_text(bundle.SCRIPT)
    (tmp_path / "card.json").write_text(json.dumps(entry.card))
    from PIL import Image

    img = np.full((200, 200), 255, np.uint8)
    img[95:108, 30:170] = 0  # dark ink on light paper
    Image.fromarray(img).save(tmp_path / "minus.png")
    out = subprocess.run([sys.executable, "classify.py", str(entry.path), "card.json", "minus.png"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[0] == "minus", out.stdout
