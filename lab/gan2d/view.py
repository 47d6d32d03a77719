"""The two-dimensional GAN page's pieces: its controls (each returns values), the session's
trainer, and the live plane redrawn a few times a second while the game plays.

The run lives in the student's session (``st.session_state``), not in a background job: each
redraw trains a few iterations, then draws. Widget keys start with ``gan2d_``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import format_number
from lab.gan2d import maths, plots
from lab.gan2d.model import LEARNING_RATES, LOSSES, MAX_LAYERS, OPTIMIZERS, Gan2dSettings
from lab.gan2d.training import Gan2dTrainer
from ui import chrome, display

TRAINER_KEY = "gan2d_trainer"  # this session's Gan2dTrainer
PLAYING_KEY = "gan2d_playing"
OWN_KEY = "gan2d_own_points"  # rows [x1, x2] the student clicked
DEFAULT = Gan2dSettings()
TICK = 0.2  # seconds between redraws while playing: 5 a second
SLOW_TICK = 0.5
PER_TICK = 5  # iterations per redraw (slow motion: 1)


# ---------------------------------------------------------------- controls
def data_settings(t: i18n.Translator) -> dict:
    """Real distribution, sample count, noise, seed."""
    c = st.columns([2, 1, 1, 1])
    dataset = c[0].selectbox(t("gan2d.data.dataset"), [*maths.DATASETS, maths.OWN], key="gan2d_dataset",
                             format_func=lambda d: t(f"gan2d.datasets.{d}"))
    samples = c[1].select_slider(t("gan2d.data.samples"), maths.SAMPLES, 256, key="gan2d_samples")
    noise = c[2].slider(t("gan2d.data.noise"), 0.0, maths.MAX_NOISE, 0.05, 0.01, key="gan2d_noise")
    seed = c[3].number_input(t("gan2d.data.seed"), 0, 9999, 0, key="gan2d_seed")
    if dataset == maths.OWN:
        c = st.columns([4, 1])
        c[0].caption(t("gan2d.own.explain", low=maths.MIN_OWN_POINTS))
        if c[1].button(t("gan2d.own.clear"), key="gan2d_own_clear", icon=":material/delete:"):
            st.session_state[OWN_KEY] = []
    return dict(name=dataset, n=int(samples), noise=float(noise), seed=int(seed))


def model_settings(t: i18n.Translator) -> Gan2dSettings:
    """Loss, both networks' layers and units, optimizer, learning rates, k."""
    c = st.columns(3)
    loss = c[0].radio(t("gan2d.model.loss"), LOSSES, key="gan2d_loss", horizontal=True,
                      format_func=lambda v: t(f"gan2d.losses.{v}"), help=t("gan2d.model.loss_help"))
    optimizer = c[1].selectbox(t("gan2d.model.optimizer"), OPTIMIZERS, key="gan2d_optimizer",
                               format_func=lambda v: t(f"gan2d.optimizers.{v}"))
    k = c[2].number_input(t("gan2d.model.d_steps"), 1, 10, DEFAULT.d_steps, key="gan2d_d_steps",
                          help=t("gan2d.model.d_steps_help"))
    c = st.columns(6)
    g_layers = c[0].number_input(t("gan2d.model.g_layers"), 1, MAX_LAYERS, DEFAULT.g_layers, key="gan2d_g_layers")
    g_units = c[1].select_slider(t("gan2d.model.g_units"), [8, 16, 32, 64, 128], DEFAULT.g_units, key="gan2d_g_units")
    lr_g = c[2].select_slider(t("gan2d.model.lr_g"), LEARNING_RATES, DEFAULT.lr_g, key="gan2d_lr_g")
    d_layers = c[3].number_input(t("gan2d.model.d_layers"), 1, MAX_LAYERS, DEFAULT.d_layers, key="gan2d_d_layers")
    d_units = c[4].select_slider(t("gan2d.model.d_units"), [8, 16, 32, 64, 128], DEFAULT.d_units, key="gan2d_d_units")
    lr_d = c[5].select_slider(t("gan2d.model.lr_d"), LEARNING_RATES, DEFAULT.lr_d, key="gan2d_lr_d")
    return Gan2dSettings(loss=loss, g_layers=int(g_layers), g_units=int(g_units), d_layers=int(d_layers),
                         d_units=int(d_units), optimizer=optimizer, lr_g=float(lr_g), lr_d=float(lr_d),
                         d_steps=int(k)).validate()


