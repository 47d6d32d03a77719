"""Shared page chrome: language, navigation, sidebar (device, jobs), errors, job panels.

The only Streamlit-aware helpers besides the pages themselves. ``app.py`` calls
``setup()``; every page calls ``t = chrome.start_page()`` and draws its content.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterator

import streamlit as st

from core import device, i18n, job_backends
from core.jobs import ACTIVE, CANCELLED, DONE, FAILED, INTERRUPTED, QUEUED, RUNNING, Job, JobRegistry
from ui import runtime

# (file, url path, translation key of the title, icon). The order is the menu's order.
PAGES = [
    ("pages/home.py", "", "nav.home", ":material/home:"),
    ("pages/perceptron.py", "perceptron", "nav.perceptron", ":material/linear_scale:"),
    ("pages/activations.py", "activations", "nav.activations", ":material/show_chart:"),
    ("pages/convolution.py", "convolution", "nav.convolution", ":material/grid_on:"),
    ("pages/classifier.py", "classifier", "nav.classifier", ":material/draw:"),
    ("pages/gan.py", "gan", "nav.gan", ":material/auto_awesome:"),
]
LANG_KEY = "app_lang"
FRAMED_KEY = "app_framed"  # set once this session has run through setup()
_frame = threading.local()  # .active is True while setup() runs a page in this script thread


@st.cache_resource
def registry() -> JobRegistry:
    """The job registry of this server process, shared by every browser session: training
    threads here, or a Redis queue shared with other replicas (``NNLAB_JOBS``)."""
    return job_backends.make_registry()


def latest_job(kind: str, session_key: str) -> Job | None:
    """The job this session last started (its id in ``st.session_state[session_key]``),
    else the newest job of ``kind`` on this server, else ``None``."""
    job = registry().get(st.session_state.get(session_key) or "")
    if job is None:
        jobs = registry().jobs(kind=kind)
        job = jobs[0] if jobs else None
    return job


def session_label() -> str:
    """A short id for this browser session (jobs record who started them)."""
    return st.session_state.setdefault("app_session", uuid.uuid4().hex[:6])


def language() -> str:
    """The session's language: the selector, else ``?lang=``, else English."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.normalise_language(st.query_params.get("lang"))
    return st.session_state[LANG_KEY]


def translator() -> i18n.Translator:
    """``t(key, **values)`` in the session's language."""
    return i18n.translator(language())


def start_page() -> i18n.Translator:
    """What every page calls first: make sure the app frame is drawn, get ``t``."""
    ensure_frame()
    return translator()


def _pages(t: i18n.Translator) -> list:
    return [st.Page(path, title=t(key), icon=icon, url_path=url or None, default=not url)
            for path, url, key, icon in PAGES]


def setup() -> None:
    """Run the app frame: page config, navigation, sidebar; then the chosen page."""
    runtime.keep_keras_state()  # before any page: background training must not be starved
    st.set_page_config(page_title="Neural Network Lab", page_icon=":material/neurology:",
                       layout="wide")
    lang = language()
    t = i18n.translator(lang)
    page = st.navigation(_pages(t))
    st.session_state[FRAMED_KEY] = True
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang  # keep the language in the URL to share it
    _sidebar(t)
    _frame.active = True
    try:
        page.run()
    finally:
        _frame.active = False


def ensure_frame() -> None:
    """Route a page through ``app.py`` when Streamlit ran the page file directly.

    On a freshly started server, a bookmarked deep link (``/classifier``) opened before
    any session has run ``app.py`` is served by Streamlit's old ``pages/`` discovery,
    which skips the entry point and shows its own menu. Declaring the app's navigation
    switches the server to ``st.navigation`` for good; the rerun then runs ``app.py``
    on the same page, so the first visitor sees exactly the app everyone else sees.
    A session that has been through ``setup()`` before (no rerun: it would drop a
    pending button click) gets the frame drawn around the page directly.
    """
    if getattr(_frame, "active", False):
        return
    if not st.session_state.get(FRAMED_KEY):
        st.navigation(_pages(translator()))
        st.rerun()
    setup()
    st.stop()


