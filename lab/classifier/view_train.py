"""The classifier page's Train tab: a recipe, a background job with live curves, model cards.

Drawn only while the tab is open; the recipe's controls keep their values for the whole
session (``persist_state="session"``), across tabs and pages.
"""

from __future__ import annotations

import streamlit as st

from core import i18n
from core.jobs.registry import ACTIVE, DONE, Job
from core.models import classifier
from core.storage import drawings, store
from core.training import classifier as ct
from core.training.classifier import ClassifierConfig
from ui import chrome, display, downloads, jobs_panel, links, plots

BATCHES = [16, 32, 64, 128, 256, 512, 1024]
RATES = [1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1]
OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}
RECIPE_KEYS = ["epochs", "batch_size", "learning_rate", "optimizer", "val_split", "augment"]


@st.cache_data(show_spinner=False, max_entries=4)
def _summary(kind: str, augment: bool):
    model = classifier.build_model(kind, augment=augment)
    return classifier.layer_table(model), int(model.count_params())


def _apply_defaults() -> None:
    """A new architecture brings its own recipe (the thesis's for the MLP and the CNN)."""
    for key, value in ct.DEFAULTS[st.session_state["classifier_kind"]].items():
        if key != "schedule":
            st.session_state[f"classifier_{key}"] = value


# The recipe's widgets kept in the address (bind=links.URL; the drawings are each student's own)
LINK_KEYS = ("classifier_kind", "classifier_epochs", "classifier_batch_size", "classifier_learning_rate",
             "classifier_optimizer", "classifier_val_split", "classifier_augment")


def link_text(t: i18n.Translator) -> dict:
    """The labels that the address holds for the recipe's choices (for ``links.report``)."""
    return {"classifier_kind": lambda k: t(f"classifier.kinds.{k}"), "classifier_optimizer": OPTIMIZER_NAMES.get}


def controls(t: i18n.Translator) -> ClassifierConfig:
    """The recipe's widgets; the training config they describe."""
    kind = st.selectbox(t("classifier.train.kind"), list(classifier.KINDS), key="classifier_kind",
                        format_func=lambda k: t(f"classifier.kinds.{k}"), on_change=_apply_defaults,
                        bind=links.URL, persist_state="session")
    defaults = ct.DEFAULTS[kind]
    for key, value in {**defaults, "val_split": 0.1}.items():
        st.session_state.setdefault(f"classifier_{key}", value)
    c1, c2, c3 = st.columns(3)
    epochs = c1.number_input(t("classifier.train.epochs"), 1, 200, key="classifier_epochs", bind=links.URL,
                             persist_state="session")
    batch = c2.select_slider(t("classifier.train.batch_size"), BATCHES, key="classifier_batch_size", bind=links.URL,
                              persist_state="session")
    lr = c3.select_slider(t("classifier.train.learning_rate"), RATES, key="classifier_learning_rate", bind=links.URL,
                              persist_state="session")
    c4, c5, c6 = st.columns(3)
    optimizer = c4.selectbox(t("classifier.train.optimizer"), list(classifier.OPTIMIZERS),
                             format_func=OPTIMIZER_NAMES.get, key="classifier_optimizer", bind=links.URL,
                             persist_state="session")
    val_split = c5.slider(t("classifier.train.val_split"), 0.05, 0.3, step=0.05, key="classifier_val_split",
                          bind=links.URL, persist_state="session")
    augment = c6.checkbox(t("classifier.train.augment"), key="classifier_augment", bind=links.URL, persist_state="session",
                          help=t("classifier.train.augment_help"))
    owner = chrome.session_label()
    n_mine, n_class = drawings.count_drawings(owner), drawings.count_drawings()  # names only: no decoding
    include = st.checkbox(t("classifier.train.drawings", n=n_mine), key="classifier_include_drawings",
                          disabled=n_class == 0, persist_state="session")
    everyone = include and st.toggle(t("classifier.train.drawings_class", n=n_class), key="classifier_drawings_class",
                                     help=t("classifier.train.drawings_class_help"))
    return ct.make_config(kind, epochs=int(epochs), batch_size=int(batch), learning_rate=float(lr),
                          optimizer=optimizer, val_split=float(val_split), augment=bool(augment),
                          include_drawings=bool(include and (n_mine or everyone)),
                          drawings_owner="" if everyone else owner, schedule=defaults["schedule"], data="auto")


