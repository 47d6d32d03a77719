"""The teach page's examples: pick a class, then draw, photograph or upload an example of it.

Every source ends as the 28×28 white-on-black input the networks read, with the classifier's
own preprocessing (``core.maths.preprocess``): a canvas drawing directly, a photo or an upload
first decoded safely (``core.storage.uploads.decode_image``), as the classifier's "photo" path.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.maths import preprocess
from lab.teach import storage
from lab.teach.storage import Project
from lab.teach.view_classes import act, show_note
from ui import canvas, chrome, plots

NOTE = "teach_add_note"
SOURCES = ("draw", "camera", "upload")
STROKE = 18  # the transfer lesson's symbols' pen


def picture(t: i18n.Translator, source: str, key: str) -> np.ndarray | None:
    """The chosen source's image as a ``(28, 28)`` digit in [0, 1]; ``None`` while there is none
    (``InputError`` for a blank or unreadable photo: the caller's guard says why)."""
    if source == "draw":
        return canvas.digit_canvas(f"{key}_canvas", t("teach.add.clear"), stroke=STROKE)
    if source == "camera":
        shot = st.camera_input(t("teach.add.camera"), key=f"{key}_camera")
    else:
        shot = st.file_uploader(t("teach.add.upload"), type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
                                key=f"{key}_upload")
    if shot is None:
        return None
    from core.storage.uploads import decode_image

    return preprocess.canvas_to_mnist(decode_image(shot.getvalue(), shot.name))


def _keep(class_id: str, image: np.ndarray, source: str) -> None:
    """Keep the example (a callback); a drawing then gives way to a fresh canvas."""
    def change():
        storage.add_example(chrome.session_label(), class_id, image)
        if source == "draw":
            st.session_state["teach_canvas_n"] = st.session_state.get("teach_canvas_n", 0) + 1

    act(change, "teach.add.kept", note=NOTE)


def add_section(t: i18n.Translator, project: Project) -> None:
    """2. Choose a class and a source; the example's 28×28 preview and the button that keeps it."""
    st.subheader(t("teach.add.title"))
    if not project.classes:
        st.info(t("teach.add.no_classes"))
        return
    st.markdown(t("teach.add.explain"))
    names = {c.id: c.name for c in project.classes}
    if st.session_state.get("teach_class") not in names:
        st.session_state["teach_class"] = project.classes[0].id  # a deleted class gives way to the first
    class_id = st.selectbox(t("teach.add.which"), list(names), key="teach_class", format_func=names.get)
    source = st.radio(t("teach.add.source"), SOURCES, horizontal=True, key="teach_source",
                      format_func=lambda s: t(f"teach.add.source_{s}"))
    left, right = st.columns([1, 1])
    image = None
    with left, chrome.guard(t):
        image = picture(t, source, "teach")
    with right:
        show_note(NOTE)
        if image is None:
            st.caption(t(f"teach.add.start_{source}"))
            return
        st.image(plots.to_png_array(image, scale=4), width=112, alt=t("teach.add.preview_alt"))
        st.button(t("teach.add.keep", name=names[class_id]), key="teach_keep", type="primary", icon=":material/save:",
                  on_click=_keep, args=(class_id, image, source))