def layer_toggles(t: i18n.Translator) -> list[str]:
    """Which layers the plane shows, and whether the curves are drawn (``"charts"``)."""
    names = [*plots.LAYERS, "charts"]
    cols = st.columns(len(names))
    return [name for col, name in zip(cols, names) if col.toggle(t(f"gan2d.layers.{name}"), True, key=f"gan2d_show_{name}")]


# ---------------------------------------------------------------- the session's run
def trainer(settings: Gan2dSettings, seed: int) -> tuple[Gan2dTrainer, bool]:
    """This session's trainer, new when the networks' shape, the loss or the seed changed
    (then ``True``); learning rates and k are changed in place."""
    current = st.session_state.get(TRAINER_KEY)
    if (current is not None and current.seed == seed
            and current.settings.architecture() == settings.architecture()):
        current.set_rates(settings.lr_g, settings.lr_d, settings.d_steps)
        return current, False
    st.session_state[TRAINER_KEY] = Gan2dTrainer(settings, seed)
    return st.session_state[TRAINER_KEY], current is not None


def reset() -> None:
    """Forget the session's networks (the next draw builds fresh ones) and stop playing."""
    st.session_state.pop(TRAINER_KEY, None)
    st.session_state[PLAYING_KEY] = False


def real_or_message(t: i18n.Translator, data: dict) -> np.ndarray | str:
    """The real points ``(n, 2)``, or why there are none yet (too few own points) as text."""
    own = st.session_state.get(OWN_KEY, [])
    if data["name"] == maths.OWN and len(own) < maths.MIN_OWN_POINTS:
        return t("gan2d.own.too_few", n=len(own), low=maths.MIN_OWN_POINTS)
    return maths.real_points(data["name"], data["n"], data["noise"], data["seed"], own=own)


def step(t: i18n.Translator, data: dict, settings: Gan2dSettings, mode: str) -> None:
    """One iteration (k discriminator steps and/or one generator step), if there are real points."""
    real = real_or_message(t, data)
    if not isinstance(real, str):
        trainer(settings, data["seed"])[0].run(real, 1, mode)


def playing() -> bool:
    return bool(st.session_state.get(PLAYING_KEY))


# ---------------------------------------------------------------- the live view
def _names(t: i18n.Translator, loss: str) -> dict:
    return {**{k: t(f"gan2d.layers.{k}") for k in plots.LAYERS}, "hint": t("gan2d.live.hint"),
            "map_bar": t(f"gan2d.live.map_{'gan' if loss == 'gan' else 'wgan'}")}


def _add_clicked(event) -> bool:
    place = plots.clicked_point(event)
    if place is None or st.session_state.get("gan2d_plane_last") == place:
        return False  # nothing clicked, or the same selection sent again by a rerun
    st.session_state["gan2d_plane_last"] = place
    st.session_state[OWN_KEY] = maths.add_point(st.session_state.get(OWN_KEY, []), *place)
    return True


def _metrics(t: i18n.Translator, run: Gan2dTrainer, snap: dict, data: dict) -> None:
    lang, h = chrome.language(), run.history
    last = {k: next((v for v in reversed(h[k]) if v == v), None) for k in ("d_loss", "g_loss")}  # v == v: not nan
    cols = [*st.columns(3), *st.columns(3)]  # two rows: five numbers do not fit one row of the left column
    cols[0].metric(t("gan2d.live.iteration"), snap["iteration"])
    for col, key in zip(cols[1:], ("d_loss", "g_loss")):
        col.metric(t(f"gan2d.live.{key}"), "–" if last[key] is None else format_number(last[key], lang, ".3f"))
    cols[3].metric(t("gan2d.live.distance"), format_number(snap["distance"], lang, ".3f"),
                   help=t("gan2d.live.distance_help"))
    centres = maths.mode_centres(data["name"]) if data["name"] != maths.OWN else np.zeros((0, 2))
    if len(centres):
        covered = int(maths.mode_coverage(snap["more"], centres).sum())
        cols[4].metric(t("gan2d.live.modes"), t("gan2d.live.modes_value", covered=covered, total=len(centres)),
                       help=t("gan2d.live.modes_help"))


