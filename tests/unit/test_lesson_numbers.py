"""The numbers a teacher checked in the lessons (issue 37), recomputed from the real layers and
models, and found stated that way in both languages' text."""

import math
import re

import numpy as np
import pytest

from core import i18n, recipes
from core.maths import conv_sizes
from core.maths import convolution as conv

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
