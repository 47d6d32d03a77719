"""What the CNN view explains: which CNN, and which digit (your drawing, a test image, a photo).

Every digit goes through the classifier's preprocessing (``core.maths.preprocess``), so the
network sees here exactly what it sees on the classifier's Draw tab.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.i18n import Translator
from core.maths import preprocess
from core.memo import array_key
from core.storage import store
from ui import canvas, chrome, shared

CNN_KINDS = ("cnn", "improved")  # the classifier kinds with convolutions
SOURCES = ("last", "canvas", "example", "upload")


def cnn_entries() -> list[store.ModelEntry]:
    """Every CNN in the lab's model list (shipped first, then those trained here), the thesis CNN first."""
    entries = [e for e in store.list_models() if e.kind in CNN_KINDS]
    return sorted(entries, key=lambda e: (not e.shipped, e.shipped and e.kind != "cnn"))


def choose_model(t: Translator) -> store.ModelEntry | None:
    """The model selector; ``None`` (with a message) when no CNN is there."""
    entries = cnn_entries()
    if not entries:
        st.error(t("cnn.model.none"))
        return None
    labels = {e.label: e for e in entries}
    if st.session_state.get("cnn_model") not in labels:
        st.session_state["cnn_model"] = entries[0].label
    chosen = st.selectbox(t("cnn.model.choose"), list(labels), key="cnn_model", help=t("cnn.model.help"), persist_state="session",
                          format_func=lambda label: chrome.model_label(t, labels[label]))
    return labels[chosen]


def load(entry: store.ModelEntry):
    """The model of ``entry``, through the lab's one model cache (compiled for a stroke)."""
    from core.models import classifier

    return classifier.load_entry(entry)


def choose_digit(t: Translator) -> np.ndarray | None:
    """The ``(28, 28)`` digit in [0, 1] to explain, or ``None`` until there is one."""
    last = shared.last_digit()
    sources = [s for s in SOURCES if s != "last" or last is not None]
    seen = None if last is None else array_key(last)
    if seen is not None and st.session_state.get("cnn_last_seen") != seen:  # a new drawing: show it
        st.session_state["cnn_last_seen"], st.session_state["cnn_source"] = seen, "last"
    if st.session_state.get("cnn_source") not in sources:
        st.session_state["cnn_source"] = sources[0]
    source = st.radio(t("cnn.source.label"), sources, key="cnn_source", horizontal=True, persist_state="session",
                      format_func=lambda s: t(f"cnn.source.{s}"))
    if source == "last":
        st.caption(t("cnn.source.last_help"))
        return last
    if source == "canvas":
        digit = canvas.digit_canvas("cnn_canvas", t("cnn.source.clear"), missing_text=t("cnn.source.no_canvas"))
        if digit is None:
            st.info(t("cnn.source.start"))
        return digit
    if source == "example":
        from core.storage.mnist import load_mnist

        _, (x, y) = load_mnist()
        k = int(st.number_input(t("cnn.source.index"), 0, len(x) - 1, 0, key="cnn_example"))
        st.caption(t("cnn.source.example_caption", k=k, label=int(y[k])))
        return preprocess.canvas_stages(255 - x[k]).digit  # as the Draw tab reads a test image
    upload = st.file_uploader(t("cnn.source.upload_label"), type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
                              key="cnn_upload")
    if upload is None:
        return None
    from core.storage.uploads import decode_image

    return preprocess.canvas_stages(decode_image(upload.getvalue(), upload.name)).digit
