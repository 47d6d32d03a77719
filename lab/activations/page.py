"""Activation functions: shapes, derivatives, softmax temperature and vanishing gradients."""

import numpy as np
import streamlit as st

from lab.activations.maths import FUNCTIONS, LogitsError, derivative_chain, parse_logits, softmax
from ui import chrome, display, links, plots

t = chrome.start_page()
st.title(t("activations.title"))
st.markdown(t("activations.intro"))
chrome.lesson(t, "activations")
NAMES = list(FUNCTIONS)
LOGITS = "2.0, 1.0, 0.1, -1.0"
# The controls kept in the address (``bind=links.URL``: the parameter is the widget's key).
CURVE_KEYS = ("activations_chosen", "activations_slope", "activations_show_d")
LATER_KEYS = ("activations_logits", "activations_temperature", "activations_depth")


def name_of(n: str) -> str:
    return t(f"activations.name.{n}")


# ---------------------------------------------------------------- 1. functions and derivatives
st.header(t("activations.curves.header"))
curve_link = links.watch("activations_curves", CURVE_KEYS)  # a notice for bad values in a link goes here
c = st.columns([5, 2, 3])  # room for the toggle's whole label
chosen = c[0].multiselect(t("activations.curves.choose"), NAMES, default=["sigmoid", "tanh", "relu"],
                          format_func=name_of, key="activations_chosen", bind=links.URL)
slope = 0.2
if "leaky_relu" in chosen:  # only the leaky ReLU has a slope: without it the slider is not shown (but kept)
    slope = c[1].slider(t("activations.curves.slope"), 0.0, 0.5, 0.2, 0.01, key="activations_slope",
                        bind=links.URL, persist_state="page")
show_d = c[2].toggle(t("activations.curves.derivatives"), True, key="activations_show_d", bind=links.URL)
links.report(t, curve_link, {"activations_chosen": name_of})
x = np.linspace(-6, 6, 601)
curves, dashed = {}, []
for name in chosen:
    act, params = FUNCTIONS[name], ({"slope": slope} if name == "leaky_relu" else {})
    label = t(f"activations.name.{name}")
    curves[label] = act.f(x, **params)
    if show_d:
        curves[t("activations.curves.derivative_of", name=label)] = act.df(x, **params)
        dashed.append(t("activations.curves.derivative_of", name=label))
shade = []
if any(FUNCTIONS[n].saturates for n in chosen):
    shade += [(-6, -3, t("activations.curves.saturated")), (3, 6, t("activations.curves.saturated"))]
if "relu" in chosen:
    shade.append((-6, 0, t("activations.curves.dead"), "bottom right"))  # apart from "saturation", top left
if chosen:
    display.show(plots.function_curves(x, curves, dashed, shade, t("activations.curves.title"),
                                     y_title="f(x), f′(x)", y_range=(-1.5, 3)), key="activations_plot")
    cols = st.columns(min(len(chosen), 3))
    for i, name in enumerate(chosen):
        with cols[i % len(cols)]:
            st.markdown(f"**{t(f'activations.name.{name}')}**")
            st.latex(FUNCTIONS[name].latex)
            st.caption(t(f"activations.note.{name}"))
else:
    st.info(t("activations.curves.pick_one"))

# ---------------------------------------------------------------- 2. softmax
st.header(t("activations.softmax.header"))
st.markdown(t("activations.softmax.explain"))
st.latex(r"\operatorname{softmax}(z)_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}")
later_link = links.watch("activations_later", LATER_KEYS)
c = st.columns([2, 1])
text = c[0].text_input(t("activations.softmax.logits"), LOGITS, key="activations_logits", bind=links.URL)
temperature = c[1].slider(t("activations.softmax.temperature"), 0.1, 10.0, 1.0, 0.1, key="activations_temperature",
                          bind=links.URL)
with chrome.guard(t):
    try:
        logits = parse_logits(text)
    except LogitsError as exc:  # the reason names the message: bad_logits, count, not_finite
        raise ValueError(t(f"activations.softmax.{exc.reason}", text=text, n=exc.count, value=exc.value)) from None
    probs = softmax(logits, temperature)
    names = [f"z{i + 1} = {v:g}" for i, v in enumerate(logits)]
    display.show(plots.bars(names, probs, t("activations.softmax.chart"), y_title=t("activations.softmax.prob"),
                          highlight=int(probs.argmax()), y_range=(0, 1)), key="activations_softmax_chart",
               text=display.top_text(names, probs, chrome.language(), k=len(names), spec=".1%"))
    st.caption(t("activations.softmax.reading", top=float(probs.max())))

# ---------------------------------------------------------------- 3. vanishing gradients
st.header(t("activations.vanishing.header"))
st.markdown(t("activations.vanishing.explain"))
depth = st.slider(t("activations.vanishing.layers"), 2, 20, 10, key="activations_depth", bind=links.URL)
links.report(t, later_link)  # shown above the softmax controls
chain = {t("activations.name.sigmoid"): derivative_chain("sigmoid", depth),
         t("activations.name.tanh"): derivative_chain("tanh", depth),
         t("activations.name.relu"): derivative_chain("relu", depth, x=1.0)}
fig = plots.lines(chain, t("activations.vanishing.chain_title"), t("activations.vanishing.layer_axis"),
                  t("activations.vanishing.factor_axis"))
fig.update_yaxes(type="log")
display.show(fig, key="activations_chain")
st.caption(t("activations.vanishing.chain_reading", depth=depth, value=0.25 ** depth))
if st.button(t("activations.vanishing.measure"), key="activations_measure", icon=":material/science:"):
    with chrome.guard(t), st.spinner(t("activations.vanishing.measuring")):
        from lab.activations.model import gradient_norms  # TensorFlow only when asked

        st.session_state["activations_norms"] = {
            name: gradient_norms(name, layers=depth) for name in ("sigmoid", "tanh", "relu")}
norms = st.session_state.get("activations_norms")
if norms:
    series = {t(f"activations.name.{n}"): v for n, v in norms.items()}
    fig = plots.lines(series, t("activations.vanishing.norms_title"), t("activations.vanishing.layer_axis"),
                      t("activations.vanishing.norm_axis"))
    fig.update_yaxes(type="log")
    display.show(fig, key="activations_norms_chart")
    st.caption(t("activations.vanishing.norms_reading",
                 ratio=float(norms["sigmoid"][-1] / max(norms["sigmoid"][0], 1e-30))))
