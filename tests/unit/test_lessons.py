"""Every number and formula the lessons state, recomputed (and found in both languages' text)."""

import math

import numpy as np
import pytest

from core import i18n
from lab.activations import maths as activations
from lab.convolution import maths as conv
from lab.convolution import maths_sizes as conv_sizes
from lab.gan import model as gan
from lab.perceptron.maths import GATES, INPUTS, train_perceptron

LANGS = list(i18n.LANGUAGES)


def text(lang: str, key: str) -> str:
    value = i18n.catalog(lang)[key]
    return value if isinstance(value, str) else " ".join(q["q"] + " " + q["a"] for q in value)


def number(value: float, lang: str, spec: str = "") -> str:
    return i18n.format_number(value, lang, spec)


# ---------------------------------------------------------------- convolution
def brute_window_counts(n, k, p, s):
    counts = np.zeros((n + 2 * p, n + 2 * p), int)
    for top in range(0, n + 2 * p - k + 1, s):
        for left in range(0, n + 2 * p - k + 1, s):
            counts[top:top + k, left:left + k] += 1
    return counts[p:p + n, p:p + n]


@pytest.mark.parametrize(("n", "k", "p", "s"), [(5, 3, 0, 1), (5, 3, 1, 1), (6, 3, 2, 1), (7, 5, 2, 2),
                                                 (8, 4, 1, 3), (28, 3, 1, 1), (9, 5, 4, 1)])
def test_window_counts_match_a_brute_force_count(n, k, p, s):
    np.testing.assert_array_equal(conv_sizes.window_counts(n, k, p, s), brute_window_counts(n, k, p, s))


