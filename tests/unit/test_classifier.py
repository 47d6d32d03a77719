"""core.models.classifier: the thesis architectures, predictions, evaluation helpers, shipped models."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from core.maths import evaluation  # noqa: E402
from core.models import classifier, explain  # noqa: E402
from core.storage.mnist import load_mnist  # noqa: E402


def test_thesis_parameter_counts():
    assert classifier.build_model("mlp").count_params() == 118_282  # as in the thesis
    assert classifier.build_model("cnn").count_params() == 140_682  # thesis says 280,010 (Conv64→Conv128)
    conv128 = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(64, 3), keras.layers.MaxPooling2D(),
                                keras.layers.Conv2D(128, 3), keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                                keras.layers.Dense(64), keras.layers.Dense(10)])
    assert conv128.count_params() == 280_010
    # augmentation layers add no weights
    assert classifier.build_model("mlp", augment=True).count_params() == 118_282


def test_unknown_kind_and_optimizer_raise():
    with pytest.raises(ValueError, match="kind"):
        classifier.build_model("resnet")
    with pytest.raises(ValueError, match="optimizer"):
        classifier.make_optimizer("adagrad", 0.01)


@pytest.mark.parametrize("shape", [(28, 28), (3, 28, 28), (3, 28, 28, 1)])
def test_predict_proba_shapes(shape):
    model = classifier.build_model("cnn")
    probs = classifier.predict_proba(model, np.random.rand(*shape).astype("float32"))
    n = 1 if len(shape) == 2 else 3
    assert probs.shape == (n, 10)
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)


def test_compiled_inference_matches_the_eager_call_and_traces_once():
    model = classifier.build_model("cnn", augment=True)  # augmentation must be off at inference
    x = np.random.default_rng(0).random((7, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(classifier.predict_proba(model, x), np.asarray(model(x, training=False)),
                               rtol=1e-5, atol=1e-6)
    for n in (1, 3, 2500):  # any batch size (and the batched path) reuses the one graph
        assert classifier.predict_proba(model, x[:1].repeat(n, 0)).shape == (n, 10)
    assert classifier.inference(model).experimental_get_tracing_count() == 1
    model.layers[-1].kernel.assign(np.zeros_like(model.layers[-1].kernel))  # new weights are seen
    np.testing.assert_allclose(classifier.predict_proba(model, x), np.asarray(model(x, training=False)),
                               rtol=1e-5, atol=1e-6)


def test_predict_proba_rejects_bad_input():
    model = classifier.build_model("mlp")
    with pytest.raises(ValueError, match="shape"):
        classifier.predict_proba(model, np.zeros((2, 32, 32)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        classifier.predict_proba(model, np.full((1, 28, 28), 255.0))


def test_ensemble_averages_members():
    a, b = classifier.build_model("mlp", name="a"), classifier.build_model("mlp", name="b")
    x = np.random.rand(4, 28, 28, 1).astype("float32")
    both = classifier.build_ensemble([a, b])
    np.testing.assert_allclose(classifier.predict_proba(both, x),
                               (np.asarray(a(x)) + np.asarray(b(x))) / 2, atol=1e-6)


def test_confusion_precision_recall_against_a_table():
    y_true = np.array([0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2])
    cm = evaluation.confusion_matrix(y_true, y_pred, classes=3)
    assert cm.tolist() == [[1, 1, 0], [0, 2, 1], [0, 0, 1]]
    precision, recall = evaluation.precision_recall(cm)
    np.testing.assert_allclose(precision, [1, 2 / 3, 1 / 2])
    np.testing.assert_allclose(recall, [1 / 2, 2 / 3, 1])


def test_most_confidently_wrong_orders_by_confidence():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.05, 0.95]])
    y = np.array([0, 0, 0, 1])  # rows 1 and 2 are wrong; row 1 more confidently
    assert evaluation.most_confidently_wrong(probs, y, k=5).tolist() == [1, 2]


def test_summary_round_trips_through_a_card():
    probs = np.random.default_rng(0).dirichlet(np.ones(10), 50)
    y = np.random.default_rng(1).integers(0, 10, 50)
    summary = evaluation.evaluation_summary(probs, y)
    pred, conf = evaluation.card_predictions({"test": summary})
    assert (pred == probs.argmax(1)).all()
    np.testing.assert_allclose(conf, probs.max(1), atol=6e-4)
    assert summary["test_accuracy"] == pytest.approx((pred == y).mean())


def test_layer_table_and_feature_maps():
    model = classifier.build_model("cnn")
    rows = classifier.layer_table(model)
    assert sum(r["params"] for r in rows) == model.count_params()
    assert rows[0]["output"] == "(N, 26, 26, 64)"
    maps = explain.feature_maps(model, np.random.rand(28, 28).astype("float32"), max_maps=8)
    assert [m.shape for _, m in maps][:2] == [(8, 26, 26), (8, 13, 13)]
    assert explain.feature_maps(classifier.build_model("mlp"), np.zeros((28, 28))) == []
    assert explain.occlusion_map(model, np.random.rand(28, 28).astype("float32")).shape == (28, 28)


shipped = pytest.mark.skipif(not classifier.shipped_entries(), reason="no shipped classifier models yet")


@shipped
def test_shipped_models_read_test_digits():
    _, (x, y) = load_mnist(prefer_full=False)
    x, y = x[:500].astype("float32") / 255.0, y[:500]
    best = classifier.load_classifier()
    assert classifier.default_entry().card["test_accuracy"] == max(
        e.card["test_accuracy"] for e in classifier.shipped_entries())
    assert (classifier.predict_proba(best, x).argmax(1) == y).mean() > 0.97
    for entry in classifier.shipped_entries():
        model = classifier.load_classifier(entry.kind)
        assert (classifier.predict_proba(model, x).argmax(1) == y).mean() > 0.93
        assert {"command", "epochs", "train_seconds", "device", "test"} <= set(entry.card)


def test_occlusion_map_skips_only_empty_patches():
    """Same map as blanking every patch position (empty patches change nothing)."""
    import keras

    keras.utils.set_random_seed(3)
    model = classifier.build_model("mlp")
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0  # a "1"
    x = digit
    base = classifier.predict_proba(model, x)[0]
    top = int(base.argmax())
    heat, count = np.zeros((28, 28)), np.zeros((28, 28))
    for r in range(0, 25, 2):
        for c in range(0, 25, 2):
            blanked = x.copy()
            blanked[r:r + 4, c:c + 4] = 0.0
            heat[r:r + 4, c:c + 4] += base[top] - classifier.predict_proba(model, blanked)[0, top]
            count[r:r + 4, c:c + 4] += 1
    np.testing.assert_allclose(explain.occlusion_map(model, digit), heat / count, atol=1e-5)


def test_cached_explanations_are_computed_once_and_shared():
    model = classifier.build_model("cnn")
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    first = explain.cached_occlusion(model, digit)
    misses = explain._occlusions.misses
    again = explain.cached_occlusion(model, digit.copy())  # another session, the same drawing
    assert again is first and explain._occlusions.misses == misses
    other = digit.copy()
    other[2, 2] = 1.0
    assert explain.cached_occlusion(model, other) is not first
    assert explain.cached_feature_maps(model, digit) is explain.cached_feature_maps(model, digit.copy())


def test_one_member_occlusion_is_the_members_own_map():
    keras.utils.set_random_seed(1)
    a, b = classifier.build_model("mlp", name="a"), classifier.build_model("mlp", name="b")
    both = classifier.build_ensemble([a, b])
    assert explain.members(both) == [a, b] and explain.members(a) == [a]
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    np.testing.assert_allclose(explain.cached_occlusion(both, digit, one_member=True),
                               explain.occlusion_map(a, digit), atol=1e-6)
