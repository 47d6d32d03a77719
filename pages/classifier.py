"""MNIST classifier: draw a digit and watch the network read it; train the thesis's MLP and CNN
in the background; evaluate every model honestly on the official test set."""

import numpy as np
import streamlit as st

from ui import chrome, plots

t = chrome.start_page()
st.title(t("classifier.title"))
st.markdown(t("classifier.intro"))
chrome.lesson(t, "classifier")

from core import classifier, explain, i18n, preprocess, store  # noqa: E402
from core import classifier_training as ct  # noqa: E402
from core.data import load_mnist  # noqa: E402
from core.jobs import ACTIVE, DONE  # noqa: E402
from ui import digit_views, shared  # noqa: E402

DIGITS = list(range(10))


# ---------------------------------------------------------------- cached data
@st.cache_data(show_spinner=False)
def _test_set():
    _, (x, y) = load_mnist()
    return x, y.astype(np.int64)


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluate(path: str, version: tuple):
    """(pred, confidence) on the test set, for models whose card lacks them."""
    x, _ = _test_set()
    probs = classifier.predict_proba(store.load_cached(path), x.astype(np.float32) / 255.0)
    return probs.argmax(1), probs.max(1)


@st.cache_data(show_spinner=False, max_entries=4)
def _summary(kind: str, augment: bool):
    model = classifier.build_model(kind, augment=augment)
    return classifier.layer_table(model), int(model.count_params())


def _model_for(entry):
    """The model of ``entry`` (loaded once per file version for every session); a missing or
    broken file falls back to the shipped default."""
    try:
        return entry, classifier.load_entry(entry)
    except (store.ModelLoadError, OSError) as exc:
        st.warning(t("classifier.model.fallback", name=entry.name, error=chrome.error_text(t, exc)))
        default = classifier.default_entry()
        return default, classifier.load_entry(default)


def _name(entry) -> str:
    """A model's name for people, in the session's language (``cnn (incluido)``)."""
    return i18n.model_label(t, entry.name, entry.shipped)


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
if st.session_state.get("classifier_model") not in labels:
    st.session_state["classifier_model"] = default_label
chosen = st.selectbox(t("classifier.model.choose"), list(labels), key="classifier_model",
                      help=t("classifier.model.help"), format_func=lambda label: _name(labels[label]))
explain.preload(labels[chosen])  # loads and compiles in the background: strokes never wait for it

# Only the open tab runs: opening the page costs the Draw tab alone.
tab_draw, tab_train, tab_eval = st.tabs([t("classifier.tabs.draw"), t("classifier.tabs.train"),
                                         t("classifier.tabs.evaluate")], key="classifier_tab", on_change="rerun")


# ---------------------------------------------------------------- Draw
def _canvas_image():
    """RGBA array from the canvas, or None when nothing was sent yet."""
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception:  # noqa: BLE001 - the component is optional; uploads still work
        st.info(t("classifier.draw.no_canvas"))
        return None
    stroke = st.slider(t("classifier.draw.stroke"), 6, 40, 20, key="classifier_stroke")
    result = st_canvas(stroke_width=stroke, stroke_color="#FFFFFF", background_color="#000000",
                       height=280, width=280, drawing_mode="freedraw", return_image_data=True,
                       key=f"classifier_canvas_{st.session_state.get('classifier_canvas_n', 0)}")
    if st.button(t("classifier.draw.clear"), key="classifier_clear", icon=":material/delete:"):
        st.session_state["classifier_canvas_n"] = st.session_state.get("classifier_canvas_n", 0) + 1
        shared.clear_last_digit()
        st.rerun()
    return result.image_data


