"""Network playground: pick or draw 2-D data, design a small network, watch it learn live,
and take the model home as Keras code."""

import numpy as np
import streamlit as st

from core import playground as pg
from core.i18n import format_number
from core.playground_config import OWN, PlaygroundConfig
from ui import chrome, display, plots
from ui import playground_controls as controls
from ui import playground_plots as pp
from ui import playground_run as run
from ui.jobs_panel import status_text

t = chrome.start_page()
st.title(t("playground.title"))
st.markdown(t("playground.intro"))
chrome.lesson(t, "playground")
NAMES = controls.class_names(t)

# ---------------------------------------------------------------- 1. data
st.header(t("playground.data.header"))
data = controls.data_settings(t)
points = controls.own_points(t, data["seed"]) if data["dataset"] == OWN else []

# ---------------------------------------------------------------- 2. network
st.header(t("playground.net.header"))
st.markdown(t("playground.net.explain"))
network = controls.network_settings(t)
config = PlaygroundConfig(**data, **network)

# ---------------------------------------------------------------- 3. train
st.header(t("playground.run.header"))
st.markdown(t("playground.run.explain"))
job = run.current_job()
c = st.columns(4)
if run.is_active(job):
    if c[0].button(t("playground.run.pause"), key="playground_pause", icon=":material/pause:"):
        run.pause()
        st.rerun()
elif c[0].button(t("playground.run.train"), key="playground_train", icon=":material/play_arrow:", type="primary"):
    with chrome.guard(t):
        run.train(t, config.validate(), points)
        st.rerun()  # the whole page: the live view starts ticking
if c[1].button(t("playground.run.step"), key="playground_step", icon=":material/skip_next:",
               disabled=run.is_active(job)):
    with chrome.guard(t):
        run.train(t, config.validate(), points, epochs=1)
        st.rerun()
if c[2].button(t("playground.run.reset"), key="playground_reset", icon=":material/restart_alt:"):
    run.reset()
    st.rerun()


def _metrics(state: dict) -> None:
    h, lang = state["history"], chrome.language()
    cols = st.columns(4)
    cols[0].metric(t("playground.live.epoch"), state["epoch"])
    cols[1].metric(t("playground.live.train_loss"), format_number(h["loss"][-1], lang, ".3f"))
    cols[2].metric(t("playground.live.test_loss"), format_number(h["test_loss"][-1], lang, ".3f"))
    cols[3].metric(t("playground.live.test_accuracy"), format_number(h["test_accuracy"][-1], lang, ".1%"),
                   help=t("playground.live.train_accuracy", acc=format_number(h["accuracy"][-1], lang, ".1%")))


def live_view() -> None:
    """Status, numbers, the surface with train and test points, loss curves, the hidden units."""
    job = run.current_job()
    if TICKING and not run.is_active(job):
        st.rerun()  # the run ended: the whole page, so "Pause" turns back into "Train" and the ticking stops
    fits = run.fits(job, config, points)
    state = run.live(job) if fits else None
    if job is not None and not fits:
        st.info(t("playground.live.changed"))
    elif job is not None:
        st.caption(status_text(t, job.snapshot()))
    else:
        st.caption(t("playground.live.none"))
    data = run.data_or_message(t, config, points)
    if isinstance(data, str):
        st.info(data)
        return
    with chrome.guard(t):
        x_train, y_train, x_test, y_test = data
        axis = pg.grid()[0]
        title = (t("playground.live.surface_title", epoch=state["epoch"]) if state
                 else t("playground.live.data_title"))
        left, right = st.columns([3, 2])
        display.show(pp.surface(axis, state["surface"] if state else None, (x_train, y_train), (x_test, y_test),
                                NAMES, title, t("playground.live.test_suffix")),
                     key="playground_surface", where=left, text=t("playground.live.surface_text"))
        if not state:
            return
        with right:
            _metrics(state)
            h = state["history"]
            display.show(plots.lines({t("playground.live.train"): h["loss"], t("playground.live.test"): h["test_loss"]},
                                     t("playground.live.loss_title"), t("playground.live.epoch"),
                                     t("playground.live.loss"), height=300), key="playground_loss",
                         text=t("playground.live.loss_text"))
        _neurons(state["neurons"])


def _neurons(layers: list) -> None:
    if not layers:
        st.caption(t("playground.live.no_hidden"))
        return
    st.subheader(t("playground.live.neurons"))
    st.caption(t("playground.live.neurons_text"))
    for i, units in enumerate(layers):
        st.image(pp.neuron_strip(np.asarray(units)), caption=t("playground.live.layer", n=i + 1, units=len(units)),
                 alt=t("playground.live.layer_alt", n=i + 1, units=len(units)))


TICKING = run.is_active(job)
st.fragment(run_every=0.3 if TICKING else None)(live_view)()  # refreshes about three times a second

# ---------------------------------------------------------------- 4. export
with st.expander(t("playground.export.header"), icon=":material/code:"):
    st.markdown(t("playground.export.explain"))
    if isinstance(run.data_or_message(t, config, points), str):
        st.info(t("playground.export.need_data"))
    else:
        with chrome.guard(t):
            from core.playground_export import keras_script

            st.code(keras_script(config, points), language="python")
