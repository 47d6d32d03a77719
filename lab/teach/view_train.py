"""The teach page's training and live test: one Train button (a background job, as every
training in the lab), its progress, then the student's drawing or photo through the model."""

from __future__ import annotations

from dataclasses import asdict

import streamlit as st

from core import i18n
from core.errors import InputError
from core.jobs.registry import ACTIVE
from core.storage import store
from lab.teach import maths, training
from lab.teach.storage import Project
from ui import chrome, display

JOB_KEY = "teach_job_id"


def submit(t: i18n.Translator, config: training.TeachConfig):
    """Start the ``teach`` job: its kind and config (the registry builds the job from them,
    ``core.backends.kinds``)."""
    return chrome.registry().submit(training.KIND, t("teach.train.job_title"), asdict(config),
                                    owner=chrome.session_label())


def my_model() -> store.ModelEntry | None:
    """This student's trained model (``teach-<owner>``), if there is one."""
    name = training.model_name(chrome.session_label())
    return next((e for e in store.list_models(kind=training.KIND) if e.name == name), None)


def train_section(t: i18n.Translator, project: Project) -> None:
    """4. The Train button, the job's progress and what it gave."""
    st.subheader(t("teach.train.title"))
    st.markdown(t("teach.train.explain", need=maths.MIN_EXAMPLES))
    if st.button(t("teach.train.start"), key="teach_train", icon=":material/play_arrow:", type="primary",
                 **chrome.start_button(t, training.KIND)):
        with chrome.guard(t):
            maths.check_trainable(project.names, project.counts())  # said now, not after the queue
            st.session_state[JOB_KEY] = submit(t, training.TeachConfig(owner=chrome.session_label())).id
    job = chrome.latest_job(training.KIND, JOB_KEY)
    st.fragment(run_every=1 if job is not None and job.status in ACTIVE else None)(_progress)(t)


def _progress(t: i18n.Translator) -> None:
    job = chrome.latest_job(training.KIND, JOB_KEY)
    if job is None:
        return
    chrome.job_panel(job, t, key="teach_job")
    snap = job.snapshot()
    if snap.status == "done" and snap.result:
        r = snap.result
        st.caption(t("teach.train.done", n=len(r.get("classes", [])), examples=r.get("examples", 0),
                     seconds=i18n.format_number(float(r.get("seconds", 0)), chrome.language(), ".1f")))
        if not st.session_state.get("teach_seen_" + job.id):
            st.session_state["teach_seen_" + job.id] = True
            st.rerun(scope="app")  # the test and export sections below find the new model


def _answer(t: i18n.Translator, model, names: list[str], image) -> None:
    from lab.teach import model as tm
    from lab.teach import plots

    probs = tm.probabilities(model, image)[0]
    ranked = maths.ranked(probs, names)
    lang = chrome.language()
    st.metric(t("teach.test.answer"), ranked[0][0], border=True)
    percent = [i18n.format_number(p, lang, ".0%") for _, p in ranked]
    separators = ",." if lang == "es" else ".,"
    display.show(plots.probability_bars(ranked, t("teach.test.chart_title"), t("teach.test.axis"), percent, separators),
                 key="teach_probs", text=t("teach.test.chart_text", name=ranked[0][0], p=percent[0]))


@st.fragment
def test_section(t: i18n.Translator) -> None:
    """5. Draw or show the camera; the class probabilities (a fragment: a stroke reruns only this)."""
    from lab.teach.view_examples import picture

    st.subheader(t("teach.test.title"))
    entry = my_model()
    if entry is None:
        st.info(t("teach.test.train_first"))
        return
    names = list(entry.card.get("classes", []))
    st.caption(t("teach.test.model", classes=", ".join(names), saved=entry.card.get("saved", "")))
    source = st.radio(t("teach.add.source"), ("draw", "camera"), horizontal=True, key="teach_test_source",
                      format_func=lambda s: t(f"teach.add.source_{s}"))
    left, right = st.columns([1, 1])
    image = None
    with left, chrome.guard(t):
        image = picture(t, source, "teach_test")
    with right, chrome.guard(t):
        if image is None:
            st.info(t(f"teach.test.start_{source}"))
            return
        model = store.load_cached(entry.path)
        if model.output_shape[-1] != len(names):
            raise InputError("teach.no_model")
        _answer(t, model, names, image)