def _sidebar(t: i18n.Translator) -> None:
    with st.sidebar:
        st.selectbox("Language / Idioma", list(i18n.LANGUAGES), key=LANG_KEY,
                     format_func=i18n.LANGUAGES.get)
        gpus = device.gpu_names()
        name = "GPU: " + ", ".join(gpus) if gpus else t("common.device_cpu", cores=os.cpu_count())
        st.caption(t("common.device", device=name, tf=device.tensorflow_version()))
        _jobs_sidebar()


@st.fragment(run_every=2)
def _jobs_sidebar() -> None:
    t = translator()
    active = registry().active()
    st.markdown(f"**{t('common.jobs_title')}**")
    if not active:
        st.caption(t("common.no_jobs"))
    for job in active:
        snap = job.snapshot()
        st.caption(f"{job.title} · {status_text(t, snap)}")
        if st.button(t("common.stop"), key=f"app_stop_{job.id}", icon=":material/stop:"):
            job.cancel()


def status_text(t: i18n.Translator, snap) -> str:
    """One line about a job: status, epoch/batch, queue position."""
    if snap.status == QUEUED:
        return t("common.status_queued", position=snap.queue_position or 1)
    if snap.status == RUNNING:
        return t("common.status_running", epoch=max(snap.epoch, 1), epochs=snap.epochs or "?",
                 batch=snap.batch, batches=snap.batches or "?")
    return t(f"common.status_{snap.status}")


def job_panel(job: Job, t: i18n.Translator, key: str) -> None:
    """Progress bar, ETA, status and a stop button for ``job`` (call inside a fragment)."""
    snap = job.snapshot()
    st.progress(snap.fraction, text=status_text(t, snap))
    cols = st.columns([3, 1])
    if snap.status == RUNNING and snap.eta_s is not None:
        cols[0].caption(t("common.eta", eta=format_seconds(snap.eta_s)))
    if snap.status in ACTIVE and cols[1].button(t("common.stop"), key=f"{key}_stop_{job.id}",
                                                icon=":material/stop:"):
        job.cancel()
    if snap.status == FAILED:
        st.error(t("common.job_failed", error=snap.error))
    elif snap.status == INTERRUPTED:
        st.warning(t("common.job_interrupted"))
    elif snap.status == CANCELLED:
        st.info(t("common.job_cancelled"))
    elif snap.status == DONE:
        st.success(t("common.job_done"))


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


@contextlib.contextmanager
def guard(t: i18n.Translator | None = None) -> Iterator[None]:
    """Turn errors inside the block into a friendly message instead of a traceback.

    ``ValueError`` carries a message meant for the user; anything else is unexpected and
    shown in one line. Streamlit's own control flow (rerun, stop) passes through.
    """
    t = t or translator()
    try:
        yield
    except ValueError as exc:
        st.error(t("common.bad_input", error=str(exc)), icon=":material/error:")
    except Exception as exc:  # noqa: BLE001 - the point is to never show a traceback
        st.error(t("common.unexpected", error=f"{type(exc).__name__}: {exc}"),
                 icon=":material/error:")


def lesson(t: i18n.Translator, section: str) -> None:
    """The page's short lesson in an expander: idea, formula, what to try, questions."""
    with st.expander(t("common.lesson"), icon=":material/school:"):
        st.markdown(t(f"{section}.lesson.idea"))
        formula = t(f"{section}.lesson.formula")
        if formula and formula != f"{section}.lesson.formula":
            st.latex(formula)
        st.markdown(t(f"{section}.lesson.try"))
        st.markdown(f"**{t('common.check_yourself')}**")
        questions = t(f"{section}.lesson.questions")
        for i, qa in enumerate(questions if isinstance(questions, list) else []):
            st.markdown(f"{i + 1}. {qa['q']}")
            if st.toggle(t("common.show_answer"), key=f"{section}_lesson_answer_{i}"):
                st.info(qa["a"])
