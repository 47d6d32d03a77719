"""The "Latent map" tab: a plane through latent space as a grid of generated digits, coloured
by what the default classifier reads; a click loads that cell's ``z`` into Explore.

The plane runs through a seed's ``z`` along Explore's two strongest directions (a click
sets the seed and the two sliders), or through the codes of two saved drawings (a click
hands Explore that ``z``). Maps come from ``lab.gan.model_map``'s cache shared by every session.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.i18n import Translator
from lab.gan import model as gan
from lab.gan import model_map as gan_map
from lab.gan import plots as gan_plots
from lab.gan import view as gan_views
from lab.gan import view_drawing as gan_drawing_view
from ui import chrome, display

SPAN = 4.0  # as far as Explore's sliders go: a click lands exactly on slider steps


def _picked(t: Translator, plane: dict) -> None:
    """The chart's selection callback: open Explore on the clicked cell."""
    event = st.session_state.get("gan_map_chart") or {}
    points = [p for p in event.get("selection", {}).get("points", []) if p.get("curve_number", 1) == 1]
    if not points:
        return
    cols = len(plane["coords"])
    r, c = divmod(int(points[0].get("point_index", points[0].get("point_number", 0))), cols)
    u, v = float(plane["coords"][c]), float(plane["coords"][::-1][r])
    if plane["seed"] is not None:
        gan_views.send_to_explore(t, seed=plane["seed"], moves={0: u, 1: v})
    else:
        gan_views.send_to_explore(t, z=plane["z"][r, c])


def _drawings_plane(t: Translator, generator, helper: np.ndarray, cells: int):
    """``(centre, d1, d2, span, marks)`` through two saved drawings' codes, or ``None`` while
    they are being inverted (or missing)."""
    c = st.columns(2)
    codes = []
    for i, (col, side) in enumerate(zip(c, ("a", "b"))):
        with col:  # two different drawings to start with: one plane needs two codes
            digit = gan_drawing_view.saved_drawing(t, f"gan_map_{side}", t(f"gan.map.drawing_{side}"), default=i)
            found = None if digit is None else gan_drawing_view.inverted(t, generator, digit, f"map_{side}", go=True)
        codes.append(None if found is None else found[0])
    if any(z is None for z in codes):
        return None
    centre, d1, d2, half = gan_map.drawing_plane(codes[0], codes[1], helper)
    mid, quarter = cells // 2, (cells - 1) // 4  # the codes sit at u = ∓half = ∓span/2
    return centre, d1, d2, 2 * half, [(mid, mid - quarter), (mid, mid + quarter)]


def latent_map(t: Translator, path: str) -> None:
    if st.session_state.pop("gan_goto", None):  # a click here opened Explore
        st.rerun()
    chrome.lesson(t, "gan.map")
    st.caption(t("gan.map.intro"))
    generator = gan.load_generator(path)
    dirs, _ = gan_views.path_directions(path)
    c = st.columns([2, 1, 1])
    plane = c[0].radio(t("gan.map.plane"), ["principal", "drawings"], key="gan_map_plane",
                       format_func=lambda p: t(f"gan.map.plane_{p}"))
    cells = c[1].select_slider(t("gan.map.cells"), gan_map.CELLS, gan_map.CELLS[0], key="gan_map_cells")
    seed = None
    if plane == "principal":
        seed = int(c[2].number_input(t("gan.map.seed"), 0, 99_999, 7, key="gan_map_seed"))
        centre, d1, d2, span, marks = gan.latent(seed)[0], dirs[0], dirs[1], SPAN, [(cells // 2, cells // 2)]
    else:
        found = _drawings_plane(t, generator, dirs[0], int(cells))
        if found is None:
            st.info(t("gan.map.need_drawings"))
            return
        centre, d1, d2, span, marks = found
    from core.models import classifier

    with st.spinner(t("gan.map.computing")):
        grid = gan_map.cached_map(generator, classifier.load_classifier(), centre, d1, d2, span, int(cells))
    sure = grid["confidence"] >= gan_plots.UNSURE
    counts = gan_map.cell_counts(grid["labels"][sure])
    fig = gan_plots.latent_map(grid["images"], grid["labels"], grid["confidence"], grid["coords"],
                               t("gan.map.title", cells=int(cells) ** 2), t(f"gan.map.u_{plane}"),
                               t(f"gan.map.v_{plane}"), t("gan.map.reads"), marks)
    context = {"seed": seed, "coords": grid["coords"], "z": grid["z"]}
    display.show(fig, key="gan_map_chart", on_select=lambda: _picked(t, context), selection_mode="points")
    st.html(gan_plots.legend_html(t("gan.map.unsure", pct=gan_plots.UNSURE)))  # wraps on a phone
    st.caption(t("gan.map.text", counts=", ".join(f"{d}: {n}" for d, n in enumerate(counts) if n),
                 unsure=int((~sure).sum())))
    st.caption(t(f"gan.map.click_{plane}"))
