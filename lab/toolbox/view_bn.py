"""Batch normalisation and dropout: settings in, a background job, curves and one batch out."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import streamlit as st

from core import i18n
from core.jobs.registry import ACTIVE
from lab.toolbox import plots
from lab.toolbox.training import INSPECT_BATCH, KIND, VARIANTS, ToolboxConfig
from ui import chrome, display

JOB_KEY = "toolbox_bn_job_id"


def _pct(value: float) -> str:
    return i18n.format_number(float(value), chrome.language(), ".1%")


def _num(value: float, spec: str = ".3g") -> str:
    return i18n.format_number(float(value), chrome.language(), spec)


def settings(t: i18n.Translator) -> ToolboxConfig:
    """The job's settings from the widgets."""
    c = st.columns(3)
    n_train = c[0].select_slider(t("toolbox.bn.n_train"), [500, 1000, 2000, 5000], 2000, key="toolbox_bn_n_train")
    epochs = c[1].number_input(t("toolbox.bn.epochs"), 1, 30, 6, key="toolbox_bn_epochs")
    dropout = c[2].select_slider(t("toolbox.bn.dropout"), [0.1, 0.2, 0.3, 0.4, 0.5], 0.3, key="toolbox_bn_dropout")
    return ToolboxConfig(n_train=int(n_train), epochs=int(epochs), dropout=float(dropout)).validate()


def _curves(t: i18n.Translator, curves: dict) -> None:
    names = {v: t(f"toolbox.bn.variants.{v}") for v in VARIANTS}
    train, test = t("toolbox.bn.train"), t("toolbox.bn.test")
    last = {v: c for v, c in curves.items() if c.get("test_acc")}
    gaps = "; ".join(t("toolbox.bn.gap_item", name=names[v], gap=_pct(c["train_acc"][-1] - c["test_acc"][-1]))
                     for v, c in last.items())
    left, right = st.columns(2)
    display.show(plots.curves_by_variant(curves, names, "acc", train, test, t("toolbox.bn.acc_title"),
                                         t("toolbox.bn.epoch_axis"), t("toolbox.bn.acc_axis")),
                 key="toolbox_bn_acc", where=left, text=t("toolbox.bn.gap_text", items=gaps))
    display.show(plots.curves_by_variant(curves, names, "loss", train, test, t("toolbox.bn.loss_title"),
                                         t("toolbox.bn.epoch_axis"), t("toolbox.bn.loss_axis")),
                 key="toolbox_bn_loss", where=right,
                 text=t("toolbox.bn.fit_note", items="; ".join(
                     f"{names[v]} {_num(c['fit_loss'][-1])} / {_num(c['train_loss'][-1])}" for v, c in last.items())))
    if last:
        display.show(plots.grouped_bars([names[v] for v in last], {
            train: [c["train_acc"][-1] for c in last.values()], test: [c["test_acc"][-1] for c in last.values()]},
            t("toolbox.bn.gap_title"), y_title=t("toolbox.bn.acc_axis"), y_range=(0.0, 1.0)), key="toolbox_bn_gap")


def _batch_view(t: i18n.Translator, bn: dict) -> None:
    st.subheader(t("toolbox.bn.batch_header", n=INSPECT_BATCH))
    st.markdown(t("toolbox.bn.batch_explain"))
    units = len(bn["batch_mean"])
    cols = {t("toolbox.bn.col_unit"): list(range(1, units + 1))}
    for key in ("batch_mean", "moving_mean", "batch_var", "moving_var", "gamma", "beta"):
        cols[t(f"toolbox.bn.col_{key}")] = [_num(v, ".3f") for v in bn[key]]
    st.dataframe(cols, hide_index=True, key="toolbox_bn_table")
    unit = st.selectbox(t("toolbox.bn.unit_pick"), list(range(1, units + 1)), key="toolbox_bn_unit") - 1
    slope = lambda var: bn["gamma"][unit] / np.sqrt(var[unit] + bn["epsilon"])  # noqa: E731
    display.show(plots.bn_lines(np.asarray(bn["z"])[:, unit], np.asarray(bn["out_train"])[:, unit],
                                np.asarray(bn["out_infer"])[:, unit], t("toolbox.bn.train_mode"),
                                t("toolbox.bn.infer_mode"), t("toolbox.bn.lines_title", unit=unit + 1),
                                t("toolbox.bn.z_axis"), t("toolbox.bn.out_axis")), key="toolbox_bn_lines",
                 text=t("toolbox.bn.lines_text", slope_train=_num(slope(bn["batch_var"])),
                        slope_infer=_num(slope(bn["moving_var"]))))
    labels = np.asarray(bn["labels"])
    pred_train, pred_infer = np.asarray(bn["pred_train"]), np.asarray(bn["pred_infer"])
    st.markdown(t("toolbox.bn.whole_model", n=len(labels), right_train=int(np.sum(pred_train == labels)),
                  right_infer=int(np.sum(pred_infer == labels)), changed=int(np.sum(pred_train != pred_infer)),
                  change=_pct(bn["max_prob_change"])))


def _results(t: i18n.Translator) -> None:
    job = chrome.latest_job(KIND, JOB_KEY)
    if job is None:
        st.caption(t("toolbox.bn.none"))
        return
    chrome.job_panel(job, t, key="toolbox_bn_job")
    extras = job.snapshot().extras
    if extras.get("curves"):
        _curves(t, extras["curves"])
    if extras.get("bn"):
        _batch_view(t, extras["bn"])
    drop = extras.get("dropout")
    if drop:
        st.subheader(t("toolbox.bn.dropout_header"))
        st.markdown(t("toolbox.bn.dropout_text", rate=_num(drop["rate"], "g"), zeroed=_pct(drop["zeroed"]),
                      scale=_num(drop["scale"], ".3g"),
                      unchanged=t("toolbox.bn.yes") if drop["unchanged_in_inference"] else t("toolbox.bn.no")))


def bn_tab(t: i18n.Translator) -> None:
    """The whole batch-normalisation and dropout tab."""
    st.markdown(t("toolbox.bn.explain", units=ToolboxConfig().units))
    config = None
    with chrome.guard(t):
        config = settings(t)
    if config is not None and st.button(t("toolbox.bn.start"), key="toolbox_bn_start", icon=":material/play_arrow:",
                                        type="primary", **chrome.start_button(t, KIND)):
        with chrome.guard(t):
            job = chrome.registry().submit(KIND, t("toolbox.bn.job_title", n=config.n_train), asdict(config),
                                           owner=chrome.session_label())
            st.session_state[JOB_KEY] = job.id
    job = chrome.latest_job(KIND, JOB_KEY)
    st.fragment(run_every=1 if job is not None and job.status in ACTIVE else None)(_results)(t)
