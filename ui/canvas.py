"""The drawing canvas the pages share: 280×280 white ink on black, a Clear button, and the
drawing as the ``(28, 28)`` MNIST digit the networks read.

(The classifier's Draw tab keeps its own: it also offers the stroke width, photos and test
images, and times every stroke.)
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.maths import preprocess


def digit_canvas(key: str, clear_label: str, stroke: int = 20, missing_text: str | None = None) -> np.ndarray | None:
    """Draw the canvas; its drawing as a ``(28, 28)`` float digit in [0, 1], or ``None`` while
    it is empty (or the canvas component is not installed: ``missing_text`` says so if given).

    Widget keys: the canvas ``f"{key}_{n}"`` (Clear moves to the next ``n``, a fresh canvas),
    the button ``f"{key}_clear"``; the counter lives in ``f"{key}_n"``.
    """
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception:  # noqa: BLE001 - the component is optional; other inputs still work
        if missing_text:
            st.info(missing_text)
        return None
    n = st.session_state.get(f"{key}_n", 0)
    result = st_canvas(stroke_width=stroke, stroke_color="#FFFFFF", background_color="#000000", height=280,
                       width=280, drawing_mode="freedraw", return_image_data=True, key=f"{key}_{n}")
    if st.button(clear_label, key=f"{key}_clear", icon=":material/delete:"):
        st.session_state[f"{key}_n"] = n + 1
        st.rerun()
    if result.image_data is None:
        return None
    try:
        return preprocess.canvas_to_mnist(result.image_data)
    except preprocess.EmptyDrawingError:
        return None
