"""Perceptron: the learning rule step by step on logic gates, XOR's impossibility, and the
hidden layer that solves it."""

from dataclasses import asdict

import pandas as pd
import streamlit as st

from core.jobs.registry import ACTIVE
from lab.perceptron import plots as plane_plots
from lab.perceptron.maths import (
    GATES,
    HISTORY_KEYS,
    INPUTS,
    grid_points,
    train_perceptron,
    xor_mlp_forward,
    xor_output_line,
)
from lab.perceptron.training import KIND, XorConfig
from ui import chrome, display, links, plots

MLP_RATES = [0.001, 0.01, 0.03, 0.05, 0.1, 0.3]
# The controls kept in the address (``bind=links.URL``: the parameter is the widget's key).
RULE_KEYS = ("perceptron_gate", "perceptron_lr", "perceptron_b0", "perceptron_w1", "perceptron_w2")
TRAIN_KEYS = ("perceptron_hidden", "perceptron_activation", "perceptron_mlp_lr", "perceptron_epochs")

t = chrome.start_page()
st.title(t("perceptron.title"))
st.markdown(t("perceptron.intro"))
chrome.lesson(t, "perceptron")
CLASSES = (t("perceptron.class0"), t("perceptron.class1"))

# ---------------------------------------------------------------- 1. the learning rule
st.header(t("perceptron.rule.header"))
st.markdown(t("perceptron.rule.explain"))
rule_link = links.watch("perceptron_rule", RULE_KEYS)  # a notice for bad values in a link goes here
c = st.columns([2, 1, 1, 1, 1])
gate = c[0].segmented_control(t("perceptron.rule.gate"), list(GATES), default="AND", key="perceptron_gate",
                              bind=links.URL)
gate = gate or "AND"
lr = c[1].number_input(t("perceptron.rule.lr"), 0.01, 2.0, 0.3, 0.05, key="perceptron_lr", bind=links.URL)
b0 = c[2].number_input(t("perceptron.rule.b0"), -3.0, 3.0, 1.0, 0.1, key="perceptron_b0", bind=links.URL)
w1 = c[3].number_input(t("perceptron.rule.w1"), -3.0, 3.0, 1.0, 0.1, key="perceptron_w1", bind=links.URL)
w2 = c[4].number_input(t("perceptron.rule.w2"), -3.0, 3.0, 1.0, 0.1, key="perceptron_w2", bind=links.URL)
links.report(t, rule_link)

run = train_perceptron(INPUTS, GATES[gate], lr=lr, w0=(w1, w2), b0=b0, max_epochs=100)
settings = (gate, lr, b0, w1, w2)
if st.session_state.get("perceptron_settings") != settings:  # new settings: start again
    st.session_state["perceptron_settings"] = settings
    st.session_state["perceptron_pos"] = 0
    st.session_state["perceptron_playing"] = False
n_steps = len(run.history)


def _weights_after(pos: int) -> tuple[float, float, float]:
    """(b, w1, w2) after ``pos`` steps of the history."""
    if pos == 0:
        return b0, w1, w2
    row = run.history[pos - 1]
    return row["b"] + row["db"], row["w1"] + row["dw1"], row["w2"] + row["dw2"]


def _go(pos: int) -> None:
    """Button callback: show the state after ``pos`` steps (runs before the page redraws).

    Every button passes its target position as drawn (``pos + 1`` for "step"), never "one
    more than now": Streamlit may run a click's callback twice when another rerun (the
    sidebar's job ticker) interrupts it, and setting a position twice is harmless."""
    st.session_state.update(perceptron_pos=max(0, min(pos, n_steps)), perceptron_playing=False)


def _set_playing(playing: bool) -> None:
    st.session_state["perceptron_playing"] = playing


