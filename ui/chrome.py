"""Shared page chrome: language, navigation, sidebar (device, jobs), errors, job panels.

The only Streamlit-aware helpers besides the pages themselves. ``app.py`` calls
``setup()``; every page calls ``t = chrome.start_page()`` and draws its content.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import threading
import uuid
from collections.abc import Iterator

import streamlit as st

from core import device, errors, i18n, job_backends, store
from core.jobs import ACTIVE, CANCELLED, DONE, FAILED, INTERRUPTED, QUEUED, RUNNING, Job, JobRegistry
from core.paths import clean_up_once
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
MY_JOBS_KEY = "app_my_active_jobs"  # this session's queued and running jobs at the last sidebar tick
TEACHER_KEY = "app_teacher"  # True once this session entered the teacher key
FRAMED_KEY = "app_framed"  # set once this session has run through setup()
_frame = threading.local()  # .active is True while setup() runs a page in this script thread


@st.cache_resource
def registry() -> JobRegistry:
    """The job registry of this server process, shared by every browser session: training
    threads here, or a Redis queue shared with other replicas (``NNLAB_JOBS``).

    Created once per process: the place to remove what a killed process left half-written.
    """
    clean_up_once([store.user_models_dir()])
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
    lang = language()
    t = i18n.translator(lang)
    page = st.navigation(_pages(t))
    # each page its own title in the browser tab (WCAG 2.4.2), in the session's language
    st.set_page_config(page_title=page_title(t, page.title), page_icon=":material/neurology:",
                       layout="wide")
    st.session_state[FRAMED_KEY] = True
    _html_lang(lang)
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang  # keep the language in the URL to share it
    _sidebar(t)
    _frame.active = True
    try:
        page.run()
    finally:
        _frame.active = False


def page_title(t: i18n.Translator, title: str) -> str:
    """The browser tab's title: the page, then the lab (the home page: the lab alone)."""
    lab = t("home.title")
    return lab if title in (lab, t("nav.home")) else f"{title} · {lab}"


def _html_lang(lang: str) -> None:
    """Set ``<html lang>`` to the session's language, so screen readers pick the right voice.

    Streamlit serves one static ``index.html`` with ``lang="en"`` (WCAG 3.1.1 wants the
    page's real language). ``lang`` comes from ``i18n.LANGUAGES``, never from the URL as is.
    """
    lang = i18n.normalise_language(lang)
    with st.sidebar:
        st.html(f"<script>document.documentElement.lang = '{lang}';</script>", width="content",
                unsafe_allow_javascript=True)


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
        _teacher_sidebar(t)


@st.fragment(run_every=2)
def _jobs_sidebar() -> None:
    """Queued and running jobs of every session: running first, each with its owner; a Stop
    button only on the jobs this session may stop (keyed by job id, never by position)."""
    t = translator()
    active = registry().active()
    mine = {job.id for job in active if job.owner == session_label()}
    ended, st.session_state[MY_JOBS_KEY] = st.session_state.get(MY_JOBS_KEY, set()) - mine, mine
    if ended:  # a job of this session just ended: its model belongs in the page's lists now
        st.rerun(scope="app")
    st.markdown(f"**{t('common.jobs_title')}**")
    if not active:
        st.caption(t("common.no_jobs"))
    for job in active:
        snap = job.snapshot()
        st.caption(t("common.job_line", title=errors.escape_markdown(job.title), owner=owner_text(t, job),
                     status=status_text(t, snap)))
        if may_stop(job) and st.button(t("common.stop"), key=f"app_stop_{job.id}", icon=":material/stop:",
                                       help=t("common.stop_job", title=job.title)):
            job.cancel()


def remember(*keys: str) -> None:
    """Keep these widgets' values for the whole session.

    Streamlit forgets a widget's value when a run does not draw it: after a switch to another
    page, or while its tab is closed (tabs run only when open). Call this before drawing the
    widgets: a value that was forgotten comes back from a copy kept under another key.
    """
    for key in keys:
        kept = f"_kept_{key}"
        if key in st.session_state:
            st.session_state[kept] = st.session_state[key]
        elif kept in st.session_state:
            st.session_state[key] = st.session_state[kept]


def teacher_key() -> str:
    """The teacher key from the server's environment (``NNLAB_TEACHER_KEY``) or secrets
    (``teacher_key``); empty when none is set. Never shown on a page."""
    key = os.environ.get("NNLAB_TEACHER_KEY", "")
    if not key:
        try:
            key = str(st.secrets.get("teacher_key", ""))
        except Exception:  # noqa: BLE001 - no secrets file: no teacher key
            key = ""
    return key


def is_teacher() -> bool:
    return bool(st.session_state.get(TEACHER_KEY))


def _check_teacher_key() -> None:
    typed = st.session_state.get("app_teacher_input", "")
    key = teacher_key()
    st.session_state[TEACHER_KEY] = bool(key) and hmac.compare_digest(typed.encode(), key.encode())
    st.session_state["app_teacher_wrong"] = bool(typed) and not st.session_state[TEACHER_KEY]
    st.session_state["app_teacher_input"] = ""  # the key is not kept in the session


