"""Values one page hands to another, named here so the hand-over is visible.

Pages never read each other's session keys; they call these helpers. Each value lives in
this browser session's ``st.session_state`` only (nothing is written to disk).

- **The last digit drawn** on the MNIST classifier page (its canvas, after the same
  preprocessing the classifier sees): ``(28, 28)`` float32 in [0, 1], white digit on
  black. The classifier page sets it (``set_last_digit``) and clears it with its canvas
  (``clear_last_digit``); the convolution page offers it as an input (``last_digit``).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

# The session key keeps the name the classifier page used before this module existed.
LAST_DIGIT_KEY = "classifier_last_digit"


def set_last_digit(digit: np.ndarray) -> None:
    """Remember ``digit`` (``(28, 28)`` in [0, 1]) as this session's last drawn digit."""
    digit = np.asarray(digit, dtype=np.float32)
    if digit.shape != (28, 28):
        raise ValueError(f"the last digit must be a 28×28 image, got shape {digit.shape}")
    st.session_state[LAST_DIGIT_KEY] = digit


def clear_last_digit() -> None:
    """Forget the last drawn digit (the canvas was cleared)."""
    st.session_state.pop(LAST_DIGIT_KEY, None)


def last_digit() -> np.ndarray | None:
    """This session's last drawn digit ``(28, 28)`` float32 in [0, 1], or ``None``."""
    return st.session_state.get(LAST_DIGIT_KEY)
