"""The playground's network view on the page: the graph (a picture while training, a chart to
hover and click when still), the weight a click picks to edit, the maths of a clicked node,
and every weight and bias as a table.

An edited weight is kept in the session (``lab.playground.view_run.EDITS_KEY``) for the run it
belongs to: the page then shows that network's surface (computed in numpy,
``lab.playground.network_view``) and "Train" or "Step" go on from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import format_number
from core.maths.playground import FEATURE_LABELS
from lab.playground import network_view as nv
from lab.playground.view_run import EDITS_KEY
from ui import display

SELECTED_KEY = "playground_selected"
CHART_KEY = "playground_network"


def lesson(t: i18n.Translator) -> None:
    """The second lesson (regression, reading the network), drawn as ``chrome.lesson`` draws one."""
    base = "playground.network_lesson"
    with st.expander(t(f"{base}.label"), icon=":material/school:"):
        st.markdown(t(f"{base}.lesson.idea"))
        st.latex(t(f"{base}.lesson.formula"))
        st.markdown(t(f"{base}.lesson.try"))
        st.markdown(f"**{t('common.check_yourself')}**")
        for i, qa in enumerate(t(f"{base}.lesson.questions")):
            st.markdown(f"{i + 1}. {qa['q']}")
            if st.toggle(t("common.show_answer"), key=f"playground_network_lesson_answer_{i}"):
                st.info(qa["a"])


def applied(state: dict | None, job_id: str | None, config) -> dict | None:
    """``state`` (a run's last published ``live`` record, or ``lab.playground.view_run.untrained``) with
    this session's edited weights for that run (``job_id``; ``None`` before the first epoch), and
    its surface and hidden maps computed from the weights when they were edited or not yet made."""
    if not state:
        return None
    edits = st.session_state.get(EDITS_KEY) or {}
    weights = [np.asarray(w, dtype=np.float32) for w in edits.get("weights", [])] if edits.get("job", "") == job_id else []
    edited = [w.shape for w in weights] == [np.shape(w) for w in state["weights"]]
    if not edited and "surface" in state:
        return state
    weights = weights if edited else [np.asarray(w, dtype=np.float32) for w in state["weights"]]
    out = nv.output_kind(weights, config.regression)
    maps = nv.maps(weights, config.features, config.activation, out)
    return {**state, "weights": weights, "surface": nv.surface(maps, out).astype(np.float32),
            "neurons": [m.astype(np.float32) for m in maps[1:-1]], "edited": edited}


def labels(features: Sequence[str], sizes: Sequence[int]) -> list[list[str]]:
    """Short names per column: the features, ``h1.3`` (unit 3 of hidden layer 1), ``ŷ`` (``ŷ1``...)."""
    out = [[FEATURE_LABELS[f] for f in features]]
    out += [[f"h{c}.{j + 1}" for j in range(n)] for c, n in enumerate(sizes[1:-1], start=1)]
    out.append(["ŷ"] if sizes[-1] == 1 else [f"ŷ{j + 1}" for j in range(sizes[-1])])
    return out


def _live_picture(weights, config, out: str, version: tuple) -> bytes:
    """The picture as JPEG bytes, drawn again only when the run has published a new epoch (the
    view asks five times a second; a JPEG is encoded ten times faster than a PNG of this size)."""
    cached = st.session_state.get("playground_network_picture")
    if cached and cached[0] == version:
        return cached[1]
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    maps = nv.maps(weights, config.features, config.activation, out)
    Image.fromarray(nv.picture(weights, maps, config.features, out)).save(buffer, format="JPEG", quality=85)
    st.session_state["playground_network_picture"] = (version, buffer.getvalue())
    return buffer.getvalue()


def _hover(t: i18n.Translator, weights, names, activation: str, out: str, lang: str):
    geo = nv.geometry(weights)
    last = len(geo.sizes) - 1
    nodes = [[t("playground.network.hover_input", name=names[0][j]) for j in range(geo.sizes[0])]]
    for c in range(1, last + 1):
        biases = np.asarray(weights[2 * c - 1])
        nodes.append([t("playground.network.hover_node", name=names[c][j],
                        bias=format_number(float(biases[j]), lang, ".3f"),
                        act=t(f"playground.network.functions.{out if c == last else activation}"))
                      for j in range(geo.sizes[c])])
    edges = [t("playground.network.hover_edge", src=names[c][i], dst=names[c + 1][j],
               w=format_number(float(weights[2 * c][i, j]), lang, ".3f")) for c, i, j in geo.edges()]
    return nodes, edges


def _chosen(weights) -> tuple | None:
    """The node or edge last clicked, if it still exists in this network."""
    clicked = nv.selection(st.session_state.get(CHART_KEY), weights)
    if clicked is not None:
        st.session_state[SELECTED_KEY] = clicked
    chosen = st.session_state.get(SELECTED_KEY)
    sizes = nv.geometry(weights).sizes
    if chosen and chosen[0] == "node" and chosen[1] < len(sizes) and chosen[2] < sizes[chosen[1]]:
        return tuple(chosen)
    if chosen and chosen[0] == "edge" and chosen[1] < len(sizes) - 1 and chosen[2] < sizes[chosen[1]] \
            and chosen[3] < sizes[chosen[1] + 1]:
        return tuple(chosen)
    return None


def draw(t: i18n.Translator, state: dict, config, ticking: bool, lang: str, job_id: str | None) -> None:
    """The network with ``state``'s weights: a picture while ``ticking``, else the chart, the
    edit or maths panel of what was clicked, and the weights table."""
    weights = [np.asarray(w) for w in state["weights"]]
    out = nv.output_kind(weights, config.regression)
    geo = nv.geometry(weights)
    names = labels(config.features, geo.sizes)
    sizes = " → ".join(str(n) for n in geo.sizes)
    text = t("playground.network.text", sizes=sizes)
    if ticking:
        st.markdown(f"**{t('playground.network.title', epoch=state['epoch'])}**")
        st.image(_live_picture(weights, config, out, (job_id, state["epoch"])),
                 alt=t("playground.network.alt", sizes=sizes))
        st.caption(text)
        return
    maps = nv.maps(weights, config.features, config.activation, out)
    chosen = _chosen(weights)
    nodes, edges = _hover(t, weights, names, config.activation, out, lang)
    fig = nv.figure(nv.picture(weights, maps, config.features, out, chosen), weights, nodes, edges,
                    t("playground.network.chart_title", epoch=state["epoch"]))
    display.show(fig, key=CHART_KEY, on_select="rerun", selection_mode="points", text=text)
    if state["epoch"] == 0:
        st.caption(t("playground.network.untrained"))
    if chosen and chosen[0] == "edge":
        _edit_edge(t, weights, names, chosen[1:], lang, job_id)
    elif chosen:
        _node_maths(t, weights, names, config, out, chosen[1:], lang)
    else:
        st.info(t("playground.network.click"))
    if state.get("edited"):
        st.button(t("playground.network.undo"), key="playground_edits_undo", icon=":material/undo:",
                  on_click=lambda: st.session_state.pop(EDITS_KEY, None))
    _tables(t, weights, names, lang)


def _edit_edge(t, weights, names, edge: tuple, lang: str, job_id: str | None) -> None:
    layer, i, j = edge
    current = float(weights[2 * layer][i, j])
    st.markdown(t("playground.network.edge", src=names[layer][i], dst=names[layer + 1][j],
                  w=format_number(current, lang, ".3f")))
    c = st.columns([2, 1])
    value = c[0].number_input(t("playground.network.new_weight"), -20.0, 20.0, round(current, 3), 0.1,
                              key=f"playground_edge_{layer}_{i}_{j}", format="%.3f")
    if c[1].button(t("playground.network.apply"), key="playground_edge_apply", icon=":material/edit:"):
        edited = nv.with_weight(weights, layer, i, j, value)
        st.session_state[EDITS_KEY] = {"job": job_id, "weights": [w.tolist() for w in edited]}
        st.rerun()
    st.caption(t("playground.network.edit_note"))


def _node_maths(t, weights, names, config, out: str, node: tuple, lang: str) -> None:
    col, j = node
    if col == 0:
        st.markdown(t("playground.network.input_node", name=names[0][j]))
        return
    c = st.columns(2)
    x1 = c[0].number_input("x₁", -1.2, 1.2, 0.5, 0.1, key="playground_probe_x1")
    x2 = c[1].number_input("x₂", -1.2, 1.2, -0.5, 0.1, key="playground_probe_x2")
    s = nv.node_sum(weights, config.features, config.activation, out, col, j, (x1, x2))

    def num(v: float) -> str:
        text = format_number(v, lang, ".3f")
        return f"({text})" if v < 0 else text

    terms = " + ".join(f"{num(w)} × {num(a)}" for w, a in zip(s["weights"], s["inputs"]))
    symbols = " + ".join(f"w{k + 1}·{name}" for k, name in enumerate(names[col - 1]))
    function = t(f"playground.network.functions.{s['function']}")
    st.markdown(t("playground.network.node_title", name=names[col][j], x1=format_number(x1, lang, ".2f"),
                  x2=format_number(x2, lang, ".2f")))
    st.code(f"z = {symbols} + b\n"
            f"z = {terms} + {num(s['bias'])} = {format_number(s['z'], lang, '.3f')}\n"
            f"a = {function}(z) = {format_number(s['a'], lang, '.3f')}", language=None, wrap_lines=True)
    kind = "output" if col == len(names) - 1 else "hidden"
    st.caption(t(f"playground.network.meaning_{kind}", name=names[col][j]))


def _tables(t, weights, names, lang: str) -> None:
    geo = nv.geometry(weights)
    rows = geo.edges()
    display.data_table(t("playground.network.table"), {
        t("playground.network.from"): [names[c][i] for c, i, _ in rows],
        t("playground.network.to"): [names[c + 1][j] for c, _, j in rows],
        t("playground.network.weight"): [round(float(weights[2 * c][i, j]), 4) for c, i, j in rows]},
        key="playground_weights_table")
    display.data_table(t("playground.network.bias_table"), {
        t("playground.network.node"): [names[c][j] for c in range(1, len(geo.sizes)) for j in range(geo.sizes[c])],
        t("playground.network.bias"): [round(float(weights[2 * c - 1][j]), 4)
                                       for c in range(1, len(geo.sizes)) for j in range(geo.sizes[c])]},
        key="playground_bias_table")
