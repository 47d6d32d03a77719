"""Recurrent networks: builders, the adding problem, gradients through time, LSTM gates vs Keras."""

import ast

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from core import i18n, recipes  # noqa: E402
from core.backends import kinds as job_kinds  # noqa: E402
from core.jobs import codec as job_codec  # noqa: E402
from core.jobs.context import PrintContext  # noqa: E402
from lab.recurrent import model as rnn  # noqa: E402
from lab.recurrent import training as rt  # noqa: E402


@pytest.mark.parametrize("cell", rnn.CELLS)
def test_row_reader_reads_28_rows_and_replays_its_own_answer(cell):
    keras.utils.set_random_seed(1)
    model = rnn.build_row_reader(cell, 8)
    assert model.input_shape == (None, 28, 28) and model.output_shape == (None, 10)
    assert rnn.cell_of(model) == cell
    image = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    found = rnn.steps(model, image)
    assert found["hidden"].shape == (28, 8) and found["probs"].shape == (28, 10)
    np.testing.assert_allclose(found["probs"][-1], np.asarray(model(image[None], training=False))[0], atol=1e-5)
    np.testing.assert_allclose(found["probs"].sum(axis=1), 1, atol=1e-5)
    # the state after row 5 does not depend on rows 6..28
    changed = image.copy()
    changed[5:] = 1 - changed[5:]
    np.testing.assert_allclose(rnn.steps(model, changed)["hidden"][:5], found["hidden"][:5], atol=1e-6)
    assert not np.allclose(rnn.steps(model, changed)["hidden"][5:], found["hidden"][5:])


def test_state_dropout_acts_only_while_training():
    keras.utils.set_random_seed(1)
    model = rnn.build_row_reader("lstm", 8, dropout=0.5)
    assert model.get_layer("state_dropout").rate == 0.5
    image = np.random.default_rng(0).random((1, 28, 28)).astype(np.float32)
    still = np.asarray(model(image, training=False))[0]
    np.testing.assert_allclose(rnn.steps(model, image[0])["probs"][-1], still, atol=1e-5)  # replay skips it
    trained = np.stack([np.asarray(model(image, training=True))[0] for _ in range(8)])
    assert not np.allclose(trained, still, atol=1e-4)  # some draw dropped a unit
    with pytest.raises(ValueError):
        rt.ReaderConfig(dropout=0.95).validate()


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        rnn.build_row_reader("transformer")
    with pytest.raises(ValueError):
        rnn.as_rows(np.zeros((2, 28, 27)))
    with pytest.raises(ValueError):
        rnn.adding_data(10, 2)
    with pytest.raises(ValueError):
        rt.ReaderConfig(units=0).validate()
    with pytest.raises(ValueError):
        job_kinds.check("rnn_adding", {"length": 5000})
    job_kinds.check("rnn_reader", {"cell": "gru", "epochs": 2})


def test_settling_row():
    probs = np.eye(10)[[3, 3, 5, 7, 7, 7]]
    assert rnn.settling_row(probs) == 4
    assert rnn.settling_row(np.eye(10)[[2, 2]]) == 1


