"""Transfer learning: the symbols (starter set, kept drawings), the three ways, PCA, the VGG recipe."""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from core import errors, i18n, recipes  # noqa: E402
from core.backends import kinds as job_kinds  # noqa: E402
from core.jobs import codec as job_codec  # noqa: E402
from core.jobs.context import PrintContext  # noqa: E402
from core.models import transfer as tr  # noqa: E402
from core.storage import symbols  # noqa: E402
from core.training import transfer as training  # noqa: E402


def test_generated_symbols_look_like_canvas_drawings():
    x, y = symbols.generate(3, seed=5)
    assert x.shape == (15, 28, 28) and x.dtype == np.uint8
    assert list(y) == [i for i in range(5) for _ in range(3)]
    assert all(img.max() == 255 for img in x)  # preprocessed: the strongest stroke is 1
    ink = (x > 64).sum(axis=(1, 2))
    assert ink[y == 1].mean() < ink[y == 0].mean()  # a minus has less ink than a plus
    again, _ = symbols.generate(3, seed=5)
    np.testing.assert_array_equal(x, again)


def test_the_starter_set_matches_its_card():
    x, y = symbols.starter_set()
    card = json.loads(symbols.STARTER.with_suffix(".json").read_text())
    assert len(x) == card["images"] == card["per_symbol"] * len(symbols.SYMBOLS)
    assert card["command"].startswith("python -m core.storage.symbols")
    regenerated, labels = symbols.generate(card["per_symbol"], card["seed"])
    np.testing.assert_array_equal(labels, y)
    assert np.mean(np.abs(regenerated.astype(int) - x.astype(int))) < 1.0  # the command made this file


def test_kept_drawings_round_trip_and_only_they_can_be_deleted(tmp_path):
    img = np.zeros((28, 28), np.float32)
    img[10:18, 4:24] = 1.0
    path = symbols.save_symbol(img, "minus", tmp_path)
    found = symbols.list_symbols(tmp_path)
    assert [d.label for d in found] == [symbols.SYMBOLS.index("minus")] and found[0].image.max() == 255
    (tmp_path / "symbol-plus-x.png").write_bytes(b"not a png")  # skipped, not a crash
    assert len(symbols.list_symbols(tmp_path)) == 1
    x, y = symbols.load_symbols(tmp_path)
    assert x.shape == (1, 28, 28) and list(y) == [1]
    with pytest.raises(ValueError):
        symbols.save_symbol(img, "percent", tmp_path)
    with pytest.raises(ValueError):
        symbols.delete_symbol(tmp_path / "elsewhere.png", tmp_path)
    symbols.delete_symbol(path, tmp_path)
    assert symbols.list_symbols(tmp_path) == []


def test_pca_matches_the_covariance_eigenvectors():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(200, 5)) @ np.diag([5.0, 2.0, 1.0, 0.5, 0.1]) + 3.0
    proj, share = tr.pca_2d(points)
    eigenvalues = np.linalg.eigvalsh(np.cov(points.T))[::-1]
    np.testing.assert_allclose(proj.var(axis=0, ddof=1), eigenvalues[:2], rtol=1e-6)
    np.testing.assert_allclose(share, eigenvalues[:2] / eigenvalues.sum(), rtol=1e-6)
    np.testing.assert_allclose(proj.mean(axis=0), 0, atol=1e-9)
    with pytest.raises(ValueError):
        tr.pca_2d(np.zeros((1, 3)))


def test_three_ways_train_what_they_say():
    base = tr.load_base()
    n_base = {layer.name: int(layer.count_params()) for layer in base.layers}
    head = (1600 * 64 + 64) + (64 * 5 + 5)
    built = {way: tr.build(way, base) for way in tr.WAYS}
    assert tr.trainable_count(built["scratch"]) == n_base["conv_1"] + n_base["conv_2"] + head
    assert tr.trainable_count(built["features"]) == head
    assert tr.trainable_count(built["finetune"]) == n_base["conv_2"] + head
    assert tr.features(base, np.zeros((2, 28, 28), np.uint8)).shape == (2, 1600)
    # fine-tuning starts from the pre-trained weights; from scratch does not
    conv = base.get_layer("conv_2").get_weights()[0]
    np.testing.assert_array_equal(built["finetune"].get_layer("base").get_layer("conv_2").get_weights()[0], conv)
    assert not np.allclose(built["scratch"].get_layer("base").get_layer("conv_2").get_weights()[0], conv)