def _charts(t: i18n.Translator, history: dict) -> None:
    names = {"d_loss": t("gan2d.live.d_loss"), "g_loss": t("gan2d.live.g_loss"),
             "loss_axis": t("gan2d.live.loss_axis"), "distance": t("gan2d.live.distance")}
    axis = t("gan2d.live.iteration")
    display.show(plots.losses(history, names, t("gan2d.live.loss_title"), axis, height=250), key="gan2d_losses",
                 text=t("gan2d.live.loss_text"))
    display.show(plots.distance(history, names, t("gan2d.live.distance_title"), axis, height=230),
                 key="gan2d_distance", text=t("gan2d.live.distance_text"))


def live(t: i18n.Translator, data: dict, settings: Gan2dSettings, show: list[str], mode: str, slow: bool) -> None:
    """The plane and the numbers; while playing, train a few iterations first."""
    real = real_or_message(t, data)
    own = data["name"] == maths.OWN
    if own:
        st.markdown(t("gan2d.own.count", n=len(st.session_state.get(OWN_KEY, []))))
    if isinstance(real, str):
        st.info(real)
    run, fresh = trainer(settings, data["seed"])
    if fresh:
        st.caption(t("gan2d.live.changed"))
    points = np.zeros((0, 2), np.float32) if isinstance(real, str) else real
    if playing() and len(points):
        run.run(points, 1 if slow else PER_TICK, mode)
    snap = run.snapshot(points) if len(points) else None
    title = t("gan2d.live.title", n=run.iteration, loss=t(f"gan2d.losses.{settings.loss}"))
    if playing() and snap is not None:  # while playing: a picture, cheap to redraw several times a second
        st.markdown(f"**{title}**")
        # JPEG: about 1 ms to encode against ~30 ms CPU for a PNG of this picture, and half the bytes
        st.image(plots.plane_image(points, snap, show), alt=t("gan2d.live.plane_text"), width=440,
                 output_format="JPEG")
        st.caption(t("gan2d.live.plane_text"))
    else:  # still: the interactive chart (hover, legend, clicks to draw)
        fig = plots.plane(points, snap, show, _names(t, settings.loss), title, clickable=own)
        event = display.show(fig, key="gan2d_plane", on_select="rerun" if own else "ignore", selection_mode="points",
                             text=t("gan2d.live.plane_own" if own else "gan2d.live.plane_text"))
        if own and _add_clicked(event):
            st.rerun(scope="fragment")  # draw the new point at once
    if snap is not None:
        _metrics(t, run, snap, data)


def curves(t: i18n.Translator) -> None:
    """The losses and the distance so far (redrawn once a second while playing: they change slowly)."""
    run = st.session_state.get(TRAINER_KEY)
    if run is not None and run.iteration:
        _charts(t, run.history)
    else:
        st.caption(t("gan2d.live.no_curves"))


def fragments(t: i18n.Translator, data: dict, settings: Gan2dSettings, show: list[str], mode: str,
              slow: bool) -> None:
    """The plane (left) and the curves (right) as fragments: while playing, the plane reruns every
    ``TICK`` (slow motion: ``SLOW_TICK``) and the curves every second."""
    every = (SLOW_TICK if slow else TICK) if playing() else None
    left, right = st.columns([3, 2])

    def plane() -> None:
        with chrome.guard(t):  # a fragment rerun runs outside the page's guard
            live(t, data, settings, show, mode, slow)

    def charts() -> None:
        with chrome.guard(t):
            curves(t)

    with left:
        st.fragment(run_every=every)(plane)()
    if "charts" in show:
        with right:
            st.fragment(run_every=1.0 if playing() else None)(charts)()
