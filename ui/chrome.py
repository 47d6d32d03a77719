"""Shared page chrome: navigation, the sidebar (language, device, jobs), errors, lessons.

``app.py`` calls ``setup()``; every page calls ``t = chrome.start_page()`` and draws its
content. The session's basics live in ``ui.session`` and the job views in
``ui.jobs_panel``; the names pages use from them are available here too.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core import device, errors, i18n
from core.storage import store
from ui import jobs_panel, runtime, session, task
from ui.classroom import sidebar as class_sidebar

# The page's API in one place: session basics (ui.session) and job views (ui.jobs_panel).
from ui.jobs_panel import job_message, job_panel, latest_job, start_button, stopped_text  # noqa: F401
from ui.questions import questions as lesson_questions
from ui.session import LANG_KEY, language, registry, session_label, translator  # noqa: F401

# (file, url path, translation key of the title, icon). The order is the menu's order.
PAGES = [
    ("lab/home/page.py", "", "nav.home", ":material/home:"),
    ("lab/perceptron/page.py", "perceptron", "nav.perceptron", ":material/linear_scale:"),
    ("lab/playground/page.py", "playground", "nav.playground", ":material/scatter_plot:"),
    ("lab/activations/page.py", "activations", "nav.activations", ":material/show_chart:"),
    ("lab/toolbox/page.py", "training-toolbox", "toolbox.nav", ":material/construction:"),
    ("lab/convolution/page.py", "convolution", "nav.convolution", ":material/grid_on:"),
    ("lab/classifier/page.py", "classifier", "nav.classifier", ":material/draw:"),
    ("lab/cnn/page.py", "cnn-explainer", "cnn.nav", ":material/account_tree:"),
    ("lab/gan/page.py", "gan", "nav.gan", ":material/auto_awesome:"),
    ("lab/gan2d/page.py", "gan-lab", "gan2d.nav", ":material/bubble_chart:"),
    ("lab/recurrent/page.py", "recurrent", "nav.recurrent", ":material/replay:"),
    ("lab/transfer/page.py", "transfer", "nav.transfer", ":material/move_up:"),
    ("lab/teach/page.py", "teach", "teach.nav", ":material/school:"),
    ("lab/classroom/page.py", "classroom", "classroom.nav", ":material/groups:"),  # last: the teacher's
]
FRAMED_KEY = "app_framed"  # set once this session has run through setup()
_frame = threading.local()  # .active is True while setup() runs a page in this script thread


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
    runtime.tcp_nodelay_once()  # small messages leave at once (see ui/runtime.py)
    lang = language()
    t = i18n.translator(lang)
    page = st.navigation(_pages(t), expanded=True)  # all 14 lessons listed, no "View more"
    # each page its own title in the browser tab (WCAG 2.4.2), in the session's language
    st.set_page_config(page_title=page_title(t, page.title), page_icon=":material/neurology:",
                       layout="wide")
    st.session_state[FRAMED_KEY] = True
    st.session_state[jobs_panel.PAGE_KEY] = page.url_path  # before the sidebar: it asks which page is on
    _html_lang(lang)
    with st.sidebar:
        session.keep_identity()  # the signed owner cookie: ownership survives a reload
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang  # keep the language in the URL to share it
    _sidebar(t)
    with st.sidebar:
        class_sidebar(t, page.url_path or "home")  # the nickname; which page this session is on
    _frame.active = True
    try:
        task.apply(t, page.url_path)  # a task link: instruction on top, locks
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
    with st.sidebar:  # one element for both scripts
        st.html(f"<script>document.documentElement.lang = '{lang}';{SCROLL_KEYS_JS}</script>", width="content",
                unsafe_allow_javascript=True)


# A formula wider than a phone's screen scrolls sideways in its own box (KaTeX's display
# formulas): a keyboard must be able to reach that box to scroll it (WCAG 2.1.1; axe's
# "scrollable-region-focusable"). Installed once per browser tab, it gives every such box that
# overflows now a tab stop (``tabindex=0``), and takes it away when the box fits again.
SCROLL_KEYS_JS = """
if (!window.nnlabScrollKeys) {
  window.nnlabScrollKeys = true;
  const mark = () => document.querySelectorAll('.katex-display').forEach((el) => {
    const wide = el.scrollWidth > el.clientWidth + 1;
    if (wide && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
    if (!wide && el.getAttribute('tabindex') === '0') el.removeAttribute('tabindex');
  });
  let queued = false;
  const soon = () => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; mark(); }); }
  };
  new MutationObserver(soon).observe(document.body, {childList: true, subtree: true});
  window.addEventListener('resize', soon);
  mark();
}
"""


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
        st.navigation(_pages(translator()), expanded=True)
        st.rerun()
    setup()
    st.stop()


def _sidebar(t: i18n.Translator) -> None:
    with st.sidebar:
        st.session_state.setdefault(SHOWN_LANG_KEY, st.session_state.get(LANG_KEY))
        st.selectbox("Language / Idioma", list(i18n.LANGUAGES), key=LANG_KEY,
                     format_func=i18n.LANGUAGES.get, on_change=_relabel_widgets)
        st.session_state[SHOWN_LANG_KEY] = st.session_state.get(LANG_KEY)
        gpus = device.gpu_names()
        name = "GPU: " + ", ".join(gpus) if gpus else t("common.device_cpu", cores=os.cpu_count())
        st.caption(t("common.device", device=name, tf=device.tensorflow_version()))
        jobs_panel.jobs_sidebar()
        jobs_panel.teacher_sidebar(t)


SHOWN_LANG_KEY = "app_lang_shown"  # the language the page was last drawn in


def _relabel_widgets() -> None:
    """On a language change, keep every widget as it was: the open tab, the chosen options.

    The browser sends a tab or an option back as the text it shows, and that text changes
    with the language, so Streamlit would no longer match it: a tab fell back to the first, a
    model chosen in a list came back as its old label (a string, not the model). Setting each
    value again here makes the next run send it afresh in the new language; a value that is a
    label of the old language becomes the same label in the new one."""
    old, new = st.session_state.get(SHOWN_LANG_KEY), st.session_state.get(LANG_KEY)
    if old not in i18n.LANGUAGES or new not in i18n.LANGUAGES or old == new:
        return
    values = {k: v for k, v in st.session_state.items() if k not in (LANG_KEY, SHOWN_LANG_KEY)}
    values.update(i18n.relabel(values, old, new))
    for key, value in values.items():
        # Buttons (False between runs), empty uploaders (None), uploaded files and chart or table
        # selections (dicts) cannot be set: Streamlit would raise when the widget is drawn. None
        # of them shows a label.
        if value is None or value is False or isinstance(value, (dict, UploadedFile)) \
                or (isinstance(value, list) and any(isinstance(v, UploadedFile) for v in value)):
            continue
        with contextlib.suppress(StreamlitAPIException):
            st.session_state[key] = value


def model_label(t: i18n.Translator, entry: store.ModelEntry) -> str:
    """A model's name and origin in the session's language: ``cnn-... (yours)`` / ``(tuyo)``."""
    return i18n.model_label(t, entry.name, entry.shipped, mine=store.owner_of(entry) == session_label())


def device_text(t: i18n.Translator, text: str) -> str:
    """A model card's device (``"CPU (2 cores)"``) in the session's language."""
    return i18n.device_text(t, text)


def error_text(t: i18n.Translator, exc: BaseException) -> str:
    """``exc`` as Markdown-safe text in the session's language (for messages outside ``guard``)."""
    return errors.message(t, exc)


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


