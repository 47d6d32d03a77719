"""The perceptron rule against the thesis's AND table, XOR's cycle, and the XOR network."""

import numpy as np
import pytest

from core.errors import InputError
from lab.perceptron.maths import (
    GATES,
    HISTORY_KEYS,
    INPUTS,
    LR_RANGE,
    MAX_EPOCHS,
    decision_line,
    train_perceptron,
    xor_mlp_forward,
    xor_output_line,
)

# epoch, x1, x2, b, w1, w2, z, y_hat, y, db, dw1, dw2 — the thesis's table, row for row
AND_TABLE = [
    (1, 0, 0, 1, 1, 1, 1, 1, 0, -0.3, 0, 0),
    (1, 0, 1, 0.7, 1, 1, 1.7, 1, 0, -0.3, 0, -0.3),
    (1, 1, 0, 0.4, 1, 0.7, 1.4, 1, 0, -0.3, -0.3, 0),
    (1, 1, 1, 0.1, 0.7, 0.7, 1.5, 1, 1, 0, 0, 0),
    (2, 0, 0, 0.1, 0.7, 0.7, 0.1, 1, 0, -0.3, 0, 0),
    (2, 0, 1, -0.2, 0.7, 0.7, 0.5, 1, 0, -0.3, 0, -0.3),
    (2, 1, 0, -0.5, 0.7, 0.4, 0.2, 1, 0, -0.3, -0.3, 0),
    (2, 1, 1, -0.8, 0.4, 0.4, 0, 1, 1, 0, 0, 0),
    (3, 0, 0, -0.8, 0.4, 0.4, -0.8, 0, 0, 0, 0, 0),
    (3, 0, 1, -0.8, 0.4, 0.4, -0.4, 0, 0, 0, 0, 0),
    (3, 1, 0, -0.8, 0.4, 0.4, -0.4, 0, 0, 0, 0, 0),
    (3, 1, 1, -0.8, 0.4, 0.4, 0, 1, 1, 0, 0, 0),
]


def test_and_reproduces_the_thesis_table_row_for_row():
    run = train_perceptron(INPUTS, GATES["AND"], lr=0.3, w0=(1, 1), b0=1, max_epochs=20)
    assert run.converged and run.epochs == 3
    assert len(run.history) == len(AND_TABLE)
    for i, (row, expected) in enumerate(zip(run.history, AND_TABLE)):
        got = [row[k] for k in HISTORY_KEYS]
        assert got == pytest.approx(list(expected), abs=1e-9), f"row {i + 1}"
    assert (run.b, *run.w) == pytest.approx((-0.8, 0.4, 0.4))  # 0.4·x1 + 0.4·x2 − 0.8 = 0


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND"])
def test_separable_gates_converge_and_classify(gate):
    run = train_perceptron(INPUTS, GATES[gate], lr=0.3, max_epochs=100)
    assert run.converged
    z = run.b + INPUTS @ np.array(run.w)
    assert ((z >= 0).astype(int) == GATES[gate]).all()


@pytest.mark.parametrize("lr, w0, b0", [(0.3, (1, 1), 1), (0.1, (0, 0), 0), (1.0, (-0.5, 2), 0.3)])
def test_xor_never_converges_and_the_cycle_is_found(lr, w0, b0):
    run = train_perceptron(INPUTS, GATES["XOR"], lr=lr, w0=w0, b0=b0, max_epochs=500)
    assert not run.converged
    assert run.cycle_from is not None and run.cycle_length >= 1
    assert run.epochs < 500  # stopped by the cycle, not by the epoch limit
    # the weights at the start of the repeating epoch really do come back
    assert run.starts[run.cycle_from - 1] == pytest.approx((run.b, *run.w))


def test_xor_network_with_the_thesis_weights():
    out = xor_mlp_forward(INPUTS)
    assert out["output"].tolist() == [0, 1, 1, 0]
    assert out["hidden"].tolist() == [[0, 0], [1, 0], [1, 0], [2, 1]]
    assert out["pre"].tolist() == [[0, -1], [1, 0], [1, 0], [2, 1]]


def test_decision_line_and_bad_input():
    assert decision_line(-0.8, 0.4, 0.4, np.array([0.0, 2.0])).tolist() == pytest.approx([2.0, 0.0])
    assert decision_line(1.0, 1.0, 0.0, np.array([0.0])) is None
    with pytest.raises(ValueError, match="learning rate"):
        train_perceptron(INPUTS, GATES["AND"], lr=0)
    with pytest.raises(ValueError, match="must be"):
        train_perceptron(INPUTS[:, :1], GATES["AND"])


def test_xor_output_line_separates_the_hidden_points():
    b, w1, w2 = xor_output_line()
    assert (b, w1, w2) == (-0.5, 1.0, -2.0)
    hidden = xor_mlp_forward(INPUTS)["hidden"]  # (4, 2): (0,0) (1,0) (1,0) (2,1)
    side = (b + hidden @ np.array([w1, w2]) >= 0).astype(int)
    np.testing.assert_array_equal(side, GATES["XOR"])
    # the same rule as the network's output against the threshold
    np.testing.assert_array_equal(side, (xor_mlp_forward(INPUTS)["output"] >= 0.5).astype(int))
    assert xor_output_line(np.array([2.0, 3.0]), b=1.0, threshold=0.0) == (1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="2 numbers"):
        xor_output_line(np.ones(3))


def test_a_learning_rate_out_of_range_is_refused_naming_value_and_range():
    with pytest.raises(InputError) as err:
        train_perceptron(INPUTS, GATES["AND"], lr=1e-300)
    assert err.value.code == "value.range" and err.value.values["param"] == "learning_rate"
    assert "1e-300" in str(err.value) and "1e-10" in str(err.value)
    for bad in ({"max_epochs": MAX_EPOCHS + 1}, {"max_epochs": 0}, {"w0": (1e9, 0)}, {"lr": float("nan")}):
        with pytest.raises(InputError):
            train_perceptron(INPUTS, GATES["AND"], **bad)


@pytest.mark.parametrize("lr", [LR_RANGE[0], 1e-7, 3e-4])
def test_tiny_learning_rates_on_and_are_not_a_cycle(lr):
    # Each epoch moves the weights by a few lr: they never come back, so this is not a cycle,
    # just slow progress that the epoch cap ends.
    run = train_perceptron(INPUTS, GATES["AND"], lr=lr, max_epochs=40)
    assert not run.converged and run.cycle_from is None
    assert run.outcome == "epoch_limit" and run.epochs == run.max_epochs == 40
    assert len(run.history) == 40 * len(INPUTS)
    assert len(set(run.starts)) == 40  # every epoch really started from new weights


def test_epoch_cap_is_told_apart_from_a_cycle():
    assert train_perceptron(INPUTS, GATES["XOR"], lr=0.3, max_epochs=MAX_EPOCHS).outcome == "cycle"
    assert train_perceptron(INPUTS, GATES["AND"], lr=0.3).outcome == "converged"
    capped = train_perceptron(INPUTS, GATES["AND"], lr=0.01, w0=(3, 3), b0=3, max_epochs=5)
    assert capped.outcome == "epoch_limit" and capped.epochs == 5
