"""Network playground: pick or draw 2-D data, design a small network, watch it learn live,
and take the model home as Keras code."""

import streamlit as st

from core.i18n import format_number
from core.maths import playground as pg
from core.models.playground_config import OWN, PlaygroundConfig
from ui import chrome, display, links, plots
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
links.restore(t, "playground", controls.LINK)  # a shared link sets the controls below
data = controls.data_settings(t)
points = controls.own_points(t, data["seed"]) if data["dataset"] == OWN else []

# ---------------------------------------------------------------- 2. network
st.header(t("playground.net.header"))
st.markdown(t("playground.net.explain"))
network = controls.network_settings(t)
config = PlaygroundConfig(**data, **network)
links.publish("playground", controls.LINK)  # the address bar holds the settings

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


def _state() -> tuple:
    """This session's job, its last published state if it fits the settings on screen, the data."""
    job = run.current_job()
    fits = run.fits(job, config, points)
    return job, run.live(job) if fits else None, run.data_or_message(t, config, points)


def surface_view() -> None:
    """Status, the surface with train and test points, and the hidden units (about 3 times a second)."""
    job, state, data = _state()
    if TICKING and not run.is_active(job):
        st.rerun()  # the run ended: the whole page, so "Pause" turns back into "Train" and the ticking stops
    if job is not None and state is None and run.live(job) is not None:
        st.info(t("playground.live.changed"))
    else:
        st.caption(status_text(t, job.snapshot()) if job is not None else t("playground.live.none"))
    if isinstance(data, str):
        st.info(data)
        return
    left, right = st.columns([3, 2])
    with chrome.guard(t):
        x_train, y_train, x_test, y_test = data
        title = (t("playground.live.surface_title", epoch=state["epoch"]) if state
                 else t("playground.live.data_title"))
        if TICKING and state:  # while training: a picture, cheap enough to redraw several times a second
            left.markdown(f"**{title}**")
            left.image(pp.surface_image(state["surface"], (x_train, y_train), (x_test, y_test)),
                       alt=t("playground.live.surface_text"), width=440, output_format="PNG")
            left.caption(t("playground.live.surface_text"))
        else:  # still: the interactive chart (hover, legend)
            display.show(pp.surface(pg.grid()[0], state["surface"] if state else None, (x_train, y_train),
                                    (x_test, y_test), NAMES, title, t("playground.live.test_suffix")),
                         key="playground_surface", where=left, text=t("playground.live.surface_text"))
        if state:
            with right:
                _neurons(state["neurons"])


def _neurons(layers: list) -> None:
    st.markdown(f"**{t('playground.live.neurons')}**")
    if not layers:
        st.caption(t("playground.live.no_hidden"))
        return
    st.caption(t("playground.live.neurons_text"))
    sizes = ", ".join(str(len(units)) for units in layers)
    st.image(pp.neuron_picture(layers), caption=t("playground.live.layers", sizes=sizes),
             alt=t("playground.live.layers_alt", n=len(layers), sizes=sizes))


def curves_view() -> None:
    """The numbers and the train and test loss curves (once a second: they change slowly)."""
    state = _state()[1]
    if not state:
        return
    _metrics(state)
    epochs, train_loss = pp.thin(state["history"]["loss"])
    test_loss = pp.thin(state["history"]["test_loss"])[1]
    display.show(plots.lines({t("playground.live.train"): train_loss, t("playground.live.test"): test_loss},
                             t("playground.live.loss_title"), t("playground.live.epoch"),
                             t("playground.live.loss"), x=epochs, height=320), key="playground_loss",
                 text=t("playground.live.loss_text"))


TICKING = run.is_active(job)
st.fragment(run_every=0.2 if TICKING else None)(surface_view)()  # asked 5 times a second: 3+ when busy
st.fragment(run_every=1.0 if TICKING else None)(curves_view)()

# ---------------------------------------------------------------- 4. export
with st.expander(t("playground.export.header"), icon=":material/code:"):
    st.markdown(t("playground.export.explain"))
    if isinstance(run.data_or_message(t, config, points), str):
        st.info(t("playground.export.need_data"))
    else:
        with chrome.guard(t):
            from core.models.playground_export import keras_script

            st.code(keras_script(config, points), language="python")