def _curves(t: i18n.Translator, snap) -> None:
    """Per-batch lines at fractional epochs and per-epoch dots, for loss and accuracy."""
    done = (max(snap.epoch, 1) - 1) * snap.batches + snap.batch if snap.batches else 0
    for col, metric in zip(st.columns(2), ("loss", "accuracy")):
        batch = snap.batch_history.get(metric, [])
        first = done - len(batch)
        xs = [(first + i + 1) / snap.batches for i in range(len(batch))] if snap.batches else []
        epoch = {t("classifier.train.curve_train"): snap.history.get(metric, []),
                 t("classifier.train.curve_val"): snap.history.get(f"val_{metric}", [])}
        display.show(plots.training_curves(xs, {t("classifier.train.curve_batch"): batch}, epoch,
                                         title=t(f"classifier.train.{metric}"),
                                         x_title=t("classifier.train.epoch_axis")),
                   key=f"classifier_curve_{metric}", where=col)


def _job_view(t: i18n.Translator, job: Job) -> None:
    """Progress, live curves and the result of this session's last training job."""
    chrome.job_panel(job, t, key="classifier_job")
    snap = job.snapshot()
    _curves(t, snap)
    if snap.status == DONE and snap.result.get("name"):
        st.success(t("classifier.train.saved", name=snap.result["name"],
                     acc=snap.result.get("test_accuracy", 0.0)))
    if snap.status not in ACTIVE and st.session_state.get("classifier_job_seen") != (job.id, snap.status):
        st.session_state["classifier_job_seen"] = (job.id, snap.status)
        st.rerun(scope="app")  # the finished model now appears in the lists


MODELS_NOTE = "classifier_models_note"  # what the last model delete did, shown on the next run


def _delete_model(entry: store.ModelEntry) -> None:
    """Delete a model from a callback (outside any guard): yours, or any as the teacher; one
    already deleted (another tab) is done, with a note."""
    t = chrome.translator()
    try:
        done = store.delete_model(entry, chrome.session_label(), jobs_panel.is_teacher())
        st.session_state[MODELS_NOTE] = ("success" if done else "info", t(
            "classifier.train.model_deleted" if done else "classifier.train.model_gone", name=entry.name))
    except ValueError as exc:
        st.session_state[MODELS_NOTE] = ("warning", chrome.error_text(t, exc))


def _use(label: str) -> None:
    st.session_state["classifier_model"] = label


def model_cards(t: i18n.Translator, entries: list[store.ModelEntry], chosen: str) -> None:
    """One card per model: how it was trained (command, epochs, time, device), and "use it"."""
    st.header(t("classifier.train.models_title"))
    note = st.session_state.pop(MODELS_NOTE, None)
    if note:
        getattr(st, note[0])(note[1])
    lang, me, teacher = chrome.language(), chrome.session_label(), jobs_panel.is_teacher()
    for e in entries:
        card = e.card
        acc = i18n.format_number(card.get("test_accuracy", 0), lang, ".2%")
        with st.expander(f"{chrome.model_label(t, e)} · {t(f'classifier.kinds.{e.kind}')} · {acc}"):
            st.markdown(t("classifier.train.card", params=card.get("params", "?"), epochs=card.get("epochs_done", "?"),
                          members=card.get("members", 1), seconds=card.get("train_seconds", "?"),
                          device=chrome.device_text(t, card.get("device", "?")), saved=card.get("saved", "?"),
                          train=card.get("data", {}).get("train", "?"), val=card.get("data", {}).get("validation", "?")))
            st.code(card.get("command", ""), language="bash")
            st.button(t("classifier.train.use"), key=f"classifier_use_{e.name}_{e.shipped}",
                      on_click=_use, args=(e.label,), disabled=e.label == chosen)
            if not e.shipped and (store.owner_of(e) == me or teacher):  # only your own, or the teacher
                st.button(t("classifier.train.delete_model"), key=f"classifier_delete_model_{e.name}",
                          icon=":material/delete:", on_click=_delete_model, args=(e,), disabled=e.label == chosen)
            downloads.model_button(t, e, key=f"classifier_download_model_{e.name}")  # your own only


