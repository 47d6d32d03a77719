"""The numbers a teacher checked in the lessons (issue 37), recomputed from the real layers and
models, and found stated that way in both languages' text."""

import json
import math
import re

import numpy as np
import pytest

from core import i18n, recipes
from lab.convolution import maths as conv
from lab.convolution import maths_sizes as conv_sizes

keras = pytest.importorskip("keras")

LANGS = list(i18n.LANGUAGES)


def text(lang: str, key: str) -> str:
    value = i18n.catalog(lang)[key]
    return value if isinstance(value, str) else " ".join(q["q"] + " " + q["a"] for q in value)


def number(value: float, lang: str, spec: str = "") -> str:
    return i18n.format_number(value, lang, spec)


def side_after(layer, n: int, channels: int = 1) -> int:
    return layer.compute_output_shape((1, n, n, channels))[1]


# ---------------------------------------------------------------- 1. transfer: VGG19's layers[:12]
def test_vgg19_first_12_layers_end_at_block3_pool_so_blocks_4_and_5_train():
    vgg = keras.applications.VGG19(weights=None, include_top=False, input_shape=(256, 256, 3))  # no download
    frozen, trained = vgg.layers[:12], vgg.layers[12:]
    assert frozen[-1].name == "block3_pool"
    trained_convs = [layer.name for layer in trained if isinstance(layer, keras.layers.Conv2D)]
    assert trained_convs == [f"block{b}_conv{i}" for b in (4, 5) for i in (1, 2, 3, 4)]  # eight
    assert vgg.layers[16].name == "block4_pool"  # layers[:17] would leave block 5 alone
    assert [layer.name for layer in vgg.layers[17:] if isinstance(layer, keras.layers.Conv2D)] == [
        f"block5_conv{i}" for i in (1, 2, 3, 4)]
    assert "layers[:12]" in recipes.VGG_RECIPE and "layers[:17]" in recipes.VGG_RECIPE
    assert "blocks 4 and 5 learn" in recipes.VGG_RECIPE
    en, es = text("en", "transfer.recipe.explain"), text("es", "transfer.recipe.explain")
    assert "blocks 4 and 5" in en and "block3_pool" in en and "layers[:17]" in en and "eight" in en
    assert "bloques 4 y 5" in es and "block3_pool" in es and "layers[:17]" in es and "ocho" in es
    for lang, said in (("en", en), ("es", es)):
        assert not re.search(r"block 5 and a new head|el bloque 5 y una cabeza", said), lang


def test_feature_extraction_recipe_runs_vgg16_once_not_every_epoch():
    recipe = recipes.VGG_RECIPE
    first = recipe[recipe.index("# 1."):recipe.index("# 2.")]
    assert "def extract_features" in first and ".map(" not in first  # no per-epoch pipeline
    assert "head.fit(train_features, train_labels" in first
    assert "**once**" in text("en", "transfer.recipe.explain")
    assert "**una sola vez**" in text("es", "transfer.recipe.explain")


# ---------------------------------------------------------------- 7. classifier
def test_pooling_11_to_5_keeps_25_of_121_values():
    pool = keras.layers.MaxPooling2D(2)
    assert (side_after(pool, 26), side_after(pool, 11)) == (13, 5)
    assert conv.pool2d(np.zeros((11, 11))).shape == (5, 5)
    assert 26 * 26 / (13 * 13) == 4
    ratio = 11 * 11 / (5 * 5)
    assert ratio == pytest.approx(4.84)
    for lang in LANGS:
        idea = text(lang, "classifier.lesson.idea")
        assert number(ratio, lang, ".2f") in idea and "11×11 → 5×5" in idea
        assert not re.search(r"divides .* by four|divide entre cuatro", idea), lang


def test_the_shipped_classifier_counts_parameters_not_weights():
    from core.paths import SHIPPED_MODELS

    model = keras.saving.load_model(SHIPPED_MODELS / "classifier-cnn.keras", compile=False)
    kernels = sum(int(np.prod(w.shape)) for w in model.weights if w.name == "kernel")
    biases = sum(int(np.prod(w.shape)) for w in model.weights if w.name == "bias")
    assert model.count_params() == kernels + biases == 140_682 and biases == 64 + 64 + 64 + 10
    for lang, word in (("en", "parameters"), ("es", "parámetros")):
        idea = text(lang, "classifier.lesson.idea")
        assert f"{word} (" in idea and number(140_682, lang, ",") in idea
        second_question = i18n.catalog(lang)["classifier.lesson.questions"][1]["q"]
        assert word in second_question and number(140_682, lang, ",") in second_question
        assert word in text(lang, "classifier.lesson.formula")


