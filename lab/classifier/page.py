"""MNIST classifier: draw a digit and watch the network read it; train the thesis's MLP and CNN
in the background; evaluate every model honestly on the official test set."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("classifier.title"))
st.markdown(t("classifier.intro"))
chrome.lesson(t, "classifier")

from core.jobs import interactive  # noqa: E402
from core.maths import preprocess  # noqa: E402
from core.models import classifier, explain  # noqa: E402
from core.storage import drawings, store  # noqa: E402
from lab.classifier import view_digits, view_eval, view_train  # noqa: E402
from ui import classroom as class_ui  # noqa: E402
from ui import links, shared, sketch  # noqa: E402

DIGITS = list(range(10))


def _model_for(entry):
    """The model of ``entry`` (loaded once per file version for every session); a missing or
    broken file falls back to the shipped default."""
    try:
        return entry, classifier.load_entry(entry)
    except (store.ModelLoadError, OSError) as exc:
        st.warning(t("classifier.model.fallback", name=entry.name, error=chrome.error_text(t, exc)))
        default = classifier.default_entry()
        return default, classifier.load_entry(default)


def _shipped_cnn():
    """The shipped thesis CNN, for feature maps when the chosen model is an MLP."""
    found = [e for e in classifier.shipped_entries() if e.kind == "cnn"]
    return classifier.load_entry(found[0]) if found else None


# ---------------------------------------------------------------- model choice (all tabs)
entries = [e for e in store.list_models() if e.kind in classifier.KINDS]
if not entries:
    st.error(t("classifier.model.none"))
    st.stop()
labels = {e.label: e for e in entries}
default_label = classifier.default_entry().label if classifier.shipped_entries() else entries[0].label
TABS = [t(f"classifier.tabs.{tab}") for tab in ("draw", "train", "evaluate")]
# Kept in the address (bind=links.URL: the parameter is the widget's key; a choice's holds its
# label): the model, the open tab, the Draw tab's input and the Train tab's recipe. The test
# image's number is not a widget: the Draw tab reads and writes it itself (``_example``).
LINK_KEYS = ("classifier_model", "classifier_tab", "classifier_source", *view_train.LINK_KEYS)
link = links.watch("classifier", LINK_KEYS)  # a notice for bad values in a link goes here
if st.session_state.get("classifier_model") not in labels:
    st.session_state["classifier_model"] = default_label


def model_label(label: str) -> str:
    return chrome.model_label(t, labels[label])


def source_label(s: str) -> str:
    return t(f"classifier.draw.source_{s}")


chosen = st.selectbox(t("classifier.model.choose"), list(labels), key="classifier_model", bind=links.URL, persist_state="session",
                      help=t("classifier.model.help"), format_func=model_label)
explain.preload(labels[chosen])  # loads and compiles in the background: strokes never wait for it

# Only the open tab runs: opening the page costs the Draw tab alone.
tab_draw, tab_train, tab_eval = st.tabs(TABS, key="classifier_tab", on_change="rerun", bind=links.URL)


# ---------------------------------------------------------------- Draw
# The input choice, the stroke width, Clear and the link to the CNN view are drawn by the
# page's whole run, outside the Draw tab's fragment: a stroke, what sixty students do at once,
# does not redraw them (issue 35; each element a run draws is a message to the browser and
# work for the server). Using them reruns the page. The fragment writes the canvas and the
# answer into the columns.
def _input_controls(left) -> str:
    """The input choice (and, for the canvas, the stroke width, Clear and the link to the whole
    CNN on the drawing) in ``left``; the source."""
    with left:
        source = st.radio(t("classifier.draw.source"), ["canvas", "photo", "example"], horizontal=True,
                          format_func=source_label, key="classifier_source", bind=links.URL,
                          persist_state="session")
        if source == "canvas":
            st.session_state.setdefault("classifier_stroke", 20)
            st.slider(t("classifier.draw.stroke"), 6, 40, key="classifier_stroke", persist_state="session")
        c1, c2 = st.columns([1, 2], vertical_alignment="center")
        if source == "canvas":
            c1.button(t("classifier.draw.clear"), key="classifier_clear", icon=":material/delete:", on_click=_clear)
        c2.page_link("lab/cnn/page.py", label=t("cnn.link"), icon=":material/account_tree:")  # the CNN on this digit
    return source


def _clear() -> None:
    """A fresh canvas (a new key) and no "last digit" for the other pages."""
    st.session_state["classifier_canvas_n"] = st.session_state.get("classifier_canvas_n", 0) + 1
    shared.clear_last_digit()


def _canvas_image():
    """RGBA array from the canvas, or None when nothing was sent yet."""
    return sketch.sketch(f"classifier_canvas_{st.session_state.get('classifier_canvas_n', 0)}",
                         t("common.canvas_label"), stroke=st.session_state.get("classifier_stroke", 20))


def _input_image():
    source = st.session_state.get("classifier_source", "canvas")
    if source == "canvas":
        return _canvas_image()
    if source == "example":  # a random official test image, as a black-on-white picture
        x, y = view_eval.test_set()
        k = links.example_number("classifier", len(x), t("classifier.draw.another"))
        st.caption(t("classifier.draw.example_caption", k=k, label=int(y[k])))
        return 255 - x[k]
    upload = st.file_uploader(t("classifier.draw.upload"), type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
                              key="classifier_upload")
    if upload is None:
        return None
    from core.storage.uploads import decode_image

    return decode_image(upload.getvalue(), upload.name)


def _save_correction(digit):
    box = st.expander(t("classifier.draw.wrong_title"), icon=":material/edit:", key="classifier_wrong_open",
                      on_change="rerun")  # its body runs only while open: a stroke stays cheap
    if not box.open:
        return
    c1, c2 = box.columns([1, 2])
    label = c1.selectbox(t("classifier.draw.wrong"), DIGITS, key="classifier_true_label")
    if c2.button(t("classifier.draw.save"), key="classifier_save_drawing", icon=":material/save:"):
        with chrome.guard(t):
            owner = chrome.session_label()
            drawings.save_drawing(digit, int(label), owner=owner)
            st.success(t("classifier.draw.saved", n=drawings.count_drawings(owner)))


@st.fragment
def draw_tab(left, right) -> None:
    """The Draw tab below its input controls, writing into their columns ``left`` and ``right``.
    A fragment: a stroke reruns only this, and costs one prediction, which waits its turn
    behind classmates' (``one_at_a_time``: in a class's burst the first strokes finish first);
    each explanation below runs only while its expander is open, outside that turn."""
    with interactive.one_at_a_time():
        answer = _answer(left, right)
    if answer is None:  # nothing yet, a blank drawing, or a photo the guard refused with its message
        return
    found, model, top, challenge = answer
    with right, chrome.guard(t):
        class_ui.send_button(t, challenge, found.digit, lambda: classifier.predict_proba(model, found.digit)[0])
    view_digits.explanations(t, found, model, _shipped_cnn, top)
    with chrome.guard(t):
        _save_correction(found.digit)


def _answer(left, right):
    """The drawing (or photo, or test image) read and answered: ``(stages, model, top digit,
    the class challenge)``, or ``None`` when there is nothing to answer (the reason shown)."""
    image, challenge = None, None  # each stays so when its step failed: nothing after it runs
    with left, chrome.guard(t):
        challenge = class_ui.challenge_banner(t)  # the teacher's "everyone draw a 7" (asked at most every 2 s)
        image = _input_image()
        if image is None:
            right.info(t("classifier.draw.start"))
    if image is None:
        return None
    with right, chrome.guard(t):
        try:
            found = preprocess.canvas_stages(image)
        except preprocess.EmptyDrawingError:
            if st.session_state.get("classifier_source") != "canvas":
                raise  # a blank photo: the guard names the problem
            st.info(t("classifier.draw.empty"))
            return None
        shared.set_last_digit(found.digit)  # the convolution page offers "your last digit"
        entry, model = _model_for(labels[chosen])
        top = view_digits.prediction(t, chrome.language(), model, found.digit)
        return found, model, top, challenge
    return None  # a blank or unreadable photo: the guard showed why


if tab_draw.open:
    with tab_draw:
        draw_left, draw_right = st.columns([1, 1])
        _input_controls(draw_left)
        draw_tab(draw_left, draw_right)


if tab_train.open:
    with tab_train:
        view_train.train_tab(t, entries, chosen)

if tab_eval.open:
    with tab_eval, chrome.guard(t):
        view_eval.eval_tab(t, entries, labels[chosen])
links.report(t, link, {"classifier_model": model_label, "classifier_source": source_label, **view_train.link_text(t)})