def _controls() -> None:
    cols = st.columns(4)
    pos = st.session_state["perceptron_pos"]
    cols[0].button(t("perceptron.rule.reset"), key="perceptron_reset", icon=":material/first_page:",
                   on_click=_go, args=(0,))
    cols[1].button(t("perceptron.rule.step"), key="perceptron_step", icon=":material/skip_next:",
                   disabled=pos >= n_steps, on_click=_go, args=(pos + 1,))
    playing = st.session_state["perceptron_playing"]
    if cols[2].button(t("perceptron.rule.pause") if playing else t("perceptron.rule.play"),
                      key="perceptron_play", icon=":material/pause:" if playing else ":material/play_arrow:",
                      on_click=_set_playing, args=(not playing,)):
        st.rerun()  # the whole page, so the fragment starts (or stops) ticking
    cols[3].button(t("perceptron.rule.end"), key="perceptron_to_end", icon=":material/last_page:",
                   on_click=_go, args=(n_steps,))


def _step_card(pos: int) -> None:
    if pos == 0:
        st.info(t("perceptron.rule.start_hint"))
        return
    r = run.history[pos - 1]
    st.markdown(t("perceptron.rule.card", epoch=r["epoch"], x1=int(r["x1"]), x2=int(r["x2"])))
    st.latex(rf"z = {r['b']:.2f} + {r['w1']:.2f}\cdot{int(r['x1'])} + {r['w2']:.2f}\cdot{int(r['x2'])}"
             rf" = {r['z']:.2f}")
    st.latex(rf"\hat y = {r['y_hat']},\quad y = {r['y']}")
    if r["db"] == 0:
        st.success(t("perceptron.rule.no_change", y=r["y"]))
    else:
        st.warning(t("perceptron.rule.change", y=r["y"], y_hat=r["y_hat"]))
        db, dw1, dw2 = (r[k] + 0.0 for k in ("db", "dw1", "dw2"))  # + 0.0: no "−0" when the input is 0
        st.latex(rf"\begin{{gathered}}\Delta b = {db:+.2f} \\ \Delta w_1 = {dw1:+.2f} \\ "
                 rf"\Delta w_2 = {dw2:+.2f}\end{{gathered}}")


def _table(pos: int) -> None:
    frame = pd.DataFrame(run.history, columns=list(HISTORY_KEYS))
    frame.columns = [t(f"perceptron.col.{k}") for k in HISTORY_KEYS]
    styled = frame.style.format(precision=2).apply(
        lambda row: ["background-color: #ffe8a3" if row.name == pos - 1 else "" for _ in row], axis=1)
    st.dataframe(styled, height=260, width="stretch", key="perceptron_table")


@st.fragment(run_every=0.8 if st.session_state.get("perceptron_playing") else None)
def stepper() -> None:
    if st.session_state["perceptron_playing"]:
        if st.session_state["perceptron_pos"] < n_steps:
            st.session_state["perceptron_pos"] += 1
        else:
            st.session_state["perceptron_playing"] = False
    _controls()
    pos = st.session_state["perceptron_pos"]
    st.progress(pos / max(n_steps, 1), text=t("perceptron.rule.progress", pos=pos, n=n_steps))
    left, right = st.columns([3, 2])
    b, v1, v2 = _weights_after(pos)
    display.show(plane_plots.points_and_line(
        INPUTS, GATES[gate], (b, v1, v2), t("perceptron.rule.plot_title", gate=gate),
        highlight=(pos - 1) % 4 if pos else None, class_names=CLASSES,
        line_name=t("perceptron.rule.line")), key="perceptron_plane", where=left)
    with right:
        st.latex(rf"{b:.2f} + {v1:.2f}\,x_1 + {v2:.2f}\,x_2 = 0")
        _step_card(pos)
    _table(pos)
    if pos == n_steps:
        if run.converged:
            st.success(t("perceptron.rule.converged", epochs=run.epochs, b=f"{run.b:.2f}",
                         w1=f"{run.w[0]:.2f}", w2=f"{run.w[1]:.2f}"))
        elif run.cycle_from is not None:
            st.error(t("perceptron.rule.cycle", epoch=run.cycle_from, length=run.cycle_length))
            st.markdown(t("perceptron.rule.minsky"))
        else:
            st.warning(t("perceptron.rule.not_yet", epochs=run.epochs))


stepper()

