"""The playground's training runs: train / pause / step one epoch / reset, as background jobs.

Pausing stops this session's job; "Train" and "Step" submit a new job that starts from the
last published weights and history when the network and data are unchanged, so a run
goes on where it stopped (from the weights the student edited in the network view, when
they did: ``EDITS_KEY``). Workers never call Streamlit; the page polls ``live()``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import streamlit as st

from core import i18n
from core.errors import InputError
from core.jobs.registry import ACTIVE, Job
from core.maths.playground import initial_weights, n_classes
from core.models.playground_config import ROW_SETS, PlaygroundConfig, data_for
from ui import chrome

JOB_KEY = "playground_job_id"
EDITS_KEY = "playground_edited"  # {"job": id, "weights": lists}: weights edited after that run stopped


def current_job() -> Job | None:
    """This session's last playground job (never another student's), or ``None``."""
    job_id = st.session_state.get(JOB_KEY)
    return chrome.registry().get(job_id) if job_id else None


def job_config(job: Job) -> PlaygroundConfig:
    return PlaygroundConfig.from_dict(job.config)


def live(job: Job | None) -> dict[str, Any] | None:
    """The job's last published state (epoch, history, surface, neurons, weights), if any."""
    return None if job is None else job.snapshot().extras.get("live")


def is_active(job: Job | None) -> bool:
    return job is not None and job.status in ACTIVE


def fits(job: Job | None, config: PlaygroundConfig, points: list) -> bool:
    """Whether ``job``'s network was trained on this config's data and layers."""
    return (job is not None and job_config(job).same_model(config)
            and (config.dataset not in ROW_SETS or job.config.get("own_points") == points))


def untrained(config: PlaygroundConfig, points: list) -> dict[str, Any]:
    """The network before its first epoch (``core.maths.playground.initial_weights``, seeded by the
    data seed) as a ``live`` record at epoch 0: the page draws it, and "Train" starts from it."""
    _, y_train, _, y_test = data_for(config, points)
    outputs = 1 if config.regression else n_classes(np.concatenate([y_train, y_test]))
    sizes = (len(config.features), *config.hidden, 1 if outputs == 2 else outputs)
    return {"epoch": 0, "history": {}, "weights": initial_weights(sizes, config.seed)}


def _start_state(config: PlaygroundConfig, points: list) -> dict[str, Any] | None:
    job = current_job()
    state = live(job)
    if not state or not fits(job, config, points):
        edits = st.session_state.get(EDITS_KEY) or {}
        weights = [np.asarray(w) for w in edits.get("weights", [])] if edits.get("job", "") is None else []
        start = untrained(config, points)
        if [w.shape for w in weights] == [w.shape for w in start["weights"]]:
            start["weights"] = weights  # edited before the first epoch
        return {**start, "weights": [w.tolist() for w in start["weights"]]}
    edits = st.session_state.get(EDITS_KEY) or {}
    weights = edits["weights"] if edits.get("job") == job.id else [w.tolist() for w in state["weights"]]
    return {"epoch": int(state["epoch"]), "weights": weights,
            "history": {k: list(v) for k, v in state["history"].items()}}


def data_or_message(t: i18n.Translator, config: PlaygroundConfig, points: list):
    """``(x_train, y_train, x_test, y_test)``, or the reason there is no data yet as text
    (own points: fewer than four, or one class only)."""
    try:
        return data_for(config, points)
    except InputError as exc:
        return chrome.error_text(t, exc)


def pause() -> None:
    """Stop this session's job; its last state stays to go on from."""
    job = current_job()
    if is_active(job):
        job.cancel()
        if hasattr(job, "join"):
            job.join(timeout=3)  # its final picture and weights are published on the way out


def reset() -> None:
    """Forget this session's run (stopping it): the next "Train" starts from fresh weights."""
    pause()
    st.session_state[JOB_KEY] = None
    st.session_state.pop(EDITS_KEY, None)


def train(t: i18n.Translator, config: PlaygroundConfig, points: list, epochs: int | None = None) -> Job:
    """Submit a job training ``epochs`` (default: the config's) more epochs from where this
    session's run stopped (or from scratch when the data or layers changed)."""
    pause()
    if epochs is not None:
        config = replace(config, epochs=epochs)
    start = _start_state(config, points)
    own = points if config.dataset in ROW_SETS else None
    hidden = "×".join(str(u) for u in config.hidden) or "0"
    # the job is built from the config (core.training.playground.job_from_config): the config
    # and the data are checked there, before anything is queued
    job = chrome.registry().submit("playground", t("playground.run.job_title", dataset=t(
        f"playground.datasets.{config.dataset}"), hidden=hidden),
        config.as_job_config(own_points=own, start=start), owner=chrome.session_label())
    st.session_state[JOB_KEY] = job.id
    return job