def _input_image():
    source = st.radio(t("classifier.draw.source"), ["canvas", "photo", "example"], horizontal=True,
                      format_func=lambda s: t(f"classifier.draw.source_{s}"), key="classifier_source")
    if source == "canvas":
        return _canvas_image()
    if source == "example":  # a random official test image, as a black-on-white picture
        x, y = _test_set()
        if st.button(t("classifier.draw.another"), key="classifier_another", icon=":material/casino:") or (
                "classifier_example" not in st.session_state):
            st.session_state["classifier_example"] = int(np.random.default_rng().integers(len(x)))
        k = st.session_state["classifier_example"]
        st.caption(t("classifier.draw.example_caption", k=k, label=int(y[k])))
        return 255 - x[k]
    upload = st.file_uploader(t("classifier.draw.upload"), type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
                              key="classifier_upload")
    if upload is None:
        return None
    from core.uploads import decode_image

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
            ct.save_drawing(digit, int(label))
            st.success(t("classifier.draw.saved", n=len(ct.load_drawings()[1])))


@st.fragment
def draw_tab() -> None:
    """The Draw tab. A fragment: a stroke reruns only this tab, and costs one prediction; each
    explanation below runs only while its expander is open."""
    left, right = st.columns([1, 1])
    with left, chrome.guard(t):
        image = _input_image()
    if image is None:
        right.info(t("classifier.draw.start"))
        return
    with right, chrome.guard(t):
        try:
            found = preprocess.canvas_stages(image)
        except preprocess.EmptyDrawingError:
            if st.session_state.get("classifier_source") != "canvas":
                raise  # a blank photo: the guard names the problem
            st.info(t("classifier.draw.empty"))
            return
        shared.set_last_digit(found.digit)  # the convolution page offers "your last digit"
        entry, model = _model_for(labels[chosen])
        top = digit_views.prediction(t, chrome.language(), model, found.digit)
    with chrome.guard(t):
        digit_views.stages(t, found)
        digit_views.feature_maps(t, model, _shipped_cnn, found.digit)
        digit_views.occlusion(t, model, found.digit, top)
        _save_correction(found.digit)


if tab_draw.open:
    with tab_draw:
        draw_tab()


# ---------------------------------------------------------------- Train
def _apply_defaults():
    for key, value in ct.DEFAULTS[st.session_state["classifier_kind"]].items():
        if key != "schedule":
            st.session_state[f"classifier_{key}"] = value


def _train_controls() -> dict:
    kind = st.selectbox(t("classifier.train.kind"), list(classifier.KINDS), key="classifier_kind",
                        format_func=lambda k: t(f"classifier.kinds.{k}"), on_change=_apply_defaults)
    defaults = ct.DEFAULTS[kind]
    for key, value in defaults.items():
        st.session_state.setdefault(f"classifier_{key}", value)
    c1, c2, c3 = st.columns(3)
    epochs = c1.number_input(t("classifier.train.epochs"), 1, 200, key="classifier_epochs")
    batch = c2.select_slider(t("classifier.train.batch_size"), [16, 32, 64, 128, 256, 512, 1024],
                             key="classifier_batch_size")
    lr = c3.select_slider(t("classifier.train.learning_rate"), [1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1],
                          key="classifier_learning_rate")
    c4, c5, c6 = st.columns(3)
    optimizer = c4.selectbox(t("classifier.train.optimizer"), list(classifier.OPTIMIZERS),
                             format_func=lambda o: {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}[o],
                             key="classifier_optimizer")
    val_split = c5.slider(t("classifier.train.val_split"), 0.05, 0.3, 0.1, 0.05, key="classifier_val_split")
    augment = c6.checkbox(t("classifier.train.augment"), key="classifier_augment",
                          help=t("classifier.train.augment_help"))
    n_drawings = len(ct.load_drawings()[1])
    drawings = st.checkbox(t("classifier.train.drawings", n=n_drawings), key="classifier_include_drawings",
                           disabled=n_drawings == 0)
    return ct.make_config(kind, epochs=int(epochs), batch_size=int(batch), learning_rate=float(lr),
                          optimizer=optimizer, val_split=float(val_split), augment=bool(augment),
                          include_drawings=bool(drawings), schedule=defaults["schedule"], data="auto")