@pytest.mark.parametrize("lang", LANGS)
def test_padding_does_not_equalise_windows_except_full_padding(lang):
    counts = conv_sizes.window_counts(28, 3, 1)
    corner, centre = counts[0, 0], counts[14, 14]
    assert (corner, centre) == (4, 9)
    for k in (2, 3, 5):
        full = conv_sizes.window_counts(10, k, k - 1)
        assert full.min() == full.max() == k * k  # only p = k − 1 treats every pixel alike
    for k in (3, 5, 7):  # "same" padding, p = (k − 1)/2, keeps the size but not the counts
        assert conv_sizes.window_counts(10, k, (k - 1) // 2).min() < k * k
    idea = text(lang, "convolution.lesson.idea")
    assert f" {corner} " in idea and f" {centre}." in idea and "k − 1" in idea


def test_transposed_output_size_matches_numpy_and_keras():
    keras = pytest.importorskip("keras")
    for n, k, s in [(3, 2, 1), (4, 3, 2), (7, 4, 2), (5, 5, 3), (6, 2, 2), (4, 1, 2)]:
        # p = 0: the numpy stamp operation; p > 0 crops p cells on each side
        assert conv_sizes.transposed_output_size(n, k, s, 0) == conv.conv2d_transpose(np.ones((n, n)), np.ones((k, k)), s).shape[0]
        for padding in ("valid", "same"):
            layer = keras.layers.Conv2DTranspose(1, k, strides=s, padding=padding)
            assert conv_sizes.transposed_output_size(n, k, s, padding) == layer.compute_output_shape((1, n, n, 1))[1], \
                (n, k, s, padding)
    assert conv_sizes.transposed_output_size(7, 4, 2, 1) == 2 * 6 + 4 - 2 == 14  # s(n − 1) + k − 2p
    with pytest.raises(ValueError, match="padding"):
        conv_sizes.transposed_output_size(2, 2, 1, 5)


@pytest.mark.parametrize("lang", LANGS)
def test_the_thesis_generator_grows_7_14_28(lang):
    pytest.importorskip("keras")
    generator = gan.build_generator("thesis")
    sides = [generator.get_layer(f"g_up{i}").output.shape[1] for i in (1, 2)]
    assert sides == [conv_sizes.transposed_output_size(7, 4, 2, "same"), conv_sizes.transposed_output_size(14, 4, 2, "same")]
    assert sides == [14, 28]
    intro = text(lang, "convolution.transpose.intro")
    assert "o = s(n − 1) + k − 2p" in intro and "7 → 14 → 28" in intro
    assert "s(n - 1) + k - 2p" in text(lang, "convolution.lesson.formula").replace("\\,", "").replace("s(", "s(")


def test_same_padding_gives_ceil_n_over_s_like_keras():
    keras = pytest.importorskip("keras")
    for n in range(5, 13):
        for s in (1, 2, 3):
            layer = keras.layers.Conv2D(1, 3, strides=s, padding="same")
            assert conv.output_size(n, 3, s, "same") == math.ceil(n / s) == layer.compute_output_shape((1, n, n, 1))[1]
    assert conv.output_size(9, 3, 2, "same") != 9  # "keeps the size" only at stride 1
    for lang in LANGS:
        assert "⌈n / s⌉" in text(lang, "convolution.kernel.padding_same")


# ---------------------------------------------------------------- classifier weights
def test_parameter_counts_of_the_thesis_networks():
    keras = pytest.importorskip("keras")
    from core.models import classifier

    cnn, mlp = classifier.build_cnn(), classifier.build_mlp()
    for model in (cnn, mlp):
        for layer in model.layers:
            if isinstance(layer, keras.layers.Conv2D):
                k, c_in = layer.kernel_size[0], layer.input.shape[-1]
                assert conv_sizes.conv_parameters(k, c_in, layer.filters) == layer.count_params(), layer.name
            elif isinstance(layer, keras.layers.Dense):
                assert conv_sizes.dense_parameters(layer.input.shape[-1], layer.units) == layer.count_params(), layer.name
    dense_after_flatten = cnn.get_layer("dense").count_params()
    assert (cnn.count_params(), mlp.count_params(), dense_after_flatten) == (140_682, 118_282, 102_464)
    assert conv_sizes.conv_parameters(3, 64, 64) == 36_928
    for lang in LANGS:
        lesson = text(lang, "classifier.lesson.idea") + text(lang, "classifier.lesson.questions")
        for value in (140_682, 118_282, 102_464):
            assert number(value, lang, ",") in lesson, (lang, value)
        assert number(36_928, lang, ",") in text(lang, "convolution.lesson.questions")
        assert "(k^2 C_{in} + 1)" in text(lang, "classifier.lesson.formula")


# ---------------------------------------------------------------- activations
@pytest.mark.parametrize("lang", LANGS)
def test_swish_is_negative_for_every_negative_x_with_minimum_about_minus_0_28(lang):
    swish = activations.get("swish")
    x = np.linspace(-20, -1e-6, 400_001)
    y = swish.f(x)
    assert np.all(y < 0)
    i = int(np.argmin(y))
    assert y[i] == pytest.approx(-0.2785, abs=1e-4) and x[i] == pytest.approx(-1.2785, abs=1e-3)
    note = text(lang, "activations.note.swish")
    assert number(round(float(x[i]), 2), lang).replace("-", "−") in note
    assert number(round(float(y[i]), 2), lang).replace("-", "−") in note


def test_backprop_is_the_product_of_transposed_weights_and_derivatives():
    """∂L/∂h₁ = W₂ᵀD₂ W₃ᵀD₃ … WₙᵀDₙ ∂L/∂hₙ (the lesson's formula), against finite differences."""
    rng = np.random.default_rng(0)
    sizes = [4, 5, 3, 6, 2]  # h1 (4) → h2 … h5 (2)
    weights = [rng.normal(size=(b, a)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    sig = activations.get("sigmoid")
    target = rng.normal(size=sizes[-1])

    def forward(h1):
        hs, zs = [h1], []
        for w, b in zip(weights, biases):
            zs.append(w @ hs[-1] + b)
            hs.append(sig.f(zs[-1]))
        return hs, zs

    def loss(h1):
        return 0.5 * float(np.sum((forward(h1)[0][-1] - target) ** 2))

    h1 = rng.normal(size=sizes[0])
    hs, zs = forward(h1)
    grad = hs[-1] - target  # ∂L/∂hₙ
    for w, z in zip(reversed(weights), reversed(zs)):
        grad = w.T @ (np.diag(sig.df(z)) @ grad)  # WₖᵀDₖ
    eps = 1e-6
    numeric = [(loss(h1 + eps * e) - loss(h1 - eps * e)) / (2 * eps) for e in np.eye(sizes[0])]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-9)
    # the derivatives alone are at most 0.25 per layer; the weights can make the product larger
    assert max(float(sig.df(z).max()) for z in zs) <= 0.25
    assert activations.derivative_chain("sigmoid", 10)[-1] == pytest.approx(0.25 ** 10)
    big = [10 * w for w in weights]
    assert np.linalg.norm(np.linalg.multi_dot([w.T for w in big[:2]])) > 1  # weights multiply in too
    for lang in LANGS:
        formula = text(lang, "activations.lesson.formula")
        assert "W_2^{\\top} D_2" in formula and "\\operatorname{diag}" in formula


# ---------------------------------------------------------------- GAN
@pytest.mark.parametrize("lang", LANGS)
def test_gan_equilibrium_numbers(lang):
    keras = pytest.importorskip("keras")
    half = np.full((8, 1), 0.5, np.float32)
    bce = keras.losses.BinaryCrossentropy()
    # the lab's discriminator loss: mean of the BCE on reals (label 1) and on fakes (label 0)
    d_loss = 0.5 * (float(bce(np.ones_like(half), half)) + float(bce(np.zeros_like(half), half)))
    assert d_loss == pytest.approx(math.log(2), rel=1e-5)
    value = math.log(0.5) + math.log(1 - 0.5)  # V(D, G) with D = ½ everywhere
    assert value == pytest.approx(-math.log(4))
    answer = text(lang, "gan.lesson.questions")
    assert "ln 2 ≈ " + number(math.log(2), lang, ".2f") in answer
    assert "−log 4 ≈ " + number(-math.log(4), lang, ".2f").replace("-", "−") in answer


def test_optimal_discriminator_is_p_data_over_p_data_plus_p_g():
    rng = np.random.default_rng(1)
    d = np.linspace(1e-4, 1 - 1e-4, 200_001)
    for p_data, p_g in rng.uniform(0.05, 3, size=(5, 2)):
        best = d[np.argmax(p_data * np.log(d) + p_g * np.log(1 - d))]  # V's integrand at one x
        assert best == pytest.approx(p_data / (p_data + p_g), abs=1e-4)
    for lang in LANGS:
        assert "D^*(x) = p_{\\text{data}}(x) / (p_{\\text{data}}(x) + p_g(x))" in text(lang, "gan.lesson.idea")


@pytest.mark.parametrize("lang", LANGS)
def test_linear_interpolation_midpoint_norm_is_about_ten_over_root_two(lang):
    mids, ends, slerps = [], [], []
    for seed in range(200):
        z0, z1 = gan.latent(2 * seed)[0], gan.latent(2 * seed + 1)[0]
        mids.append(np.linalg.norm(gan.interpolate(z0, z1, 3, "linear")[1]))
        slerps.append(np.linalg.norm(gan.interpolate(z0, z1, 3, "slerp")[1]))
        ends.append(np.linalg.norm(z0))
    assert np.mean(ends) == pytest.approx(10, rel=0.02)
    assert np.mean(mids) == pytest.approx(10 / math.sqrt(2), rel=0.02)
    assert np.mean(slerps) == pytest.approx(10, rel=0.02)
    assert "10/√2 ≈ " + number(10 / math.sqrt(2), lang, ".1f") in text(lang, "gan.interpolate.intro")


# ---------------------------------------------------------------- perceptron
@pytest.mark.parametrize("lang", LANGS)
def test_the_and_line_passes_through_1_1_and_works_because_of_ge_0(lang):
    run = train_perceptron(INPUTS, GATES["AND"], lr=0.3, w0=(1.0, 1.0), b0=1.0)
    assert run.converged and run.epochs == 3  # "converges in three epochs" (the last one changes nothing)
    assert (run.b, *run.w) == pytest.approx((-0.8, 0.4, 0.4))
    z = run.b + run.w[0] + run.w[1]
    assert z == pytest.approx(0, abs=1e-12)  # (1, 1) lies on the line ...
    assert int(z >= -1e-12) == GATES["AND"][3] == 1  # ... and answers 1 only through "≥"
    assert "(1, 1)" in text(lang, "perceptron.lesson.try") and "z ≥ 0" in text(lang, "perceptron.lesson.try")


def test_the_xor_network_plot_shows_the_last_epoch():
    """The boundary published last is the final epoch's (the title said "after epoch 296" of 300)."""
    pytest.importorskip("keras")
    from core.jobs.context import PrintContext
    from lab.perceptron import maths as perceptron_maths
    from lab.perceptron import training as xor

    class Recorder(PrintContext):
        def __init__(self):
            super().__init__(every=10**9)
            self.extras = {}

        def set_extra(self, key, value):
            self.extras[key] = value

    ctx = Recorder()
    xor.xor_job(xor.XorConfig(2, "tanh", 0.05, 130))(ctx)  # every = 130 // 60 = 2: 129 was skipped
    epoch, probs = ctx.extras["boundary"]
    assert epoch == 130 and probs.shape == (perceptron_maths.GRID_STEPS, perceptron_maths.GRID_STEPS)