def test_sgd_is_nesterov_momentum_0_9_and_the_rotation_depends_on_the_network():
    from core.models import classifier

    sgd = classifier.make_optimizer("sgd", 0.1)
    assert sgd.nesterov and sgd.momentum == pytest.approx(0.9)
    rotation = {kind: [layer for layer in classifier.build_model(kind, augment=True).layers
                       if isinstance(layer, keras.layers.RandomRotation)][0] for kind in ("cnn", "improved")}
    degrees = {kind: round(layer.factor[1] * 360, 6) for kind, layer in rotation.items()}  # factor: share of a turn
    assert degrees == {"cnn": 8.0, "improved": 10.0}
    for lang, nesterov, improved in (("en", "Nesterov momentum 0.9", "The improved CNN's augmentation"),
                                     ("es", "momento de Nesterov 0,9", "de la CNN mejorada")):
        assert nesterov in text(lang, "classifier.lesson.try")
        questions = text(lang, "classifier.lesson.questions")
        assert improved in questions and "10°" in questions and "8°" in questions


# ---------------------------------------------------------------- 8. convolution
def test_the_second_convolution_has_36864_weights_and_64_biases():
    layer = keras.layers.Conv2D(64, 3)
    layer.build((None, 13, 13, 64))
    kernel, bias = layer.kernel, layer.bias
    assert (int(np.prod(kernel.shape)), int(np.prod(bias.shape))) == (36_864, 64)
    assert layer.count_params() == conv_sizes.conv_parameters(3, 64, 64) == 36_928
    for lang, word in (("en", "parameters (weights and biases)"), ("es", "parámetros (pesos y sesgos)")):
        questions = text(lang, "convolution.lesson.questions")
        assert word in questions
        for value in (36_864, 64, 36_928):
            assert number(value, lang, ",") in questions


@pytest.mark.parametrize("lang", LANGS)
def test_stride_2_gives_ceil_n_over_2(lang):
    layer = keras.layers.Conv2D(1, 3, strides=2, padding="same")
    for n in (5, 7):
        assert conv.output_size(n, 3, 2, 1) == math.ceil(n / 2) == side_after(layer, n)
        assert conv.conv2d(np.zeros((n, n)), np.ones((3, 3)), 2, 1).shape[0] == math.ceil(n / 2)
    try_text = text(lang, "convolution.lesson.try")
    assert "⌈n/2⌉" in try_text and "5 → 3" in try_text and "7 → 4" in try_text
    assert "⌊n/2⌋" in text(lang, "convolution.lesson.idea") and "⌊n/2⌋" in text(lang, "convolution.pool.intro")


# ---------------------------------------------------------------- 12. where the course is wrong
@pytest.mark.parametrize("lang", LANGS)
def test_pooling_7_to_4_needs_same_padding(lang):
    assert side_after(keras.layers.MaxPooling2D(2, padding="valid"), 7) == 3
    assert side_after(keras.layers.MaxPooling2D(2, padding="same"), 7) == 4
    assert conv.pool2d(np.zeros((7, 7))).shape == (3, 3)
    idea = text(lang, "convolution.lesson.idea")
    assert "7×7" in idea and "4×4" in idea and "3×3." in idea and ("“same”" in idea or "«same»" in idea)


# ---------------------------------------------------------------- 2. DCGAN: what each model keeps of Radford's guidelines
def _kinds(model) -> set[str]:
    return {type(layer).__name__ for layer in model.layers}


