"""Download buttons: a student takes their own work home (``core.classroom.downloads`` builds
the files). Each button binds this session's owner id when it is drawn and builds its file
only when clicked (Streamlit's deferred ``data``), so a page with many models stays fast."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from core import i18n
from core.classroom import downloads
from core.storage import drawings, store
from ui.session import session_label

ICON = ":material/download:"


def model_button(t: i18n.Translator, entry: store.ModelEntry, key: str) -> None:
    """"Download this model" (``NAME.keras`` + its card in a zip) for one of the student's own
    models; nothing for a shipped model or another student's."""
    owner = session_label()
    if not downloads.own_models([entry], owner):
        return
    st.download_button(t("common.download_model"), functools.partial(downloads.model_zip, entry, owner),
                       f"{entry.name}.zip", "application/zip", key=key, icon=ICON, on_click="ignore")


def drawings_button(t: i18n.Translator, key: str) -> None:
    """"Download my drawings" (PNGs by label and labels.csv in a zip): this student's only."""
    owner = session_label()
    n = drawings.count_drawings(owner)
    st.download_button(t("common.download_drawings", n=n), functools.partial(downloads.drawings_zip, owner),
                       "my-drawings.zip", "application/zip", key=key, icon=ICON, on_click="ignore",
                       disabled=n == 0, help=t("common.download_drawings_help"))


def current_link() -> str:
    """This page's address with its query (the controls' link, ``ui.links``)."""
    base = (st.context.url or "").split("?")[0]
    query = {k: st.query_params[k] for k in st.query_params}
    return f"{base}?{urlencode(query)}" if base else ""


def script_button(t: i18n.Translator, script: str, name: str, key: str) -> None:
    """A training script to download, with this page's link on top (the same network in the lab)."""
    st.download_button(t("common.download_script"), downloads.playground_script(script, current_link()),
                       name, "text/x-python", key=key, icon=ICON, on_click="ignore")


def png_button(t: i18n.Translator, images: Callable[[], Sequence[np.ndarray]], name: str, key: str,
               each: bool = True, columns: int = 8, scale: int = 4) -> None:
    """What the page shows as a PNG: ``images()`` (2-D arrays) tiled, built on click."""
    def build() -> bytes:
        return downloads.grid_png(list(images()), columns=columns, scale=scale, each=each)

    st.download_button(t("common.download_png"), build, name, "image/png", key=key, icon=ICON, on_click="ignore")
