"""Network playground: pick, draw or type 2-D data (classes or values), design a small network,
watch it learn live as a drawn network, touch its weights, and take it home as Keras code."""

import numpy as np
import streamlit as st

from core.i18n import format_number
from core.jobs.progress import RUNNING
from core.maths import playground as pg
from core.models.playground_config import FUNCTION, OWN, OWN_VALUES, PlaygroundConfig
from lab.playground import maths_regression as regression
from lab.playground import plots as pp
from lab.playground import plots_regression as rp
from lab.playground import view_controls as controls
from lab.playground import view_network
from lab.playground import view_run as run
from ui import chrome, display, downloads, links, plots
from ui.copy_link import copy_link
from ui.jobs_panel import shown_live, status_text

t = chrome.start_page()
st.title(t("playground.title"))
st.markdown(t("playground.intro"))
chrome.lesson(t, "playground")
view_network.lesson(t)
NAMES = controls.class_names(t)

# ---------------------------------------------------------------- 1. data
st.header(t("playground.data.header"))
link = links.watch("playground", controls.LINK_KEYS)  # a notice for bad values in a link goes here
data = controls.data_settings(t)


def _rows(data: dict) -> list:
    """Rows ``[x1, x2, label or value]`` the job trains on for own points, a CSV of values or a formula."""
    if data["dataset"] == OWN:
        return controls.own_points(t, data["seed"])
    if data["dataset"] == OWN_VALUES:
        return controls.own_values(t)
    if data["dataset"] == FUNCTION:
        with chrome.guard(t):
            rows, scale = regression.function_rows(data["expression"], data["points"], data["noise"], data["seed"])
            if scale > 1:
                st.caption(t("playground.regression.scaled", scale=format_number(scale, chrome.language(), ".3g")))
            return rows
    return []


points = _rows(data)

# ---------------------------------------------------------------- 2. network
st.header(t("playground.net.header"))
st.markdown(t("playground.net.explain"))
network = controls.network_settings(t)

# ---------------------------------------------------------------- 3. train
st.header(t("playground.run.header"))
st.markdown(t("playground.run.explain"))
job = run.current_job()
c = st.columns([1, 1.4, 1, 2, 2], vertical_alignment="bottom")
config = PlaygroundConfig(**data, **network, **controls.training_settings(t, c[3], c[4]))
links.report(t, link, controls.link_text(t))  # the address bar holds the settings (bind)
if run.is_active(job):
    if c[0].button(t("playground.run.pause"), key="playground_pause", icon=":material/pause:"):
        with chrome.guard(t):  # Redis away: the pause says so instead of failing
            run.pause()
            st.rerun()
elif c[0].button(t("playground.run.train"), key="playground_train", icon=":material/play_arrow:", type="primary",
                 **chrome.start_button(t, "playground")):
    with chrome.guard(t):
        run.train(t, config.validate(), points)
        st.rerun()  # the whole page: the live view starts ticking
if c[1].button(t("playground.run.step"), key="playground_step", icon=":material/skip_next:",
               **{"disabled": run.is_active(job), **chrome.start_button(t, "playground")}):
    with chrome.guard(t):
        run.train(t, config.validate(), points, epochs=1)
        st.rerun()
if c[2].button(t("playground.run.reset"), key="playground_reset", icon=":material/restart_alt:"):
    run.reset()
    st.rerun()
SHOW_TEST, DISCRETE = controls.view_settings(t)
share = st.columns([3, 1], vertical_alignment="center")
share[0].caption(t("links.share"))
with share[1]:
    copy_link(t, "playground_copy_link")  # the address holds the settings above (bind)


def _loss_metric(where, label: str, values: list, lang: str) -> None:
    delta = values[-1] - values[0] if len(values) > 1 else None
    where.metric(label, format_number(values[-1], lang, ".4f"), delta_color="inverse",
                 delta=None if delta is None else t("playground.controls.since_first", d=format_number(delta, lang, "+.4f")))


def _metrics(state: dict) -> None:
    h, lang = state["history"], chrome.language()
    cols = st.columns(4 if "test_accuracy" in h else 3)
    cols[0].metric(t("playground.live.epoch"), state["epoch"])
    _loss_metric(cols[1], t("playground.live.train_loss"), h["loss"], lang)
    _loss_metric(cols[2], t("playground.live.test_loss"), h["test_loss"], lang)
    if "test_accuracy" in h:
        cols[3].metric(t("playground.live.test_accuracy"), format_number(h["test_accuracy"][-1], lang, ".1%"),
                       help=t("playground.live.train_accuracy", acc=format_number(h["accuracy"][-1], lang, ".1%")))