def test_training_the_three_ways_never_changes_the_shipped_base(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_MODELS_DIR", str(tmp_path))
    base = tr.load_base()
    before = [w.copy() for w in base.get_weights()]
    x, y = symbols.generate(4, seed=1)
    d = training.split(x, y, 2, seed=0)
    results = training.train_three(PrintContext(every=1000), training.TransferConfig(per_symbol=2, epochs=2, batch_size=5), d)
    for old, new in zip(before, base.get_weights()):
        np.testing.assert_array_equal(old, new)
    assert set(results) == set(tr.WAYS)
    assert job_codec.decode(job_codec.encode(results)) == results  # the job's extra, through a queue backend
    for r in results.values():
        assert len(r["history"]["val_accuracy"]) == 2 and 0 <= r["held_out_accuracy"] <= 1
        assert r["train"] == 10 and r["held_out"] == 10
    found = tr.latest_models()
    assert set(found) == set(tr.WAYS) and found["features"].card["way"] == "features"
    models = {w: keras.saving.load_model(e.path) for w, e in found.items()}
    probs = tr.answer(models, x[0] / 255.0)
    assert all(p.shape == (5,) and abs(p.sum() - 1) < 1e-4 for p in probs.values())


def test_too_few_drawings_is_a_translated_error():
    x, y = symbols.generate(3, seed=0)
    with pytest.raises(errors.InputError) as info:
        training.split(x, y, 3)
    assert "+" in errors.message(i18n.translator("es"), info.value)
    job_kinds.check("transfer", {"per_symbol": 5, "epochs": 3})
    with pytest.raises(ValueError):
        job_kinds.check("transfer", {"epochs": 0})


def test_vgg_recipe_runs_with_stand_ins_for_the_downloads(monkeypatch):
    import tensorflow as tf

    text = recipes.VGG_RECIPE
    assert "layers[:12]" in text and "learning_rate=1e-5" in text and 'include_top=False' in text
    real = {"VGG16": keras.applications.VGG16, "VGG19": keras.applications.VGG19}
    made = {}

    def stand_in(name):
        def build(weights, **kwargs):
            made[name] = real[name](weights=None, **kwargs)  # same network, no download
            return made[name]
        return build

    passes = []  # one entry each time a folder's images are read from start to end

    def images(folder, image_size, label_mode, batch_size):
        y = np.zeros((2, 1), np.float32) if label_mode == "binary" else np.eye(2, dtype=np.float32)

        def read():
            passes.append((folder, image_size))
            yield np.zeros((2, *image_size, 3), np.float32), y

        spec = (tf.TensorSpec((2, *image_size, 3), tf.float32), tf.TensorSpec(y.shape, tf.float32))
        return tf.data.Dataset.from_generator(read, output_signature=spec)

    fits = []
    monkeypatch.setattr(keras.applications, "VGG16", stand_in("VGG16"))
    monkeypatch.setattr(keras.applications, "VGG19", stand_in("VGG19"))
    monkeypatch.setattr(keras.utils, "get_file", lambda *a, **k: "/nowhere")
    monkeypatch.setattr(keras.utils, "image_dataset_from_directory", images)
    monkeypatch.setattr(keras.Model, "fit", lambda self, *a, **k: fits.append((self, a, k)))
    namespace = {}
    exec(compile(text, "vgg_recipe", "exec"), namespace)  # noqa: S102 - our own recipe text
    assert not made["VGG16"].trainable
    assert [layer.trainable for layer in made["VGG19"].layers[:12]] == [False] * 12
    assert all(layer.trainable for layer in made["VGG19"].layers[12:])
    (head, (features, labels), k1), (model, (data,), k2) = fits
    # feature extraction: VGG16 ran over each folder once, before training; the head gets numbers
    assert sorted(passes) == [("/nowhere/cats_and_dogs_filtered/train", (150, 150)),
                              ("/nowhere/cats_and_dogs_filtered/validation", (150, 150))]
    assert isinstance(features, np.ndarray) and features.shape == (2, 4, 4, 512) and labels.shape == (2, 1)
    assert k1["validation_data"][0].shape == (2, 4, 4, 512) and k1["epochs"] == 30
    batch, _ = next(iter(data))
    assert batch.shape == (2, 256, 256, 3) and model.output_shape == (None, 2) and k2["epochs"] == 10


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_the_numbers_the_page_states(lang):
    t = i18n.translator(lang)
    base = tr.load_base()
    n_features = int(np.prod(base.get_layer(tr.FEATURE_LAYER).output.shape[1:]))
    assert n_features == 1600 and i18n.format_number(n_features, lang, ",") in t("transfer.features.explain")
    assert i18n.format_number(784, lang, ",") in t("transfer.features.pixels_title")
    assert "12" in t("transfer.recipe.explain") and "layers[:12]" in recipes.VGG_RECIPE
    assert i18n.format_number(0.00001, lang, ".5f") in t("transfer.recipe.explain")
    assert "learning_rate=1e-5" in recipes.VGG_RECIPE
