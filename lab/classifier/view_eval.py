"""The classifier page's Evaluate tab: every model on the official test set, and one in detail.

Predictions come from each model's card (``core.models.classifier.card_predictions``) or, for a
card without them, one pass over the 10,000 test images cached per model file version.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.maths import evaluation
from core.models import classifier
from core.storage import store
from core.storage.mnist import load_mnist
from ui import chrome, display, plots

DIGITS = list(range(10))


@st.cache_resource(show_spinner=False)  # one read-only copy for every session (cache_data copies 7.8 MB per call)
def test_set() -> tuple[np.ndarray, np.ndarray]:
    """The official 10,000 test images ``(N, 28, 28)`` uint8 and their labels (read-only)."""
    _, (x, y) = load_mnist()
    x, y = x.copy(), y.astype(np.int64)
    x.flags.writeable = y.flags.writeable = False  # shared by every session: nobody may change it
    return x, y


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluate(path: str, version: tuple):
    """(pred, confidence) on the test set, for models whose card lacks them."""
    x, _ = test_set()
    probs = classifier.predict_proba(store.load_cached(path), x.astype(np.float32) / 255.0)
    return probs.argmax(1), probs.max(1)


def _predictions(t: i18n.Translator, e: store.ModelEntry):
    stored = evaluation.card_predictions(e.card)
    if stored is not None:
        return stored
    with st.spinner(t("classifier.eval.computing")):
        return _evaluate(str(e.path), store.file_version(e.path))


def _picked_cell(event) -> tuple[int, int] | None:
    """``(true, predicted)`` of a clicked confusion-matrix cell (the invisible markers, trace 1)."""
    points = [p for p in ((event or {}).get("selection", {}).get("points", []) if event else [])
              if p.get("curve_number", 1) == 1]
    return (int(points[0]["y"]), int(points[0]["x"])) if points else None


def confusion(t: i18n.Translator, cm: np.ndarray, pred: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
    """The confusion matrix; a clicked cell (or the two selectors) shows its test images."""
    fig = plots.confusion_matrix(cm, DIGITS, title=t("classifier.eval.cm_title"),
                                 x_title=t("classifier.eval.predicted"), y_title=t("classifier.eval.true"))
    cell = _picked_cell(display.show(fig, on_select="rerun", selection_mode="points", key="classifier_cm"))
    display.data_table(t("classifier.eval.cm_table"),
                     {t("classifier.eval.true"): DIGITS, **{str(d): cm[:, i] for i, d in enumerate(DIGITS)}})
    if cell and st.session_state.get("classifier_cm_last") != cell:
        st.session_state["classifier_cm_last"] = cell
        st.session_state["classifier_cm_true"], st.session_state["classifier_cm_pred"] = cell
    st.session_state.setdefault("classifier_cm_true", 3)
    st.session_state.setdefault("classifier_cm_pred", 5)
    c1, c2 = st.columns(2)
    true = c1.selectbox(t("classifier.eval.true"), DIGITS, key="classifier_cm_true")
    guess = c2.selectbox(t("classifier.eval.predicted"), DIGITS, key="classifier_cm_pred")
    idx = np.flatnonzero((y == true) & (pred == guess))
    st.caption(t("classifier.eval.cell", n=len(idx), true=true, pred=guess))
    if len(idx):  # white padding around black-on-white digits, never black blocks
        grid = plots.tile(1.0 - x[idx[:40]] / 255.0, cols=min(10, len(idx)), value=1.0)
        st.image(plots.to_png_array(grid, scale=3), alt=t("classifier.eval.cell_alt", true=true, pred=guess))


def _table(t: i18n.Translator, entries: list[store.ModelEntry]) -> None:
    lang = chrome.language()
    pct = lambda v: i18n.format_number(v, lang, ".2%") if v is not None else "–"  # noqa: E731
    rows = [{t("classifier.eval.model"): chrome.model_label(t, e), t("classifier.eval.kind"): t(f"classifier.kinds.{e.kind}"),
             t("classifier.eval.params"): i18n.format_number(e.card.get("params", 0), lang, ","),
             t("classifier.eval.accuracy"): pct(e.card.get("test_accuracy")),
             t("classifier.eval.val_accuracy"): pct((e.card.get("history", {}).get("val_accuracy") or [None])[-1]),
             t("classifier.eval.epochs"): e.card.get("epochs_done")} for e in entries]
    st.dataframe(rows, hide_index=True, width="stretch")
    accuracy = [float(e.card.get("test_accuracy", 0)) for e in entries]
    floor = max(0.0, min(accuracy) - 0.05)  # a weak model keeps a visible bar
    display.show(plots.bars([e.name for e in entries], accuracy, y_range=(floor, 1.0),
                          title=t("classifier.eval.accuracy_chart"), height=260), key="classifier_acc_chart")


def eval_tab(t: i18n.Translator, entries: list[store.ModelEntry], entry: store.ModelEntry) -> None:
    """All models side by side, then ``entry`` in detail: confusion, precision/recall, worst errors."""
    x_test, y_test = test_set()
    _table(t, entries)
    st.header(t("classifier.eval.details", name=chrome.model_label(t, entry)))
    pred, conf = _predictions(t, entry)
    cm = evaluation.confusion_matrix(y_test, pred)
    st.caption(t("classifier.eval.cm_help"))
    confusion(t, cm, pred, x_test, y_test)
    precision, recall = evaluation.precision_recall(cm)
    display.show(plots.grouped_bars(DIGITS, {t("classifier.eval.precision"): precision,
                                           t("classifier.eval.recall"): recall},
                                  y_range=(float(min(precision.min(), recall.min())) - 0.02, 1.0),
                                  title=t("classifier.eval.pr_chart"), height=280), key="classifier_pr")
    st.header(t("classifier.eval.wrong_title"))
    cols = st.columns(6)
    for i, k in enumerate(evaluation.confidently_wrong(pred, conf, y_test, k=12)):
        text = dict(true=int(y_test[k]), pred=int(pred[k]), conf=float(conf[k]))
        cols[i % 6].image(plots.to_png_array(x_test[k] / 255.0, scale=3, invert=True),
                          caption=t("classifier.eval.wrong_caption", **text), alt=t("classifier.eval.wrong_alt", **text))
