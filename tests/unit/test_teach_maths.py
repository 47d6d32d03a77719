"""The teach lesson's rules and sums (numpy only): names, what is enough to train, ranking,
splits, accuracy; and the synthetic hands of its benchmark."""

import numpy as np
import pytest

from core.errors import InputError
from lab.teach import hands, maths, plots


def test_names_are_trimmed_and_must_differ_whatever_the_case():
    assert maths.clean_name("  big   circle ") == "big circle"
    assert maths.check_names(["a", "b "]) == ["a", "b"]
    with pytest.raises(InputError) as e:
        maths.check_new_name("CAT", ["dog", "cat"])
    assert e.value.code == "teach.duplicate_name"
    for bad, code in (("   ", "teach.name_empty"), ("x" * 31, "teach.name_long")):
        with pytest.raises(InputError) as e:
            maths.clean_name(bad)
        assert e.value.code == code
    with pytest.raises(InputError) as e:
        maths.check_names([str(i) for i in range(11)])
    assert e.value.code == "teach.too_many_classes"


@pytest.mark.parametrize("names, counts, code", [
    (["a"], [10], "teach.too_few_classes"),
    (["a", "b"], [10, 2], "teach.too_few_examples"),
    ([str(i) for i in range(11)], [5] * 11, "teach.too_many_classes")])
def test_training_needs_two_to_ten_classes_with_enough_examples(names, counts, code):
    with pytest.raises(InputError) as e:
        maths.check_trainable(names, counts)
    assert e.value.code == code
    maths.check_trainable(["a", "b"], [3, 3])  # the least that trains


def test_ranked_puts_the_most_likely_first_and_checks_lengths():
    assert maths.ranked(np.array([0.1, 0.7, 0.2]), ["a", "b", "c"]) == [("b", 0.7), ("c", 0.2), ("a", 0.1)]
    with pytest.raises(ValueError):
        maths.ranked(np.array([0.5, 0.5]), ["a", "b", "c"])


def test_split_takes_per_class_and_keeps_the_rest_apart():
    y = np.repeat(np.arange(3), 7)
    train, held = maths.split(y, 2, seed=1)
    assert sorted(np.bincount(y[train])) == [2, 2, 2] and len(held) == 15
    assert not set(train) & set(held)


def test_accuracy_counts_argmax_matches():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    assert maths.accuracy(probs, np.array([0, 1, 1])) == pytest.approx(2 / 3)


def test_hands_are_styles_that_stay_and_differ():
    assert hands.hand(3) == hands.hand(3) and hands.hand(3) != hands.hand(4)
    x, y = hands.drawings(("plus", "minus"), 2, [0, 1], seed=0)
    assert x.shape == (8, 28, 28) and x.dtype == np.uint8 and list(np.bincount(y)) == [4, 4]
    assert all(img.max() > 200 for img in x)  # every drawing has ink after preprocessing
    bold = hands.styled(np.pad(np.full((20, 20), 255, np.uint8), 130), hands.Hand(0.0, 1.0, 3, 1.0))
    assert (bold > 0).sum() > 400  # a bolder pen: more ink than the 20×20 square


def test_probability_bars_put_the_most_likely_on_top():
    fig = plots.probability_bars([("b", 0.7), ("a", 0.2), ("c", 0.1)], "title", "probability", ["70%", "20%", "10%"])
    bar = fig.data[0]
    assert list(bar.y) == ["c", "a", "b"] and list(bar.x) == [0.1, 0.2, 0.7]  # plotly draws upwards
    assert list(bar.text) == ["10%", "20%", "70%"]
