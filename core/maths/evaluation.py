"""How a digit classifier is judged on the test set: plain numpy on any predictions.

Works on predictions just computed or ones stored in a model card (``evaluation_summary``
writes them, ``card_predictions`` reads them back), so the Evaluate tab can redraw every
view of a shipped model without loading it.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int = 10) -> np.ndarray:
    """``cm[t, p]`` = how many images of digit ``t`` were read as ``p``."""
    cm = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true, int), np.asarray(y_pred, int)), 1)
    return cm


def precision_recall(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-class precision (column-wise) and recall (row-wise); 0 where undefined."""
    cm = np.asarray(cm, dtype=np.float64)
    tp = np.diag(cm)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(cm.sum(0) > 0, tp / cm.sum(0), 0.0)
        recall = np.where(cm.sum(1) > 0, tp / cm.sum(1), 0.0)
    return precision, recall


def most_confidently_wrong(probs: np.ndarray, y_true: np.ndarray, k: int = 12) -> np.ndarray:
    """Indices of the ``k`` wrong answers given with the highest confidence, most confident first."""
    probs = np.asarray(probs)
    pred = probs.argmax(1)
    return confidently_wrong(pred, probs[np.arange(len(pred)), pred], y_true, k)


def confidently_wrong(pred: np.ndarray, confidence: np.ndarray, y_true: np.ndarray, k: int = 12) -> np.ndarray:
    """``most_confidently_wrong`` from predictions and their confidences (as a card stores them)."""
    pred, confidence = np.asarray(pred), np.asarray(confidence)
    wrong = np.flatnonzero(pred != np.asarray(y_true))
    order = np.argsort(-confidence[wrong], kind="stable")
    return wrong[order[:k]]


def evaluation_summary(probs: np.ndarray, y_true: np.ndarray) -> dict[str, Any]:
    """JSON-able summary for a model card: accuracy, confusion matrix, all predictions.

    ``predictions`` is one character per test image ("7210...") and ``confidence`` the
    top probability rounded to 3 digits: enough to redraw every evaluation view.
    """
    pred = probs.argmax(1)
    return {"test_accuracy": float((pred == y_true).mean()),
            "confusion": confusion_matrix(y_true, pred).tolist(),
            "predictions": "".join(map(str, pred.tolist())),
            "confidence": np.round(probs.max(1), 3).tolist()}


def card_predictions(card: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """``(pred, confidence)`` stored in a card by ``evaluation_summary``, else ``None``."""
    test = card.get("test") or {}
    if "predictions" not in test or "confidence" not in test:
        return None
    pred = np.frombuffer(test["predictions"].encode("ascii"), dtype=np.uint8) - ord("0")
    return pred.astype(np.int64), np.asarray(test["confidence"], dtype=np.float32)