def test_what_the_lab_models_keep_and_break_of_radfords_guidelines():
    from lab.gan import model_conditional as gan_conditional
    from lab.gan import model_dcgan as gan_model

    g = {v: gan_model.build_generator(v) for v in gan_model.VARIANTS}
    d = {v: gan_model.build_discriminator(v) for v in gan_model.VARIANTS}
    g["conditional"], d["conditional"] = (gan_conditional.build_conditional_generator(),
                                          gan_conditional.build_conditional_discriminator())
    for name, disc in d.items():  # strided convolutions, LeakyReLU, dropout, no pooling, no batch norm
        kinds = _kinds(disc)
        assert {"Conv2D", "LeakyReLU", "Dropout"} <= kinds and "BatchNormalization" not in kinds, name
        assert not any("Pooling" in k for k in kinds), name
        assert all(layer.strides == (2, 2) for layer in disc.layers if isinstance(layer, keras.layers.Conv2D)), name
    for name in ("improved", "conditional"):
        kinds = _kinds(g[name])
        assert {"BatchNormalization", "ReLU", "Conv2DTranspose"} <= kinds and "LeakyReLU" not in kinds, name
        assert g[name].get_layer("g_out").activation.__name__ == "tanh"
    thesis = _kinds(g["thesis"])
    assert "BatchNormalization" not in thesis and "LeakyReLU" in thesis and "ReLU" not in thesis
    assert g["thesis"].get_layer("g_out").activation.__name__ == "sigmoid"
    for generator in g.values():  # one Dense projects z to 7×7 maps, then transposed convolutions
        dense = [layer for layer in generator.layers if isinstance(layer, keras.layers.Dense)]
        assert dense[-1].units % 49 == 0 and dense[-1].name == "g_dense"
    for lang, words in (("en", ["**no** batch normalisation", "LeakyReLU throughout, no batch normalisation and a sigmoid output",
                                "batch normalisation, ReLU and a tanh output", "7×7"]),
                        ("es", ["**no** tienen normalización por lotes", "LeakyReLU en todas sus capas, ninguna normalización por lotes y una salida sigmoide",
                                "normalización por lotes, ReLU y salida tanh", "7×7"])):
        idea = text(lang, "gan.lesson.idea")
        assert all(w in idea for w in words), lang


# ---------------------------------------------------------------- 10. DCGAN: equilibrium per side, epoch time
def test_label_smoothing_moves_the_optimal_discriminator_below_one_half():
    from core.paths import SHIPPED_MODELS

    card = json.loads((SHIPPED_MODELS / "gan-improved.json").read_text())
    s = card["config"]["label_smoothing"]
    d = np.linspace(1e-4, 1 - 1e-4, 200_001)
    # p_g = p_data: E_real[−(1−s) log D − s log(1−D)] + E_fake[−log(1−D)], per unit density
    best = d[np.argmin(-(1 - s) * np.log(d) - s * np.log(1 - d) - np.log(1 - d))]
    assert best == pytest.approx((1 - s) / 2, abs=1e-4) and best < 0.5  # every image "fake"
    real, fake = card["final_metrics"]["d_acc_real"], card["final_metrics"]["d_acc_fake"]
    for lang in LANGS:
        answer = i18n.catalog(lang)["gan.lesson.questions"][0]["a"]
        said = f"(1 − {number(s, lang)})/2 = {number((1 - s) / 2, lang, '.2f')}"
        assert said in answer, lang
        assert f"{round(real * 100)} %" in answer and f"{round(fake * 100)} %" in answer