DRAWINGS_NOTE = "classifier_drawings_note"  # what the last relabel or delete did, shown on the next run
SHOWN = 60  # drawings shown in the manager, newest first


def _change(action, *args) -> None:
    """A relabel or delete from a callback (which runs outside any guard): a drawing already gone
    (another tab) is done, with a note; a refusal is a note too, never the crash box."""
    t = chrome.translator()
    try:
        done = action(*args, owner=chrome.session_label(), teacher=jobs_panel.is_teacher())
        st.session_state[DRAWINGS_NOTE] = ("info", t("classifier.train.drawing_gone")) if not done else None
    except ValueError as exc:  # InputError included: not yours, not a drawing
        st.session_state[DRAWINGS_NOTE] = ("warning", chrome.error_text(t, exc))


def _relabel(path, key: str) -> None:
    _change(drawings.relabel_drawing, path, int(st.session_state[key]))


def drawings_manager(t: i18n.Translator) -> None:
    """The student's saved drawings, newest first: see them, fix a label, delete one (runs only
    while open). The teacher may manage the whole class's."""
    owner = None if jobs_panel.is_teacher() else chrome.session_label()
    box = st.expander(t("classifier.train.my_drawings", n=drawings.count_drawings(owner)), icon=":material/gesture:",
                      key="classifier_drawings_open", on_change="rerun")
    with box:
        if not box.open:
            return
        note = st.session_state.pop(DRAWINGS_NOTE, None)
        if note:
            getattr(st, note[0])(note[1])
        downloads.drawings_button(t, key="classifier_download_drawings")  # yours only, even for the teacher
        if owner is None:
            st.caption(t("classifier.train.teacher_drawings"))
        found = drawings.list_drawings(owner=owner, limit=SHOWN)
        if not found:
            st.info(t("classifier.train.no_drawings"))
            return
        st.caption(t("classifier.train.drawings_help"))
        cols = st.columns(6)
        for i, d in enumerate(found):
            with cols[i % 6]:
                st.image(d.image, width=56, alt=t("classifier.train.drawing_alt", label=d.label))
                key = f"classifier_drawing_label_{d.path.stem}"
                st.selectbox(t("classifier.train.relabel"), list(range(10)), index=d.label, key=key,
                             on_change=_relabel, args=(d.path, key))
                st.button(t("classifier.train.delete"), key=f"classifier_drawing_delete_{d.path.stem}",
                          icon=":material/delete:", on_click=_change, args=(drawings.delete_drawing, d.path))


def train_tab(t: i18n.Translator, entries: list[store.ModelEntry], chosen: str) -> None:
    """The whole tab: recipe, its layer table, Start, the running job, the model cards."""
    with chrome.guard(t):
        config = controls(t)
        layers, total = _summary(config["kind"], config["augment"])
        with st.expander(t("classifier.train.summary", params=total)):
            st.dataframe(layers, hide_index=True, width="stretch")
            if config["kind"] == "cnn":
                st.caption(t("classifier.train.thesis_params"))
        active = [j for j in chrome.registry().active() if j.kind == "classifier"]
        if st.button(t("classifier.train.start"), key="classifier_start", icon=":material/play_arrow:",
                     type="primary", **chrome.start_button(t)):
            title = t("classifier.train.job_title", kind=t(f"classifier.kinds.{config['kind']}"))
            job = ct.submit_config(chrome.registry(), config, title, owner=chrome.session_label())
            st.session_state["classifier_job_id"] = job.id
            if active:
                st.info(t("classifier.train.queued"))
        drawings_manager(t)
    job = chrome.registry().get(st.session_state.get("classifier_job_id", ""))
    if job is not None:  # poll every second only while the job is queued or running
        st.fragment(run_every=1 if job.status in ACTIVE else None)(_job_view)(t, job)
    model_cards(t, entries, chosen)
