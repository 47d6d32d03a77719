"""AppTest: step the perceptron through AND to convergence, switch to XOR and see the cycle."""

from tests.app.helpers import assert_clean, open_page


def test_step_through_and_to_convergence():
    at = open_page("perceptron")
    assert_clean(at)
    for _ in range(12):  # the thesis's table has 12 rows
        at.button(key="perceptron_step").click().run()
    assert_clean(at)
    assert at.session_state["perceptron_pos"] == 12
    assert any("Converged after 3 epochs" in s.value for s in at.success)
    assert at.button(key="perceptron_step").disabled


def test_xor_explains_the_cycle():
    at = open_page("perceptron")
    at.button_group(key="perceptron_gate").set_value("XOR").run()
    at.button(key="perceptron_to_end").click().run()
    assert_clean_except_cycle(at)
    assert any("No convergence" in e.value for e in at.error)
    assert any("Minsky" in m.value for m in at.markdown)


def assert_clean_except_cycle(at):
    assert not at.exception, [e.value for e in at.exception]


def test_bad_learning_rate_cannot_be_entered():
    at = open_page("perceptron")
    box = at.number_input(key="perceptron_lr")
    assert box.min == 0.01  # the widget itself refuses 0 and negatives


def test_reset_returns_to_the_start():
    at = open_page("perceptron")
    at.button(key="perceptron_step").click().run()
    at.button(key="perceptron_step").click().run()
    at.button(key="perceptron_reset").click().run()
    assert at.session_state["perceptron_pos"] == 0
