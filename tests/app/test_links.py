"""AppTest of shareable links: a page opened with query values shows them in its widgets,
writes its state back into the query, and turns bad values into defaults with a notice."""

import pytest
from streamlit.testing.v1 import AppTest

from lab.gan import model as gan
from tests.app.helpers import assert_clean, by_key, open_page, page_path
from tests.conftest import ROOT
from ui import links

NOTICE = "could not be used"


def open_link(page: str, params: dict[str, str], lang: str = "en", timeout: float = 120) -> AppTest:
    """The app opened on ``page`` with ``params`` in the URL, as a shared link would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page_path(page))
    at.query_params.update(params)
    at.run()
    return at


def notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info if NOTICE in i.value or "no se pueden usar" in i.value]


def test_perceptron_link_restores_controls():
    at = open_link("perceptron", {"perceptron_gate": "OR", "perceptron_lr": "0.55", "perceptron_w1": "-2",
                                  "perceptron_hidden": "8", "perceptron_activation": "ReLU",
                                  "perceptron_mlp_lr": "0.1", "perceptron_epochs": "50"})
    assert_clean(at)
    assert by_key(at, "button_group", "perceptron_gate").value == "OR"
    assert by_key(at, "number_input", "perceptron_lr").value == 0.55
    assert by_key(at, "number_input", "perceptron_w1").value == -2.0
    assert by_key(at, "slider", "perceptron_hidden").value == 8
    assert by_key(at, "selectbox", "perceptron_activation").value == "relu"  # the address holds its label
    assert by_key(at, "select_slider", "perceptron_mlp_lr").value == 0.1
    assert by_key(at, "number_input", "perceptron_epochs").value == 50
    assert not notices(at)
    by_key(at, "slider", "perceptron_hidden").set_value(3).run()  # the student's change wins over the link
    assert by_key(at, "slider", "perceptron_hidden").value == 3
    assert by_key(at, "button_group", "perceptron_gate").value == "OR"


def test_perceptron_bad_values_fall_back_with_a_notice_in_spanish():
    fresh = open_page("perceptron")
    at = open_link("perceptron", {"perceptron_gate": "XNOR2", "perceptron_lr": "abc", "perceptron_hidden": "99",
                                  "perceptron_activation": "ReLU", "perceptron_b0": "1.0"}, lang="es")
    assert_clean(at)
    for kind, key in (("button_group", "perceptron_gate"), ("number_input", "perceptron_lr"),
                      ("slider", "perceptron_hidden")):
        assert by_key(at, kind, key).value == by_key(fresh, kind, key).value  # the page's defaults
    assert by_key(at, "selectbox", "perceptron_activation").value == "relu"  # the good one counts
    rule, train = notices(at)  # one above each group of controls
    assert "perceptron\\_gate=XNOR2" in rule and "perceptron\\_lr=abc" in rule and "b0" not in rule
    assert "perceptron\\_hidden=99" in train and "activation" not in train
    assert "no se pueden usar" in rule
    at.run()
    assert len(notices(at)) == 2  # it stays while nothing changed
    by_key(at, "slider", "perceptron_hidden").set_value(5).run()
    assert len(notices(at)) == 1  # gone once the student changes one of its controls


def test_activations_link():
    at = open_link("activations", {"activations_chosen": ["GELU", "Leaky ReLU"], "activations_slope": "0.1",
                                   "activations_show_d": "false", "activations_logits": "3, 1, -2",
                                   "activations_temperature": "2.5", "activations_depth": "5"})
    assert_clean(at)
    assert by_key(at, "multiselect", "activations_chosen").value == ["gelu", "leaky_relu"]  # from their labels
    assert by_key(at, "slider", "activations_slope").value == 0.1  # shown: the leaky ReLU is chosen
    assert by_key(at, "toggle", "activations_show_d").value is False
    assert by_key(at, "text_input", "activations_logits").value == "3, 1, -2"
    assert by_key(at, "slider", "activations_temperature").value == 2.5
    assert by_key(at, "slider", "activations_depth").value == 5
    assert not notices(at)


def test_activations_bad_logits_and_temperature():
    at = open_link("activations", {"activations_logits": "1, two", "activations_temperature": "-3",
                                   "activations_depth": "7", "activations_slope": "0.3"})
    assert by_key(at, "text_input", "activations_logits").value == "1, two"  # any text is a text box's value
    assert at.error  # ... and the page says what is wrong with it, as when typed
    assert by_key(at, "slider", "activations_temperature").value == 1.0
    assert by_key(at, "slider", "activations_depth").value == 7
    [notice] = notices(at)
    assert "activations\\_temperature=\\-3" in notice and "slope" not in notice  # the slope's slider is hidden


def test_convolution_link():
    at = open_link("convolution", {  # a choice's parameter is its label in the page's language
        "convolution_source": "Small matrix", "convolution_example": "7×7 bright cross with small numbers",
        "convolution_kernel": "Sobel (vertical edges)", "convolution_kernel_size": "5", "convolution_stride": "2",
        "convolution_padding": "same (⌈n / s⌉: the input's size at stride 1)", "convolution_shared_scale": "true",
        "convolution_pool_mode": "average", "convolution_transpose_size": "2"})
    assert_clean(at)
    assert by_key(at, "radio", "convolution_source").value == "matrix"
    assert by_key(at, "selectbox", "convolution_example").value == "example_7"
    assert by_key(at, "selectbox", "convolution_padding").value == "same"
    assert by_key(at, "radio", "convolution_pool_mode").value == "avg"
    assert by_key(at, "selectbox", "convolution_kernel").value == "sobel_x"
    assert by_key(at, "slider", "convolution_kernel_size").value == 5
    assert by_key(at, "slider", "convolution_stride").value == 2
    assert by_key(at, "toggle", "convolution_shared_scale").value is True
    assert by_key(at, "radio", "convolution_transpose_size").value == 2
    assert not notices(at)


def test_convolution_digit_link_and_bad_values():
    at = open_link("convolution", {"convolution_source": "nope", "convolution_mnist_index": "42",
                                   "convolution_side": "20", "convolution_stride": "9", "convolution_padding": "7"})
    assert_clean(at)
    assert by_key(at, "radio", "convolution_source").value == "mnist"
    assert by_key(at, "number_input", "convolution_mnist_index").value == 42
    assert by_key(at, "slider", "convolution_side").value == 20
    assert by_key(at, "slider", "convolution_stride").value == 1
    assert by_key(at, "selectbox", "convolution_padding").value == "valid"
    [notice] = notices(at)
    assert "convolution\\_stride=9" in notice and "convolution\\_padding=7" in notice
    assert "source=nope" in notice and "side" not in notice


def test_classifier_link():
    pytest.importorskip("keras")
    at = open_link("classifier", {"classifier_model": "classifier-cnn (shipped)", "classifier_tab": "Train",
                                  "classifier_epochs": "3", "classifier_learning_rate": "0.01",
                                  "classifier_augment": "true"})
    assert_clean(at)
    assert by_key(at, "selectbox", "classifier_model").value == "classifier-cnn (shipped)"
    assert at.session_state["classifier_tab"] == "Train"
    assert by_key(at, "number_input", "classifier_epochs").value == 3  # the Train tab's recipe
    assert by_key(at, "select_slider", "classifier_learning_rate").value == 0.01
    assert by_key(at, "checkbox", "classifier_augment").value is True
    assert not notices(at)
    at = open_link("classifier", {"classifier_model": "nope", "classifier_source": "A test image",
                                  "classifier_example": "42"})
    assert_clean(at)
    assert by_key(at, "radio", "classifier_source").value == "example"
    assert any("Test image #42" in c.value for c in at.caption)
    assert by_key(at, "selectbox", "classifier_model").value == "classifier-improved (shipped)"
    [notice] = notices(at)
    assert "classifier\\_model=nope" in notice


@pytest.mark.skipif(not gan.shipped_path().exists(), reason="no shipped generator")
def test_gan_link():
    at = open_link("gan", {"gan_model": "gan-improved (shipped)", "gan_seed": "123", "gan_dir_0": "1",
                           "gan_dir_1": "-0.5", "gan_dir_4": "2.25", "gan_tab": "Explore"}, timeout=180)
    assert_clean(at)
    assert by_key(at, "number_input", "gan_seed").value == 123
    assert [by_key(at, "slider", f"gan_dir_{i}").value for i in range(6)] == [1.0, -0.5, 0, 0, 2.25, 0]
    assert not notices(at)
    at = open_link("gan", {"gan_seed": "-4", "gan_dir_0": "9", "gan_tab": "Explore"}, timeout=180)
    assert_clean(at)
    assert by_key(at, "number_input", "gan_seed").value == 7
    assert by_key(at, "slider", "gan_dir_0").value == 0.0
    [notice] = notices(at)
    assert "gan\\_seed=\\-4" in notice and "gan\\_dir\\_0=9" in notice


def test_gan_link_carries_the_train_tabs_settings():
    at = open_link("gan", {"gan_variant": "Thesis DCGAN (course)", "gan_epochs": "12",
                           "gan_batch": "64", "gan_images": "2000", "gan_lr_g": "0.0005", "gan_aux": "true"},
                   timeout=180)
    assert_clean(at)
    assert by_key(at, "selectbox", "gan_variant").value == "thesis"
    assert by_key(at, "number_input", "gan_epochs").value == 12
    assert by_key(at, "select_slider", "gan_batch").value == 64
    assert by_key(at, "select_slider", "gan_images").value == 2000
    assert by_key(at, "number_input", "gan_lr_g").value == 0.0005
    assert by_key(at, "toggle", "gan_aux").value is True
    assert not notices(at)


def test_playground_link_sets_the_network_and_its_code():
    at = open_link("playground", {"playground_dataset": "Spiral", "playground_layers": "2", "playground_units_0": "4",
                                  "playground_units_1": "2", "playground_activation": "ReLU",
                                  "playground_lr": "0.01", "playground_features": ["x₁", "x₂", "x₁x₂"],
                                  "playground_reg": "L2", "playground_rate": "0.003", "playground_test": "50",
                                  "playground_points": "200", "playground_noise": "0.15", "playground_batch": "7"})
    assert_clean(at)
    assert [n for n in notices(at) if "playground\\_batch=7" in n]  # 7 is not a batch size the page offers
    assert by_key(at, "select_slider", "playground_batch").value == 16  # its default
    code = at.code[0].value
    assert 'Dense(4, activation="relu", kernel_regularizer=keras.regularizers.L2(0.003))' in code
    assert "Adam(0.01)" in code and "spiral(200, rng)" in code and "x[:, 0] * x[:, 1]" in code
    assert "a random 50% of the points" in code and "rng.normal(0, 0.15" in code
    by_key(at, "number_input", "playground_layers").set_value(1).run()
    assert_clean(at)
    assert by_key(at, "number_input", "playground_units_0").value == 4


def test_recurrent_link_restores_reader_image_and_rows():
    pytest.importorskip("keras")
    at = open_link("recurrent", {"recurrent_model": "rnn-gru (shipped) · GRU", "recurrent_source": "A test image",
                                 "recurrent_example": "444", "recurrent_rows": "14"})
    assert_clean(at)
    assert by_key(at, "selectbox", "recurrent_model").value == "rnn-gru (shipped)"
    assert by_key(at, "slider", "recurrent_rows").value == 14
    assert any("#444" in c.value for c in at.caption)  # that official test image
    assert not notices(at)
    at = open_link("recurrent", {"recurrent_rows": "99", "recurrent_source": "A test image"})
    assert_clean(at)
    assert by_key(at, "slider", "recurrent_rows").value == 28
    [notice] = notices(at)
    assert "recurrent\\_rows=99" in notice
    at = open_link("recurrent", {"recurrent_rows": "99", "recurrent_tab": "LSTM gates"})
    assert_clean(at)
    assert at.session_state["recurrent_tab"] == "LSTM gates"
    assert not notices(at)  # the rows slider is in the closed Read tab: not judged


def test_transfer_link_restores_the_three_ways_settings():
    pytest.importorskip("keras")
    at = open_link("transfer", {"transfer_tab": "Three ways", "transfer_per_symbol": "7", "transfer_epochs": "3",
                                "transfer_use_kept": "false"})
    assert_clean(at)
    assert at.session_state["transfer_tab"] == "Three ways"
    assert by_key(at, "slider", "transfer_per_symbol").value == 7
    assert by_key(at, "number_input", "transfer_epochs").value == 3
    assert by_key(at, "checkbox", "transfer_use_kept").value is False
    assert not notices(at)
    at = open_link("transfer", {"transfer_tab": "Tres maneras", "transfer_epochs": "0"}, lang="es")
    assert_clean(at)
    assert by_key(at, "number_input", "transfer_epochs").value == 5  # the default
    [notice] = notices(at)
    assert "transfer\\_epochs=0" in notice


def test_a_late_older_url_does_not_undo_the_students_change():
    """The browser can still carry an older address when the student clicks (the click
    overtook it). That is not a new link: Streamlit seeds a bound widget from the address only
    on its first run in the session, so the widgets keep the student's value."""
    at = open_link("perceptron", {"perceptron_hidden": "8"})
    by_key(at, "slider", "perceptron_hidden").set_value(3).run()
    at.query_params["perceptron_hidden"] = "8"  # the older address, arriving after the student's click
    by_key(at, "number_input", "perceptron_epochs").set_value(40).run()
    assert_clean(at)
    assert by_key(at, "slider", "perceptron_hidden").value == 3
    assert not notices(at)


@pytest.mark.parametrize("raw, value, kept", [
    (["0.50"], 0.5, True), (["abc"], 0.3, False), (["99"], 4, False), (["true"], True, True), (["1.0"], True, False),
    (["ReLU"], "relu", True), (["RELU"], "relu", False), (["GELU", "Leaky ReLU"], ["gelu", "leaky_relu"], True),
    (["GELU"], ["gelu", "relu"], False),
])
def test_a_link_value_is_judged_by_what_the_widget_kept(raw, value, kept):
    names = {"relu": "ReLU", "gelu": "GELU", "leaky_relu": "Leaky ReLU"}
    assert links._denotes(raw, value, lambda v: names.get(v, str(v))) is kept