def _state() -> tuple:
    """This session's job, one snapshot of it (every epoch number on screen comes from this one
    copy: the caption, the pictures' titles and the numbers agree), its last published state
    (with the student's edited weights) if it fits the settings on screen, the data."""
    job = run.current_job()
    snap = job.snapshot() if job is not None else None
    live = snap.extras.get("live") if snap is not None else None
    state = view_network.applied(live, job.id, config) if run.fits(job, config, points) else None
    return job, snap, state, run.data_or_message(t, config, points)


def _status(snap, state: dict | None) -> str:
    """The line above the pictures: while training, the epoch the pictures show (the job may
    have run a few more since it published them), else the job's status."""
    if snap is None:
        return t("playground.live.none")
    if snap.status == RUNNING and state:
        return t("playground.live.running", epoch=state["epoch"], epochs=snap.epochs or "?")
    return status_text(t, snap)


def _untrained() -> dict:
    """The network before its first epoch (the weights "Train" starts from), maybe edited."""
    return view_network.applied(run.untrained(config, points), None, config)


def _surface(where, state: dict | None, train: tuple, test: tuple) -> None:
    """The network's answer over the plane (a picture while training, else a chart)."""
    title = (t("playground.live.surface_title", epoch=state["epoch"]) if state else t("playground.live.data_title"))
    values = state["surface"] if state else None
    if values is not None and DISCRETE:
        values = regression.discretize(values, config.regression)
    text = t("playground.regression.surface_text" if config.regression else "playground.live.surface_text")
    if TICKING and state:  # while training: a picture, cheap enough to redraw several times a second
        where.markdown(f"**{title}**")
        image = (rp.value_surface_image(values, train, test) if config.regression
                 else pp.surface_image(values, train, test))
        where.image(image, alt=text, width=440, output_format="PNG")
        where.caption(text)
    elif config.regression:
        display.show(rp.value_surface(pg.grid()[0], values, train, test,
                                      (t("playground.live.train"), t("playground.live.test")), title),
                     key="playground_surface", where=where, text=text)
    else:  # still: the interactive chart (hover, legend)
        display.show(pp.surface(pg.grid()[0], values, train, test, NAMES, title, t("playground.live.test_suffix")),
                     key="playground_surface", where=where, text=text)


def surface_view() -> None:
    """Status, the network drawn, the surface with train and test points, the numbers (about 3
    times a second, all from one snapshot of the job)."""
    job, snap, state, data = _state()
    if TICKING and not run.is_active(job):
        st.rerun()  # the run ended: the whole page, so "Pause" turns back into "Train" and the ticking stops
    if TICKING:
        shown_live(job.id)  # the sidebar's line for this job leaves the epoch to this page
    if snap is not None and state is None and snap.extras.get("live") is not None:
        st.info(t("playground.live.changed"))
    else:
        st.caption(_status(snap, state))
    if isinstance(data, str):
        st.info(data)
        return
    left, right = st.columns([3, 2])
    with chrome.guard(t):
        x_train, y_train, x_test, y_test = data
        test = (x_test, y_test) if SHOW_TEST else (np.zeros((0, 2)), y_test[:0])
        shown = state or _untrained()  # before the first epoch: the network Train starts from
        _surface(right, shown, (x_train, y_train), test)
        with left:
            view_network.draw(t, shown, config, TICKING and state is not None, chrome.language(),
                              job.id if state else None)
    if state:
        _metrics(state)


def curves_view() -> None:
    """The train and test loss curves (once a second: they change slowly)."""
    state = _state()[2]
    if not state:
        return
    epochs, train_loss = pp.thin(state["history"]["loss"])
    test_loss = pp.thin(state["history"]["test_loss"])[1]
    loss = "playground.regression.loss" if config.regression else "playground.live.loss"
    display.show(plots.lines({t("playground.live.train"): train_loss, t("playground.live.test"): test_loss},
                             t("playground.live.loss_title"), t("playground.live.epoch"),
                             t(loss), x=epochs, height=320), key="playground_loss",
                 text=t("playground.regression.loss_text" if config.regression else "playground.live.loss_text"))


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

            script = keras_script(config, points)
            st.code(script, language="python")
            downloads.script_button(t, script, "playground_network.py", key="playground_download_script")
