"""The drawing canvas the pages share: 280×280 white ink on black, a Clear button, and the
drawing as the ``(28, 28)`` MNIST digit the networks read.

(The classifier's Draw tab draws the same ``ui.sketch`` canvas itself: it also offers the
stroke width, photos and test images.)
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.maths import preprocess
from ui import sketch
from ui.session import translator


def digit_canvas(key: str, clear_label: str, stroke: int = 20, missing_text: str | None = None) -> np.ndarray | None:
    """Draw the canvas; its drawing as a ``(28, 28)`` float digit in [0, 1], or ``None`` while
    it is empty. (``missing_text`` is kept for callers: the canvas is the lab's own now
    (``ui/sketch.py``), so it is never missing.)

    Widget keys: the canvas ``f"{key}_{n}"`` (Clear moves to the next ``n``, a fresh canvas),
    the button ``f"{key}_clear"``; the counter lives in ``f"{key}_n"``.
    """
    n = st.session_state.get(f"{key}_n", 0)
    image = sketch.sketch(f"{key}_{n}", translator()("common.canvas_label"), stroke=stroke)
    if st.button(clear_label, key=f"{key}_clear", icon=":material/delete:"):
        st.session_state[f"{key}_n"] = n + 1
        st.rerun()
    if image is None:
        return None
    try:
        return preprocess.canvas_to_mnist(image)
    except preprocess.EmptyDrawingError:
        return None
