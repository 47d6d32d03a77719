"""ui.shared: the values pages hand to each other, in one browser session."""

from streamlit.testing.v1 import AppTest


def _script():
    import numpy as np
    import streamlit as st

    from ui import shared

    st.write(f"before: {shared.last_digit()}")
    shared.set_last_digit(np.full((28, 28), 0.5))
    digit = shared.last_digit()
    st.write(f"after: {digit.shape} {digit.dtype} {digit[0, 0]}")
    try:
        shared.set_last_digit(np.zeros((20, 20)))
    except ValueError as exc:
        st.write(f"refused: {exc}")
    shared.clear_last_digit()
    st.write(f"cleared: {shared.last_digit()}")


def test_last_digit_is_set_read_refused_and_cleared():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == [
        "before: None", "after: (28, 28) float32 0.5",
        "refused: the last digit must be a 28×28 image, got shape (20, 20)", "cleared: None"]