def formula_lines(formula: str) -> list[str]:
    """A lesson's formula cut at each ``\\qquad`` outside braces and environments: the formulas
    it puts side by side, each then drawn on its own line. Side by side they were wider than a
    phone, and the overflowing formula became a scroll box that a keyboard cannot reach."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(formula):
        if formula.startswith("\\begin", i) or formula[i] == "{":
            depth += 1
        elif formula.startswith("\\end", i) or formula[i] == "}":
            depth -= 1
        elif formula[i] == "\\" and formula[i + 1:i + 2] in ("{", "}"):
            i += 2  # an escaped brace is not a group
            continue
        elif depth == 0 and formula.startswith("\\qquad", i) and not formula[i + 6:i + 7].isalpha():
            parts.append(formula[start:i])
            start = i + len("\\qquad")
        i += 1
    parts.append(formula[start:])
    return [p.strip().rstrip(",").strip() for p in parts if p.strip()]


def lesson(t: i18n.Translator, section: str) -> None:
    """The page's short lesson in an expander: idea, formula, what to try, questions."""
    with st.expander(t("common.lesson"), icon=":material/school:"):
        st.markdown(t(f"{section}.lesson.idea"))
        formula = t(f"{section}.lesson.formula")
        if formula and formula != f"{section}.lesson.formula":
            for part in formula_lines(formula):  # one under another: a phone shows them whole
                st.latex(part)
        st.markdown(t(f"{section}.lesson.try"))
        st.markdown(f"**{t('common.check_yourself')}**")
        lesson_questions(t, section)  # options to choose where the texts give them (classroom mode)
