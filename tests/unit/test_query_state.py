"""Link query text to widget values and back (core.query_state): good values are taken,
every kind of bad value falls back to the default and is reported, nothing raises."""

import pytest

from core import query_state as q
from lab.activations.maths import parse_logits

FIELDS = [
    q.IntField("n", "p_n", 4, 1, 16),
    q.FloatField("lr", "p_lr", 0.3, 0.01, 2.0),
    q.FloatField("slope", "p_slope", 0.2, 0.0, 0.5, step=0.01),
    q.ChoiceField("gate", "p_gate", "AND", choices=["AND", "OR", "XOR"]),
    q.ChoiceField("rate", "p_rate", 0.05, choices=[0.001, 0.01, 0.05, 0.1]),
    q.BoolField("deriv", "p_deriv", True),
    q.SubsetField("act", "p_act", ["relu"], choices=["relu", "tanh", "sigmoid"]),
    q.TextField("logits", "p_logits", "1, 2", check=parse_logits),
    q.FloatListField("z", "p_dir_", 0.0, count=3, low=-4.0, high=4.0, step=0.25),
]


def test_good_values_are_taken():
    found = q.read(FIELDS, {"n": "8", "lr": "0.5", "slope": "0.1", "gate": "XOR", "rate": "0.010",
                            "deriv": "0", "act": "tanh,relu", "logits": "3, -1, 0.5", "z": "1,-0.5,4"})
    assert found.ignored == []
    assert found.values == {"p_n": 8, "p_lr": 0.5, "p_slope": 0.1, "p_gate": "XOR", "p_rate": 0.01,
                            "p_deriv": False, "p_act": ["tanh", "relu"], "p_logits": "3, -1, 0.5",
                            "p_dir_0": 1.0, "p_dir_1": -0.5, "p_dir_2": 4.0}
    assert isinstance(found.values["p_n"], int)


def test_missing_parameters_leave_widgets_alone():
    found = q.read(FIELDS, {"lang": "es", "other": "x"})
    assert found.values == {} and found.ignored == []


@pytest.mark.parametrize("name, text, key, default", [
    ("n", "abc", "p_n", 4),            # not a number
    ("n", "2.5", "p_n", 4),            # not whole
    ("n", "17", "p_n", 4),             # above the range
    ("n", "0", "p_n", 4),              # below the range
    ("n", "nan", "p_n", 4),
    ("lr", "inf", "p_lr", 0.3),        # not finite
    ("lr", "-1", "p_lr", 0.3),
    ("lr", "", "p_lr", 0.3),           # empty
    ("gate", "NAND", "p_gate", "AND"),  # not a choice
    ("gate", "and", "p_gate", "AND"),   # choices are exact
    ("rate", "0.02", "p_rate", 0.05),   # a number that is not a choice
    ("deriv", "maybe", "p_deriv", True),
    ("act", "relu,softplus", "p_act", ["relu"]),  # unknown item
    ("act", "relu,relu", "p_act", ["relu"]),      # repeated item
    ("logits", "1, two", "p_logits", "1, 2"),     # the check refuses it
    ("logits", "5", "p_logits", "1, 2"),          # too few numbers
])
def test_each_bad_value_gives_the_default_and_is_reported(name, text, key, default):
    good = ("deriv", "1") if name != "deriv" else ("gate", "OR")
    found = q.read(FIELDS, {name: text, good[0]: good[1]})
    assert found.values[key] == default
    assert found.ignored == [f"{name}={text}"]
    assert found.values[f"p_{good[0]}"] in (True, "OR")  # the good one next to it still counts


@pytest.mark.parametrize("text", ["1,2", "1,2,3,4", "1,x,2", "0,0,5"])
def test_a_bad_list_resets_every_item(text):
    found = q.read(FIELDS, {"z": text})
    assert found.values == {"p_dir_0": 0.0, "p_dir_1": 0.0, "p_dir_2": 0.0}
    assert found.ignored == [f"z={text}"]


def test_too_long_text_is_refused_and_reported_short():
    found = q.read(FIELDS, {"logits": "1, " * 200})
    assert found.values["p_logits"] == "1, 2"
    assert len(found.ignored[0]) < 60


def test_values_move_onto_the_slider_step():
    assert q.read(FIELDS, {"slope": "0.123"}).values["p_slope"] == 0.12
    assert q.read(FIELDS, {"z": "0.3,-0.2,3.9"}).values == {"p_dir_0": 0.25, "p_dir_1": -0.25, "p_dir_2": 4.0}


def test_write_then_read_gives_the_same_values():
    state = {"p_n": 9, "p_lr": 0.35000000000000003, "p_slope": 0.07, "p_gate": "OR", "p_rate": 0.1,
             "p_deriv": False, "p_act": ["sigmoid"], "p_logits": "1, 2, 3",
             "p_dir_0": -1.25, "p_dir_1": 0.0, "p_dir_2": 2.5}
    params = q.write(FIELDS, state)
    assert params["lr"] == "0.35" and params["deriv"] == "0" and params["z"] == "-1.25,0,2.5"
    back = q.read(FIELDS, params)
    assert back.ignored == []
    assert back.values == {**state, "p_lr": 0.35}


def test_write_leaves_out_widgets_without_a_value():
    params = q.write(FIELDS, {"p_n": 3, "p_dir_0": 1.0})  # z incomplete: not written
    assert params == {"n": "3"}


def test_choices_with_their_own_text():
    models = [("cnn", True), ("mine", False)]
    f = q.ChoiceField("model", "m", models[0], choices=models,
                      text=lambda m: m[0] if m[1] else f"yours:{m[0]}")
    assert q.read([f], {"model": "yours:mine"}).values == {"m": ("mine", False)}
    assert q.write([f], {"m": ("mine", False)}) == {"model": "yours:mine"}
    assert q.read([f], {"model": "mine"}).ignored == ["model=mine"]
    gone = q.ChoiceField("model", "m", "cnn", choices=["cnn"], text={"cnn": "cnn"}.__getitem__)
    assert q.write([gone, q.IntField("n", "n", 1, 0, 9)], {"m": "deleted", "n": 2}) == {"n": "2"}