def _teacher_sidebar(t: i18n.Translator) -> None:
    if is_teacher():
        st.caption(t("common.teacher_on"))
    elif teacher_key():
        st.text_input(t("common.teacher_key"), type="password", key="app_teacher_input",
                      on_change=_check_teacher_key, help=t("common.teacher_key_help"))
        if st.session_state.get("app_teacher_wrong"):
            st.caption(t("common.teacher_wrong"))


def may_stop(job: Job) -> bool:
    """Whether this session may stop ``job``: it started it, or it is the teacher's."""
    return job.can_stop(session_label(), is_teacher())


def owner_text(t: i18n.Translator, job: Job) -> str:
    """``yours`` or ``session 3fa2c1``."""
    if job.owner and job.owner == session_label():
        return t("common.job_owner_you")
    return t("common.job_owner_other", owner=job.owner or "?")


def model_label(t: i18n.Translator, entry: store.ModelEntry) -> str:
    """A model's name and origin in the session's language: ``cnn-... (yours)`` / ``(tuyo)``."""
    return i18n.model_label(t, entry.name, entry.shipped)


def device_text(t: i18n.Translator, text: str) -> str:
    """A model card's device (``"CPU (2 cores)"``) in the session's language."""
    return i18n.device_text(t, text)


def error_text(t: i18n.Translator, exc: BaseException) -> str:
    """``exc`` as Markdown-safe text in the session's language (for messages outside ``guard``)."""
    return errors.message(t, exc)


def job_message(t: i18n.Translator, snap) -> str:
    """What the job is doing now (``loading data``...), translated when it has a message code."""
    if snap.message_code:
        return errors.escape_markdown(str(t(f"common.job_msg.{snap.message_code}", **snap.message_values)))
    return errors.escape_markdown(snap.message)


def status_text(t: i18n.Translator, snap) -> str:
    """One line about a job: status, epoch/batch, queue position."""
    if snap.status == QUEUED:
        return t("common.status_queued", position=snap.queue_position or 1)
    if snap.status == RUNNING:
        return t("common.status_running", epoch=max(snap.epoch, 1), epochs=snap.epochs or "?",
                 batch=snap.batch, batches=snap.batches or "?")
    return t(f"common.status_{snap.status}")


def job_panel(job: Job, t: i18n.Translator, key: str) -> None:
    """Progress bar, ETA, what it is doing, and a stop button for ``job`` if this session may
    stop it (call inside a fragment)."""
    snap = job.snapshot()
    st.progress(snap.fraction, text=status_text(t, snap))
    cols = st.columns([3, 1])
    if snap.status == RUNNING and snap.eta_s is not None:
        cols[0].caption(t("common.eta", eta=format_seconds(snap.eta_s)) if snap.eta_s >= 1 else t("common.eta_soon"))
    if snap.status in ACTIVE and snap.message_code:
        cols[0].caption(job_message(t, snap))
    if snap.status in ACTIVE:
        if not may_stop(job):
            cols[1].caption(t("common.not_yours"))
        elif cols[1].button(t("common.stop"), key=f"{key}_stop_{job.id}", icon=":material/stop:",
                            help=t("common.stop_job", title=job.title)):
            job.cancel()
    if snap.status == FAILED:
        error = (errors.render(t, snap.error_code, snap.error_values, markdown=True) if snap.error_code
                 else errors.escape_markdown(snap.error or ""))
        st.error(t("common.job_failed", error=error))
    elif snap.status == INTERRUPTED:
        st.warning(t("common.job_interrupted"))
    elif snap.status == CANCELLED:
        st.info(stopped_text(t, snap))
    elif snap.status == DONE:
        st.success(t("common.job_done"))


def stopped_text(t: i18n.Translator, snap) -> str:
    """A stopped job's message: where it stopped and its model's name when its result says so."""
    result = snap.result
    if result.get("model_name") and result.get("stopped_at_epoch"):
        return t("common.job_stopped_saved", epoch=result["stopped_at_epoch"],
                 epochs=result.get("epochs_planned") or snap.epochs or "?",
                 name=errors.escape_markdown(str(result["model_name"])))
    if not snap.batch_history and not snap.history:
        return t("common.job_stopped_nothing")
    return t("common.job_cancelled")


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


@contextlib.contextmanager
def guard(t: i18n.Translator | None = None) -> Iterator[None]:
    """Turn errors inside the block into a friendly message instead of a traceback.

    An ``InputError`` (``core.errors``) is shown translated into the session's language,
    with its numbers; another ``ValueError`` carries a message meant for the user; anything
    else is unexpected and shown in one line. Texts from outside (file names, values) are
    shown literally, never as Markdown. Streamlit's own control flow (rerun, stop) passes
    through.
    """
    t = t or translator()
    try:
        yield
    except ValueError as exc:
        st.error(t("common.bad_input", error=errors.message(t, exc)), icon=":material/error:")
    except Exception as exc:  # noqa: BLE001 - the point is to never show a traceback
        st.error(t("common.unexpected", error=errors.escape_markdown(f"{type(exc).__name__}: {exc}")),
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