def test_epoch_times_quote_the_labs_own_benchmark():
    from core.paths import ROOT

    bench = (ROOT / "docs" / "BENCHMARKS.md").read_text()
    found = re.findall(r"\| (improved|thesis)\b[^|]*\| (\d+) \| ([\d,.]+) ms/step", bench)  # throughput table
    rows = {variant: (int(batch), float(ms.replace(",", ""))) for variant, batch, ms in found}
    (b_imp, ms_imp), (b_th, ms_th) = rows["improved"], rows["thesis"]
    epoch = {v: (10_000 // b) * ms / 1000 for v, (b, ms) in rows.items()}  # the last partial batch is dropped
    assert 25 <= epoch["improved"] <= 35 and 35 <= epoch["thesis"] <= 45  # "half a minute", "forty seconds"
    for lang, words in (("en", ["half a minute", "forty seconds"]), ("es", ["medio minuto", "cuarenta segundos"])):
        intro = text(lang, "gan.train.intro")
        assert all(w in intro for w in words) and "minute and a half" not in intro and "minuto y medio" not in intro
        assert f"{number(ms_imp / 1000, lang, '.2f')} s" in intro and f" {b_imp}" in intro
        assert f"{number(ms_th / 1000, lang, '.2f')} s" in intro and f" {b_th}" in intro


# ---------------------------------------------------------------- 4. Your drawing: the encoder's warm start
def test_inversion_starts_include_the_encoders_guess():
    from lab.gan import model_dcgan as gan_model
    from lab.gan import model_encoder as gan_encoder
    from lab.gan import model_inversion as gan_inversion

    generator = gan_model.load_generator()
    encoder = gan_encoder.encoder_for(generator)
    assert encoder is not None and gan_inversion.STARTS == 4
    image = np.asarray(generator(np.zeros((1, gan_model.LATENT_DIM), np.float32), training=False))[0, ..., 0]
    z = gan_inversion.starts(generator, image, seed=0)
    guess = gan_encoder.encode(encoder, image[None])[0]
    guess = guess * min(1.0, gan_inversion.MAX_NORM / np.linalg.norm(guess))
    assert z.shape[0] == 4 and np.allclose(z[2], guess, atol=1e-5)  # 2 bank samples, the guess, 1 random
    for lang, words in (("en", ["**encoder**", "four starts", "warm start"]),
                        ("es", ["**codificador**", "cuatro puntos", "arranque en caliente"])):
        idea = text(lang, "gan.drawing.lesson.idea")
        assert all(w in idea for w in words), lang
        assert ("encoder" if lang == "en" else "codificador") in text(lang, "gan.drawing.lesson.questions")


# ---------------------------------------------------------------- 5. Digits on demand: a learned, approximate split
def test_the_class_input_picks_the_digit_almost_always():
    from core.models import classifier
    from lab.gan import model_conditional as gan_conditional

    judge = classifier.load_classifier("cnn")
    generator = gan_conditional.load_conditional()
    shares = []
    for digit in range(10):  # as bench/gan_conditional_bench.py: 200 samples, seed 2026 + digit
        x = gan_conditional.sample_digits(digit, 200, seed=2026 + digit, generator=generator)
        shares.append(float(np.mean(np.asarray(judge(x[..., None], training=False)).argmax(1) == digit)))
    low, high = min(shares), max(shares)
    assert 0.97 <= low < 1.0
    for lang, words in (("en", ["approximately", "learned"]), ("es", ["aproximada", "aprendió"])):
        idea = text(lang, "gan.demand.lesson.idea")
        assert all(w in idea for w in words), lang
        assert f"{number(low * 100, lang, '.1f')} " in idea and f"{number(high * 100, lang, '.0f')} %" in idea


# ---------------------------------------------------------------- 6. Playground: universal approximation, no test-set selection
@pytest.mark.parametrize("lang", LANGS)
def test_the_spiral_text_agrees_with_universal_approximation(lang):
    idea, questions = text(lang, "playground.lesson.idea"), i18n.catalog(lang)["playground.lesson.questions"]
    word = "universal approximation" if lang == "en" else "aproximación universal"
    assert word in idea and word in questions[2]["a"]
    assert not re.search(r"needs several layers|necesita varias capas y muchas", idea)
    first = questions[0]["a"]
    assert ("validation" if lang == "en" else "validación") in first
    assert not re.search(r"where the test loss was lowest|con la menor pérdida de prueba", first)


# ---------------------------------------------------------------- 9. Recurrent: 7 and 9, the GRU's gates
def test_the_lstm_tells_7_from_9_only_around_row_20():
    from core.paths import SHIPPED_MODELS
    from core.storage import mnist
    from lab.recurrent import model as rnn

    _, (x, y) = mnist.load_mnist(prefer_full=False)
    keep = (y == 7) | (y == 9)
    model = keras.saving.load_model(SHIPPED_MODELS / "rnn-lstm.keras", compile=False)
    states = np.asarray(rnn._stepwise(model)(rnn.as_rows(x[keep] / 255.0), training=False))  # (N, 28, units)
    probs = np.asarray(model.get_layer("probabilities")(states.reshape(-1, states.shape[-1]))).reshape(-1, 28, 10)
    right = np.where(probs[..., 7] > probs[..., 9], 7, 9) == y[keep][:, None]  # (N, 28): the right one of the two
    first = int(np.argmax(right.mean(0) >= 0.9)) + 1  # first row with 90 % of them told apart
    assert 18 <= first <= 22 and right[:, 13].mean() < 0.9  # not yet after the top half
    for lang, words in (("en", ["around row 20", "row 28"]), ("es", ["fila 20", "fila 28"])):
        assert all(w in text(lang, "recurrent.lesson.try") for w in words), lang


def test_the_gru_has_an_update_and_a_reset_gate():
    from core.paths import SHIPPED_MODELS

    model = keras.saving.load_model(SHIPPED_MODELS / "rnn-gru.keras", compile=False)
    gru = [layer for layer in model.layers if isinstance(layer, keras.layers.GRU)][0]
    kernel = gru.cell.kernel
    assert kernel.shape[1] == 3 * gru.units  # update gate, reset gate, candidate
    for lang, words in (("en", ["**update gate**", "**reset gate**"]),
                        ("es", ["**puerta de actualización**", "**puerta de reinicio**"])):
        idea = text(lang, "recurrent.lesson.idea")
        assert all(w in idea for w in words), lang


# ---------------------------------------------------------------- 11. Spanish style
def test_spanish_style():
    from core.paths import ROOT

    pages = [*sorted((ROOT / "assets" / "i18n" / "es").glob("*.json"))]  # the older pages' texts
    values = {str(path): json_text(json.loads(path.read_text(encoding="utf-8")))  # and the lesson folders'
              for path in [*pages, *i18n.lesson_files("es")]}
    everything = " ".join(values.values())
    assert not re.search(r"\(\d,\d\)", everything)  # coordinates "(0, 1)", not the number 0,1
    assert not [k for k, v in values.items() if re.search(r'["“”]', v)], "quotes are «…» in Spanish"
    for wrong in ("voltea", "zoom", "vigilad", "pérdida sana", "franja sana", "neuronas ocultas", "capa de 3×3",
                  "capa de k×k"):
        assert wrong not in everything.lower(), wrong
    assert "regulado por" in everything and "unidades ocultas" in everything
    classifier = values[str(ROOT / "lab" / "classifier" / "i18n" / "es.json")]
    assert classifier.count("precisión (accuracy)") == 1  # named once, in the classifier's lesson
    assert "(0, 1)" in text("es", "perceptron.lesson.questions")


def json_text(value) -> str:
    """Every string in ``value`` (nested dicts and lists), joined by spaces."""
    if isinstance(value, dict):
        return " ".join(json_text(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(json_text(v) for v in value)
    return str(value)


# ---------------------------------------------------------------- 12. kind notes where the course is wrong
def test_notes_on_the_course_gan_credits_and_last_layer():
    for lang, words in (("en", ["*Notes on the course:*", "Goodfellow", "2014", "Ioffe", "Radford", "ReLU has no upper bound"]),
                        ("es", ["*Notas sobre el curso:*", "Goodfellow", "2014", "Ioffe", "Radford",
                                "ReLU no tiene límite superior"])):
        idea = text(lang, "gan.lesson.idea")
        assert all(w in idea for w in words), lang


def test_the_transfer_table_counts_parameters():
    from core.models import transfer as tr

    model = tr.build("features", tr.load_base())
    head = [layer for layer in model.layers if layer.name.startswith(("head", "symbol"))]
    assert tr.trainable_count(model) == sum(layer.count_params() for layer in head) == 1600 * 64 + 64 + 64 * 5 + 5
    assert "Parameters trained" in text("en", "transfer.ways.col_trainable")
    assert "Parámetros entrenados" in text("es", "transfer.ways.col_trainable")


# ---------------------------------------------------------------- 3. DCGAN: ten times D's learning rate
def test_ten_times_d_rate_text_quotes_the_measured_run():
    from core.paths import ROOT

    bench = (ROOT / "docs" / "BENCHMARKS.md").read_text()
    section = bench[bench.index("## DCGAN: a ten times larger discriminator learning rate"):]
    rows = re.findall(r"^\| (\d+) \| (\d) \| ([\d.]+) \| ([\d.]+) % \|", section, re.M)
    table = {(int(r), int(e)): (float(loss), float(band)) for r, e, loss, band in rows}
    fast = [table[(10, e)] for e in (1, 2, 3)]
    equal = [table[(1, e)] for e in (1, 2, 3)]
    assert fast[0][0] < 0.5 < fast[2][0] < math.log(2) and all(band == 100 for _, band in equal)
    assert fast[0][1] < 50 < fast[2][1]  # outside the band at first, mostly inside by the third epoch
    for lang in LANGS:
        said = text(lang, "gan.lesson.try")
        for losses in (fast, equal):
            values = [number(loss, lang, ".2f") for loss, _ in losses]
            assert f"{values[0]}, {values[1]}" in said and f" {values[2]}" in said, (lang, values)
        assert f"{math.floor(fast[2][1] + 0.5)} %" in said  # 88.5 → 89 (half up)
        assert not re.search(r"leave the 0.5–0.8 band|sale de la franja", said)