def _curves(snap):
    done = (max(snap.epoch, 1) - 1) * snap.batches + snap.batch if snap.batches else 0
    cols = st.columns(2)
    for col, metric in zip(cols, ("loss", "accuracy")):
        batch = snap.batch_history.get(metric, [])
        first = done - len(batch)
        xs = [(first + i + 1) / snap.batches for i in range(len(batch))] if snap.batches else []
        epoch = {t("classifier.train.curve_train"): snap.history.get(metric, []),
                 t("classifier.train.curve_val"): snap.history.get(f"val_{metric}", [])}
        plots.show(plots.training_curves(xs, {t("classifier.train.curve_batch"): batch}, epoch,
                                         title=t(f"classifier.train.{metric}"),
                                         x_title=t("classifier.train.epoch_axis")),
                   key=f"classifier_curve_{metric}", where=col)


def _job_view(job):
    """Progress, live curves and the result of this session's last training job."""
    chrome.job_panel(job, t, key="classifier_job")
    snap = job.snapshot()
    _curves(snap)
    if snap.status == DONE and snap.result.get("name"):
        st.success(t("classifier.train.saved", name=snap.result["name"],
                     acc=snap.result.get("test_accuracy", 0.0)))
    if snap.status not in ACTIVE and st.session_state.get("classifier_job_seen") != (job.id, snap.status):
        st.session_state["classifier_job_seen"] = (job.id, snap.status)
        st.rerun(scope="app")  # the finished model now appears in the lists


def _use(label):
    st.session_state["classifier_model"] = label


def _model_cards():
    st.header(t("classifier.train.models_title"))
    for e in entries:
        card = e.card
        acc = i18n.format_number(card.get("test_accuracy", 0), chrome.language(), ".2%")
        title = f"{_name(e)} · {t(f'classifier.kinds.{e.kind}')} · {acc}"
        with st.expander(title):
            st.markdown(t("classifier.train.card", params=card.get("params", "?"), epochs=card.get("epochs_done", "?"),
                          members=card.get("members", 1), seconds=card.get("train_seconds", "?"),
                          device=i18n.device_text(t, card.get("device", "?")), saved=card.get("saved", "?"),
                          train=card.get("data", {}).get("train", "?"), val=card.get("data", {}).get("validation", "?")))
            st.code(card.get("command", ""), language="bash")
            st.button(t("classifier.train.use"), key=f"classifier_use_{e.name}_{e.shipped}",
                      on_click=_use, args=(e.label,), disabled=e.label == chosen)


def train_tab() -> None:
    with chrome.guard(t):
        config = _train_controls()
        layers, total = _summary(config["kind"], config["augment"])
        with st.expander(t("classifier.train.summary", params=total)):
            st.dataframe(layers, hide_index=True, width="stretch")
            if config["kind"] == "cnn":
                st.caption(t("classifier.train.thesis_params"))
        active = [j for j in chrome.registry().active() if j.kind == "classifier"]
        if st.button(t("classifier.train.start"), key="classifier_start", icon=":material/play_arrow:",
                     type="primary"):
            title = t("classifier.train.job_title", kind=t(f"classifier.kinds.{config['kind']}"))
            job = ct.submit_config(chrome.registry(), config, title, owner=chrome.session_label())
            st.session_state["classifier_job_id"] = job.id
            if active:
                st.info(t("classifier.train.queued"))
    job = chrome.registry().get(st.session_state.get("classifier_job_id", ""))
    if job is not None:  # poll every second only while the job is queued or running
        st.fragment(run_every=1 if job.status in ACTIVE else None)(_job_view)(job)
    _model_cards()


if tab_train.open:
    with tab_train:
        train_tab()


# ---------------------------------------------------------------- Evaluate
def _predictions(e):
    stored = classifier.card_predictions(e.card)
    if stored is not None:
        return stored
    with st.spinner(t("classifier.eval.computing")):
        return _evaluate(str(e.path), store.file_version(e.path))


