"""AppTest: the activation page plots, validates logits and shows softmax probabilities."""

from tests.app.helpers import assert_clean, open_page


def test_opens_with_three_functions_and_formulas():
    at = open_page("activations")
    assert_clean(at)
    assert at.multiselect(key="activations_chosen").value == ["sigmoid", "tanh", "relu"]
    assert len(at.latex) >= 4


def test_bad_logits_give_a_clear_message_and_the_page_survives():
    at = open_page("activations")
    at.text_input(key="activations_logits").set_value("1, two, 3").run()
    assert not at.exception
    assert any("is not a list of numbers" in e.value for e in at.error)
    at.text_input(key="activations_logits").set_value("1000, 0, -1000").run()
    assert_clean(at)
    assert any("100.0%" in c.value for c in at.caption)


def test_spanish_names():
    at = open_page("activations", lang="es")
    assert_clean(at)
    assert at.title[0].value == "Funciones de activación"


def test_nan_or_infinite_logits_are_refused_by_name_not_shown_as_nan_percent():
    at = open_page("activations")
    at.text_input(key="activations_logits").set_value("1, nan, 3").run()
    assert not at.exception
    assert any("“nan” is not a finite number" in e.value for e in at.error)
    assert not any("nan%" in c.value for c in at.caption)
    at.text_input(key="activations_logits").set_value("1e400, 0").run()
    assert any("“1e400” is not a finite number" in e.value for e in at.error)