# ---------------------------------------------------------------- 2. a hidden layer solves XOR
st.header(t("perceptron.mlp.header"))
st.markdown(t("perceptron.mlp.explain"))
st.latex(r"\hat y = \theta_2^{\top}\,\max\!\left(0,\; \Theta_1^{\top} x + c\right) + b,\quad "
         r"\Theta_1 = \begin{bmatrix}1&1\\1&1\end{bmatrix},\; c = \begin{bmatrix}0\\-1\end{bmatrix},\;"
         r"\theta_2 = \begin{bmatrix}1\\-2\end{bmatrix},\; b = 0")
forward = xor_mlp_forward(INPUTS)
left, right = st.columns([3, 2])
display.show(plane_plots.points_and_line(
    forward["hidden"], GATES["XOR"], xor_output_line(), t("perceptron.mlp.hidden_title"),
    x_title="h₁", y_title="h₂", class_names=CLASSES, line_name=t("perceptron.mlp.output_line")),
    key="perceptron_hidden_plot", where=left)
steps = pd.DataFrame({"x₁": INPUTS[:, 0], "x₂": INPUTS[:, 1],
                      "XΘ₁ + c": [str(r.tolist()) for r in forward["pre"]],
                      "h = ReLU(·)": [str(r.tolist()) for r in forward["hidden"]],
                      "ŷ": forward["output"], "XOR": GATES["XOR"]})
right.markdown(t("perceptron.mlp.reading"))
st.dataframe(steps, hide_index=True, width="stretch", key="perceptron_forward_table")  # full width: no cut column

# ---------------------------------------------------------------- 3. train your own
st.header(t("perceptron.train.header"))
st.markdown(t("perceptron.train.explain"))
train_link = links.watch("perceptron_train", TRAIN_KEYS)
c = st.columns(4)
hidden = c[0].slider(t("perceptron.train.hidden"), 1, 16, 4, key="perceptron_hidden", bind=links.URL)


def act_label(name: str) -> str:
    return t(f"perceptron.act.{name}")


activation = c[1].selectbox(t("perceptron.train.activation"), ["tanh", "relu", "sigmoid"], format_func=act_label,
                            key="perceptron_activation", bind=links.URL)
mlp_lr = c[2].select_slider(t("perceptron.train.lr"), MLP_RATES, 0.05, key="perceptron_mlp_lr", bind=links.URL)
epochs = c[3].number_input(t("perceptron.train.epochs"), 10, 2000, 300, 10, key="perceptron_epochs",
                           bind=links.URL)
links.report(t, train_link, {"perceptron_activation": act_label})
if st.button(t("perceptron.train.start"), key="perceptron_train", icon=":material/play_arrow:", type="primary",
             **chrome.start_button(t, KIND)):
    with chrome.guard(t):
        config = XorConfig(hidden, activation, float(mlp_lr), int(epochs))
        job = chrome.registry().submit(KIND, t("perceptron.train.job_title", hidden=hidden), asdict(config),
                                       owner=chrome.session_label())
        st.session_state["perceptron_job_id"] = job.id


def live_training() -> None:
    job = chrome.latest_job(KIND, "perceptron_job_id")
    if job is None:
        st.caption(t("perceptron.train.none"))
        return
    chrome.job_panel(job, t, key="perceptron_job")
    snap = job.snapshot()
    left, right = st.columns(2)
    if "boundary" in snap.extras:
        epoch, probs = snap.extras["boundary"]
        display.show(plane_plots.decision_surface(grid_points()[0], probs, INPUTS, GATES["XOR"],
                                          t("perceptron.train.boundary", epoch=epoch, epochs=snap.epochs or epoch),
                                          CLASSES), key="perceptron_boundary", where=left)
    if snap.history.get("loss"):
        display.show(plots.lines({t("perceptron.train.loss"): snap.history["loss"]},
                               t("perceptron.train.loss_title"), t("perceptron.train.epoch_axis"),
                               t("perceptron.train.loss")), key="perceptron_loss", where=right)
    if snap.status not in ACTIVE and snap.result.get("outputs"):
        st.caption(t("perceptron.train.outputs", outputs=", ".join(f"{v:.2f}" for v in snap.result["outputs"])))


_job = chrome.latest_job(KIND, "perceptron_job_id")  # poll every second only while a job is queued or running
st.fragment(run_every=1 if _job is not None and _job.status in ACTIVE else None)(live_training)()