def _confusion(cm, pred, x, y):
    fig = plots.heatmap(cm, colorscale="Blues", text=cm, x_labels=DIGITS, y_labels=DIGITS, height=460,
                        x_title=t("classifier.eval.predicted"), y_title=t("classifier.eval.true"),
                        title=t("classifier.eval.cm_title"))
    event = plots.show(fig, on_select="rerun", selection_mode="points", key="classifier_cm")
    plots.data_table(t("classifier.eval.cm_table"),
                     {t("classifier.eval.true"): DIGITS, **{str(d): cm[:, i] for i, d in enumerate(DIGITS)}})
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points and st.session_state.get("classifier_cm_last") != points[0]:
        st.session_state["classifier_cm_last"] = points[0]
        st.session_state["classifier_cm_true"] = int(points[0]["y"])
        st.session_state["classifier_cm_pred"] = int(points[0]["x"])
    st.session_state.setdefault("classifier_cm_true", 3)
    st.session_state.setdefault("classifier_cm_pred", 5)
    c1, c2 = st.columns(2)
    true = c1.selectbox(t("classifier.eval.true"), DIGITS, key="classifier_cm_true")
    guess = c2.selectbox(t("classifier.eval.predicted"), DIGITS, key="classifier_cm_pred")
    idx = np.flatnonzero((y == true) & (pred == guess))
    st.caption(t("classifier.eval.cell", n=len(idx), true=true, pred=guess))
    if len(idx):
        grid = plots.tile(x[idx[:40]] / 255.0, cols=10, value=1.0)
        st.image(plots.to_png_array(grid, scale=3, invert=True), alt=t("classifier.eval.cell_alt", true=true, pred=guess))


def eval_tab(entry) -> None:
    x_test, y_test = _test_set()
    rows = [{t("classifier.eval.model"): _name(e), t("classifier.eval.kind"): t(f"classifier.kinds.{e.kind}"),
             t("classifier.eval.params"): e.card.get("params"),
             t("classifier.eval.accuracy"): f"{e.card.get('test_accuracy', float('nan')):.2%}",
             t("classifier.eval.val_accuracy"): f"{(e.card.get('history', {}).get('val_accuracy') or [float('nan')])[-1]:.2%}",
             t("classifier.eval.epochs"): e.card.get("epochs_done")} for e in entries]
    st.dataframe(rows, hide_index=True, width="stretch")
    plots.show(plots.bars([e.name for e in entries], [e.card.get("test_accuracy", 0) for e in entries],
                          y_range=(0.9, 1.0), title=t("classifier.eval.accuracy_chart"), height=260),
               key="classifier_acc_chart")
    st.header(t("classifier.eval.details", name=_name(entry)))
    pred, conf = _predictions(entry)
    cm = classifier.confusion_matrix(y_test, pred)
    st.caption(t("classifier.eval.cm_help"))
    _confusion(cm, pred, x_test, y_test)
    precision, recall = classifier.precision_recall(cm)
    plots.show(plots.grouped_bars(DIGITS, {t("classifier.eval.precision"): precision,
                                                t("classifier.eval.recall"): recall},
                                       y_range=(float(min(precision.min(), recall.min())) - 0.02, 1.0),
                                       title=t("classifier.eval.pr_chart"), height=280), key="classifier_pr")
    st.header(t("classifier.eval.wrong_title"))
    probs_like = np.zeros((len(pred), 10), np.float32)
    probs_like[np.arange(len(pred)), pred] = conf
    worst = classifier.most_confidently_wrong(probs_like, y_test, k=12)
    cols = st.columns(6)
    for i, k in enumerate(worst):
        cols[i % 6].image(plots.to_png_array(x_test[k] / 255.0, scale=3, invert=True),
                          caption=t("classifier.eval.wrong_caption", true=int(y_test[k]), pred=int(pred[k]),
                                    conf=float(conf[k])),
                          alt=t("classifier.eval.wrong_alt", true=int(y_test[k]), pred=int(pred[k]),
                                conf=float(conf[k])))


if tab_eval.open:
    with tab_eval, chrome.guard(t):
        eval_tab(labels[chosen])
