"""The "Your drawing in latent space" tab: draw (or pick) a digit, find the latent code whose
image is closest (``lab.gan.model_inversion``), compare, then walk from it to a sample or another
drawing.

The inversion runs off the script thread (``gan_inversion.start``); a small fragment polls
its progress twice a second and reruns the page once it is done. Results come from the
cache shared by every session: the same drawing is inverted once.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import Translator
from core.memo import array_key
from core.storage import drawings
from lab.gan import model as gan
from lab.gan import model_explore as gan_explore
from lab.gan import model_inversion as gi
from lab.gan import view as gan_views
from ui import canvas, chrome, display, plots, shared

TASKS = "gan_invert_tasks"  # {slot: (drawing key, Inversion)} in this session


def saved_drawing(t: Translator, key: str, label: str, default: int = 0) -> np.ndarray | None:
    """A saved drawing chosen in a selectbox ``key`` as a ``(28, 28)`` digit in [0, 1];
    ``default`` is the drawing chosen first (newest = 0), kept within the drawings there are."""
    found = drawings.list_drawings(owner=chrome.session_label(), limit=100)  # this student's, newest first
    if not found:
        st.info(t("gan.drawing.no_saved"))
        return None
    pick = st.selectbox(label, range(len(found)), min(default, len(found) - 1), key=key,
                        format_func=lambda i: t("gan.drawing.saved_label", n=i + 1, label=found[i].label))
    return found[pick].image.astype(np.float32) / 255.0


def _progress_poll(t: Translator, slot: str) -> None:
    @st.fragment(run_every=0.5)
    def poll() -> None:
        task = st.session_state[TASKS][slot][1]
        if task.done:
            st.rerun()  # the whole page, which now finds the result
        st.progress(task.progress, text=t("gan.drawing.working",
                                          pct=i18n.format_number(task.progress, chrome.language(), ".0%")))
    poll()


def inverted(t: Translator, generator, digit: np.ndarray, slot: str, go: bool) -> tuple | None:
    """``(z, reconstruction)`` of ``digit``: at once when cached, else started in the background
    when ``go`` (a progress bar meanwhile). ``None`` until it is ready."""
    if gi.is_cached(digit, 0, generator):
        return gi.invert(digit, 0, generator)
    tasks = st.session_state.setdefault(TASKS, {})
    key = array_key(digit)
    if go and (slot not in tasks or tasks[slot][0] != key):
        tasks[slot] = (key, gi.start(digit, 0, generator))
    if slot not in tasks or tasks[slot][0] != key:
        return None
    task = tasks[slot][1]
    if not task.done:
        _progress_poll(t, slot)
        return None
    if task.error is not None:
        del tasks[slot]
        raise task.error
    return task.result


def _compare(t: Translator, digit: np.ndarray, recon: np.ndarray) -> None:
    """Drawing, reconstruction and their difference; the error and what the classifier reads."""
    diff = recon - digit
    names = [t("gan.drawing.yours"), t("gan.drawing.reconstruction"), t("gan.drawing.difference")]
    fig = plots.heatmap_panels([{"z": digit, "title": names[0], "zmin": 0, "zmax": 1},
                                {"z": recon, "title": names[1], "zmin": 0, "zmax": 1},
                                {"z": diff, "title": names[2], "zmin": -1, "zmax": 1, "colorscale": "RdBu"}],
                               height=300)
    error = float(np.abs(diff).mean())
    lang = chrome.language()
    display.show(fig, key="gan_invert_panels", text=t("gan.drawing.panels_text", error=error))
    c = st.columns(3)
    c[0].metric(t("gan.drawing.error"), i18n.format_number(error, lang, ".3f"))
    try:
        from core.models import classifier

        probs = classifier.predict_proba(classifier.load_classifier(), np.stack([digit, recon]))
        c[1].metric(t("gan.drawing.reads_yours"), str(int(probs[0].argmax())))
        c[2].metric(t("gan.drawing.reads_recon"), str(int(probs[1].argmax())))
    except (ValueError, OSError):  # no shipped classifier: the pictures say enough
        pass


def _walk(t: Translator, generator, z: np.ndarray) -> None:
    """From the drawing's code to a sample or to another saved drawing's code, with GIFs."""
    st.subheader(t("gan.drawing.walk_title"))
    to = st.radio(t("gan.drawing.walk_to"), ["sample", "drawing"], horizontal=True, key="gan_walk_to",
                  format_func=lambda w: t(f"gan.drawing.walk_{w}"))
    c = st.columns(2)
    if to == "sample":
        end = gan.latent(int(c[0].number_input(t("gan.drawing.walk_seed"), 0, 99_999, 1, key="gan_walk_seed")))[0]
    else:
        with c[0]:
            other = saved_drawing(t, "gan_walk_drawing", t("gan.drawing.walk_other"))
            found = None if other is None else inverted(t, generator, other, "walk", go=True)
        if found is None:
            return
        end = found[0]
    frames = c[1].slider(t("gan.interpolate.frames"), 4, 32, 12, key="gan_walk_frames")
    _, strips, _ = gan_explore.interpolation_strips(generator, z, end, frames)
    st.caption(t("gan.drawing.walk_caption"))
    gan_views.strips_view(t, strips, frames, "gan_walk")


def drawing(t: Translator, path: str) -> None:
    if st.session_state.pop("gan_goto", None):  # a button here opened another tab
        st.rerun()
    chrome.lesson(t, "gan.drawing")
    st.caption(t("gan.drawing.intro"))
    generator = gan.load_generator(path)
    left, right = st.columns([1, 1])
    with left:
        last = shared.last_digit()  # drawn on the classifier page in this session
        source = st.radio(t("gan.drawing.source"), ["canvas", "saved"] + (["last"] if last is not None else []),
                          horizontal=True, key="gan_draw_source", format_func=lambda s: t(f"gan.drawing.source_{s}"))
        if source == "canvas":
            digit = canvas.digit_canvas("gan_canvas", t("gan.drawing.clear"), missing_text=t("gan.drawing.no_canvas"))
        else:
            digit = last if source == "last" else saved_drawing(t, "gan_draw_saved", t("gan.drawing.saved"))
    with right:
        if digit is None:
            st.info(t("gan.drawing.start"))
            return
        st.image(plots.to_png_array(digit, scale=4), caption=t("gan.drawing.as_mnist"), alt=t("gan.alt.drawing"))
        go = st.button(t("gan.drawing.invert"), key="gan_invert", icon=":material/travel_explore:", type="primary")
        found = inverted(t, generator, digit, "main", go)
        if found is None:
            st.caption(t("gan.drawing.invert_hint"))
            return
        z, recon = found
        st.button(t("gan.drawing.to_explore"), key="gan_to_explore", icon=":material/tune:",
                  on_click=gan_views.send_to_explore, args=(t,), kwargs={"z": z})
        st.caption(t("gan.drawing.norm", norm=float(np.linalg.norm(z))))
    _compare(t, digit, recon)
    _walk(t, generator, np.asarray(z))