@pytest.mark.parametrize("length", [10, 57, 200])
def test_adding_data_marks_one_early_and_one_late_step(length):
    x, y = rnn.adding_data(500, length, seed=3)
    assert x.shape == (500, length, 2) and y.shape == (500,)
    markers = x[..., 1]
    assert np.all(markers.sum(axis=1) == 2) and set(np.unique(markers)) == {0.0, 1.0}
    first = markers.argmax(axis=1)
    last = length - 1 - markers[:, ::-1].argmax(axis=1)
    assert np.all(first < max(1, length // 10)) and np.all(last >= length // 2)
    np.testing.assert_allclose(y, (x[..., 0] * markers).sum(axis=1), rtol=1e-6)
    assert np.all((x[..., 0] >= 0) & (x[..., 0] < 1))


def test_always_answering_one_scores_a_sixth():
    _, y = rnn.adding_data(200_000, 20, seed=0)
    assert abs(np.mean((y - 1.0) ** 2) - rnn.ADDING_BASELINE_MSE) < 0.003
    assert rnn.SOLVED_MSE == pytest.approx(0.3 * rnn.ADDING_BASELINE_MSE)  # the docstring says so
    for lang in i18n.LANGUAGES:
        text = i18n.translator(lang)("recurrent.memory.explain")
        assert "1/6" in text and i18n.format_number(rnn.SOLVED_MSE, lang, ".2f") in text


def test_gradient_per_step_matches_finite_differences():
    keras.utils.set_random_seed(0)
    model = rnn.build_adding_model("simple_rnn", 6, units=4)
    x, y = rnn.adding_data(3, 6, seed=1)
    grad = rnn.gradient_per_step(model, x, y)
    assert grad.shape == (6,)

    def loss(xx):
        return float(np.mean((np.asarray(model(xx, training=False))[:, 0] - y) ** 2))

    eps, norms = 1e-2, np.zeros((3, 6))
    for n in range(3):
        for t in range(6):
            g = []
            for c in range(2):
                up, down = x.copy(), x.copy()
                up[n, t, c] += eps
                down[n, t, c] -= eps
                g.append((loss(up) - loss(down)) / (2 * eps))
            norms[n, t] = np.hypot(*g)
    np.testing.assert_allclose(grad, norms.mean(axis=0), rtol=0.05, atol=1e-6)


def test_untrained_simple_rnn_gradient_fades_towards_the_first_steps():
    grads = rnn.fresh_gradients(50, units=16, n=16)
    assert set(grads) == set(rnn.CELLS)
    assert grads["simple_rnn"][0] < 1e-2 * grads["simple_rnn"][-1]


def test_lstm_by_hand_matches_keras():
    keras.utils.set_random_seed(2)
    model = rnn.build_row_reader("lstm", 6)
    layer = model.get_layer("rnn")
    rng = np.random.default_rng(0)
    layer.set_weights([w + rng.normal(0, 0.3, w.shape) for w in layer.get_weights()])  # a non-default bias too
    image = rng.random((28, 28)).astype(np.float32)
    gates = rnn.lstm_gates(model, image)
    seq = keras.layers.LSTM(6, return_sequences=True, return_state=True)
    seq.build((None, 28, 28))
    seq.set_weights(layer.get_weights())
    hidden, _, cell = (np.asarray(a) for a in seq(image[None]))
    np.testing.assert_allclose(gates["hidden"], hidden[0], atol=1e-5)
    np.testing.assert_allclose(gates["cell"][-1], cell[0], atol=1e-5)
    for name in ("input", "forget", "output"):
        assert gates[name].shape == (28, 6) and gates[name].min() >= 0 and gates[name].max() <= 1
    with pytest.raises(ValueError):
        rnn.lstm_gates(rnn.build_row_reader("gru", 4), image)


def test_reader_training_saves_a_model_with_a_card(tmp_path):
    entry = rt.train(PrintContext(every=1000), rt.ReaderConfig(cell="gru", units=8, epochs=1, max_train=300,
                                                              max_test=200, name="tiny"), tmp_path, "test")
    assert entry.path.is_file() and entry.card["kind"] == "rnn" and entry.card["cell"] == "gru"
    assert entry.card["data"] == {"source": "bundled", "train": 270, "validation": 30, "test": 200}
    assert 0 <= entry.card["test_accuracy"] <= 1 and entry.card["epochs_done"] == 1


def test_adding_race_reports_every_cell():
    class Ctx(PrintContext):
        extras = {}

        def set_extra(self, key, value):
            self.extras[key] = value

    ctx = Ctx(every=1000)
    config = {"length": 8, "epochs": 1, "n_train": 64, "units": 4}
    curves = job_kinds.build("rnn_adding", config)(ctx)  # what a queue worker runs
    assert set(curves) == set(rnn.CELLS) and all(len(v) == 1 for v in curves.values())
    assert set(ctx.extras["gradients"]) == set(rnn.CELLS) and len(ctx.extras["gradients"]["lstm"]) == 8
    for value in ctx.extras.values():  # the extras travel through a queue backend unchanged
        assert job_codec.decode(job_codec.encode(value)) == value


def test_imdb_recipe_runs_with_a_stand_in_for_the_download(monkeypatch):
    tree = ast.parse(recipes.IMDB_RECIPE)
    assert "imdb" in recipes.IMDB_RECIPE and "LSTM(32)" in recipes.IMDB_RECIPE
    rng = np.random.default_rng(0)
    reviews = [list(rng.integers(1, 10000, rng.integers(5, 300))) for _ in range(16)]
    labels = rng.integers(0, 2, 16)
    monkeypatch.setattr(keras.datasets.imdb, "load_data",
                        lambda num_words: ((reviews, labels), (reviews[:4], labels[:4])))
    calls = {}
    monkeypatch.setattr(keras.Model, "fit", lambda self, *a, **k: calls.setdefault("fit", k))
    namespace = {}
    exec(compile(tree, "imdb_recipe", "exec"), namespace)  # noqa: S102 - our own recipe text
    model = namespace["model"]
    assert model.output_shape == (None, 1) and namespace["x_train"].shape == (16, 200)
    assert calls["fit"]["epochs"] == 10
