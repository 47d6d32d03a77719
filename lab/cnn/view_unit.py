"""One unit opened: the operation that made its map, with the model's own numbers.

A conv unit shows its input channels, one kernel per channel, each channel's map, their
sum, the bias and the activation, then one output cell worked out number by number. A
pooling unit shows its window and the value it keeps; the output shows logits → softmax.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import Translator
from lab.cnn import explain, maths, plots
from lab.cnn.view_overview import step_name, unit_name
from ui import chrome, display
from ui import plots as ui_plots


def _n(value: float, spec: str = ".3f") -> str:
    return i18n.format_number(float(value), chrome.language(), spec)


def _tex(value: float, spec: str = ".3f") -> str:
    """A number inside LaTeX: a decimal comma in braces (else LaTeX spaces it as punctuation)."""
    return _n(value, spec).replace(",", "{,}")


def _plus(values) -> str:
    """``a + b − c`` in LaTeX (a negative term is subtracted, not added in brackets)."""
    text = " + ".join(_tex(v) for v in values)
    return text.replace("+ -", "- ")


def _small(z: np.ndarray) -> bool:
    return max(np.shape(z)) <= 8


def _row(figs: list, key: str, text: str) -> None:
    """Maps side by side (stacked on a phone), then one sentence saying what they show."""
    for i, (col, fig) in enumerate(zip(st.columns(len(figs)), figs)):
        display.show(fig, key=f"{key}_{i}", where=col)
    st.caption(text)


def _cell(t: Translator, key: str, shape: tuple[int, int], default: tuple[int, int]) -> tuple[int, int]:
    """Row and column inputs (counted from 1 on screen) for one output cell of a map."""
    c1, c2 = st.columns(2)
    row = c1.number_input(t("cnn.cell.row"), 1, shape[0], default[0] + 1, key=f"{key}_row")
    col = c2.number_input(t("cnn.cell.col"), 1, shape[1], default[1] + 1, key=f"{key}_col")
    return int(row) - 1, int(col) - 1


def _peak(z: np.ndarray) -> tuple[int, int]:
    r, c = np.unravel_index(int(np.argmax(z)), z.shape)
    return int(r), int(c)


def unit(t: Translator, model, digit: np.ndarray, over: explain.Overview, step: explain.Step, u: int) -> None:
    """The detail of unit ``u`` of ``step``."""
    st.subheader(t("cnn.detail.title", step=step_name(t, step), unit=unit_name(t, step, u)))
    views = {"conv": _conv, "act": _act, "norm": _norm, "pool": _pool, "flatten": _flatten,
             "dense": _dense, "logits": _output, "softmax": _output}
    views.get(step.kind, _other)(t, model, digit, over, step, u)


# ---------------------------------------------------------------- convolution
def _conv(t: Translator, model, digit, over, step, u) -> None:
    unit = explain.conv_unit(model, digit, step.layer, u)
    c, k = len(unit.channels), unit.kernels.shape[-1]
    st.markdown(t("cnn.conv.intro", c=c, k=k, stride=unit.stride, padding=t(f"cnn.padding.{unit.padding}")))
    parts = [(t("cnn.conv.inputs", n=c), unit.channels), (t("cnn.conv.kernels", n=c), unit.kernels),
             (t("cnn.conv.maps", n=c), unit.maps)]
    for col, (title, maps) in zip(st.columns(3), parts):
        rgb, (lo, hi) = plots.tile_picture(maps)
        col.image(rgb, caption=t("cnn.conv.tile_caption", title=title, lo=_n(lo), hi=_n(hi)),
                  alt=t("cnn.conv.tile_alt", title=title), width="stretch")
    st.caption(t("cnn.conv.parts_text", n=c, k=k))
    fn = t(f"cnn.functions.{unit.activation}")
    items = [(t("cnn.conv.sum", n=c), unit.total), (t("cnn.conv.pre", b=_n(unit.bias)), unit.pre),
             (t("cnn.conv.out", f=fn), unit.out)]
    _row(plots.maps(items, numbers=_small(unit.total), height=320, zero_text=t("cnn.all_zero")), "cnn_conv_sum",
         t("cnn.conv.sum_text", lo=_n(unit.total.min()), hi=_n(unit.total.max()), b=_n(unit.bias),
                        zeros=int((unit.out == 0).sum()), cells=unit.out.size))
    _conv_position(t, model, digit, over, step, u, unit)


def _keras_value(over: explain.Overview, step: explain.Step, u: int, row: int, col: int) -> float:
    """The model's own output at one cell: the next step's (its activation) or this one's."""
    later = over.steps[step.index + 1] if step.index + 1 < len(over.steps) else None
    i = step.index + 1 if step.activation != "linear" and later is not None and later.layer == step.layer else step.index
    return float(over.values[i][u][row, col])


def _conv_position(t: Translator, model, digit, over, step, u, unit: explain.ConvUnit) -> None:
    st.markdown(f"#### {t('cnn.conv.step_title')}")
    key = f"cnn_conv_{step.index}_{u}"
    row, col = _cell(t, key, unit.out.shape, _peak(unit.out))
    p = explain.conv_position(model, digit, step.layer, u, row, col)
    channels = list(range(len(p.sums)))
    st.session_state.setdefault(f"{key}_channel", int(np.argmax(np.abs(p.sums))))
    ch = st.selectbox(t("cnn.conv.channel"), channels, key=f"{key}_channel", help=t("cnn.conv.channel_help"),
                      format_func=lambda i: t("cnn.conv.channel_item", c=i + 1))
    figs = plots.maps([(t("cnn.conv.window", c=ch + 1), p.windows[ch]), (t("cnn.conv.kernel", c=ch + 1), p.kernels[ch]),
                       (t("cnn.conv.products"), p.windows[ch] * p.kernels[ch])], shared=False, numbers=True, height=260)
    _row(figs, "cnn_conv_position", t("cnn.conv.channel_text", c=ch + 1, s=_n(p.sums[ch])))
    terms = _plus(p.sums[:3]) + (r" + \dots" if len(p.sums) > 3 else "")  # fits a phone
    st.latex(rf"\sum_{{c=1}}^{{{len(p.sums)}}} s_c = {terms} = {_tex(p.total)}")
    fn = t(f"cnn.functions.{unit.activation}")
    st.latex(rf"{_tex(p.total)} + ({_tex(p.bias)}) = {_tex(p.pre)} \;\xrightarrow{{\text{{{fn}}}}}\; {_tex(p.out)}")
    st.markdown(t("cnn.conv.check", row=row + 1, col=col + 1, value=_n(_keras_value(over, step, u, row, col))))
    display.data_table(t("cnn.conv.table"), {t("cnn.conv.channel"): [i + 1 for i in channels],
                                             t("cnn.conv.channel_sum"): [round(float(s), 4) for s in p.sums]})


# ---------------------------------------------------------------- one map in, one map out
def _before_after(t: Translator, over, step, u, key: str) -> tuple[np.ndarray, np.ndarray]:
    before, after = over.values[step.index - 1][u], over.values[step.index][u]
    if np.ndim(after) == 2:
        figs = plots.maps([(t("cnn.detail.before"), before), (t("cnn.detail.after"), after)],
                          numbers=_small(after), height=320, zero_text=t("cnn.all_zero"))
        _row(figs, key, t("cnn.detail.before_after_text", lo=_n(np.min(after)), hi=_n(np.max(after))))
    return np.asarray(before, np.float64), np.asarray(after, np.float64)


def _act(t: Translator, model, digit, over, step, u) -> None:
    fn = t(f"cnn.functions.{step.activation}")
    st.markdown(t(f"cnn.act.{'relu' if step.activation == 'relu' else 'other'}", f=fn))
    before, after = _before_after(t, over, step, u, "cnn_act")
    if before.ndim == 0:
        st.latex(rf"\text{{{fn}}}({_tex(before)}) = {_tex(after)}")
    else:
        st.caption(t("cnn.act.zeros", n=int((after == 0).sum()), cells=after.size))


def _norm(t: Translator, model, digit, over, step, u) -> None:
    v = explain.norm_numbers(model, step, u)
    scale = v["gamma"] / np.sqrt(v["var"] + v["eps"])
    st.markdown(t("cnn.norm.intro"))
    g = lambda key: _tex(v[key], ".3g")  # noqa: E731 - σ² can be 0.003: three significant digits
    st.latex(rf"y = \gamma\,\frac{{x - \mu}}{{\sqrt{{\sigma^2 + \varepsilon}}}} + \beta = {g('gamma')}\,"
             rf"\frac{{x - ({g('mean')})}}{{\sqrt{{{g('var')} + {g('eps')}}}}} + ({g('beta')})"
             rf" = {_tex(scale, '.4g')}\,x + ({_tex(v['beta'] - scale * v['mean'], '.3g')})")
    before, after = _before_after(t, over, step, u, "cnn_norm")
    if before.ndim == 0:
        st.latex(rf"x = {_tex(before)} \;\to\; y = {_tex(after)}")


def _pool(t: Translator, model, digit, over, step, u) -> None:
    info = step.info
    channel, out = over.values[step.index - 1][u], over.values[step.index][u]
    st.markdown(t(f"cnn.pool.intro_{info['mode']}", s=info["size"], stride=info["stride"],
                  h=channel.shape[0], o=out.shape[0]))
    row, col = _cell(t, f"cnn_pool_{step.index}_{u}", out.shape, _peak(out))
    w = maths.pool_window(channel, info["size"], info["stride"], row, col, info["mode"], info["padding"])
    size = info["size"]
    figs = plots.maps([(t("cnn.pool.input"), channel), (t("cnn.pool.output"), out)], height=300,
                      boxes=[[(w.top, w.left, size, size, plots.ACCENT)], [(row, col, 1, 1, plots.ACCENT)]])
    figs += plots.maps([(t("cnn.pool.window"), w.window)], numbers=True, height=300)
    _row(figs, "cnn_pool", t("cnn.pool.text", row=row + 1, col=col + 1, kept=_n(w.kept)) + " "
         + t("cnn.pool.kept", kept=_n(w.kept), value=_n(float(out[row, col]))))


def _flatten(t: Translator, model, digit, over, step, u) -> None:
    h, w, c = step.info["shape"]
    st.markdown(t("cnn.flatten.intro", h=h, w=w, c=c, n=h * w * c))
    i = int(st.number_input(t("cnn.flatten.index"), 1, h * w * c, 1, key="cnn_flatten_index")) - 1
    ch, r, k = maths.flatten_origin(i, (h, w, c))
    st.markdown(t("cnn.flatten.origin", i=i + 1, c=ch + 1, row=r + 1, col=k + 1, value=_n(over.values[step.index][i])))


def _dense(t: Translator, model, digit, over, step, u) -> None:
    v = explain.dense_numbers(model, over, step, u)
    n = len(v["inputs"])
    st.markdown(t("cnn.dense.intro", n=n))
    order = np.argsort(-np.abs(v["products"]))[:10]
    fig = ui_plots.bars([str(i + 1) for i in order], v["products"][order], title=t("cnn.dense.top"),
                        x_title=t("cnn.dense.input"), y_title=t("cnn.dense.product"), height=280)
    display.show(fig, key="cnn_dense", text=t("cnn.dense.top_text", n=len(order)))
    st.latex(rf"\sum_{{i=1}}^{{{n}}} w_i x_i + b = {_tex(v['products'].sum())} + ({_tex(v['bias'])}) = {_tex(v['pre'])}")


def _output(t: Translator, model, digit, over, step, u) -> None:
    logits_step = next(s for s in over.steps if s.kind == "logits")
    logits = np.asarray(over.values[logits_step.index], np.float64)
    probs = over.values[-1]
    shifted = np.exp(logits - logits.max())
    digits = list(range(10))
    st.markdown(t("cnn.output.intro"))
    c1, c2 = st.columns(2)
    display.show(ui_plots.bars(digits, logits, title=t("cnn.output.logits"), highlight=over.top, height=260),
                 key="cnn_logits", where=c1, text=t("cnn.output.logits_text", d=over.top, z=_n(logits[over.top])))
    display.show(ui_plots.bars(digits, probs, title=t("cnn.output.probs"), highlight=over.top, height=260,
                               y_range=(0, 1)), key="cnn_probs", where=c2,
                 text=t("cnn.output.probs_text", d=over.top, p=_n(probs[over.top], ".1%")))
    st.latex(rf"p_{{{u}}} = \frac{{e^{{z_{{{u}}} - \max z}}}}{{\sum_j e^{{z_j - \max z}}}}"
             rf" = \frac{{{_tex(shifted[u], '.3g')}}}{{{_tex(shifted.sum(), '.4g')}}} = {_tex(maths.softmax(logits)[u], '.3g')}")
    st.dataframe({t("cnn.output.digit"): digits, t("cnn.output.logit"): [_n(z) for z in logits],
                  t("cnn.output.exp"): [_n(e, ".3g") for e in shifted],  # tiny values stay readable: 2.1e-07
                  t("cnn.output.prob"): [_n(p, ".3g") for p in probs]}, hide_index=True, key="cnn_output_table")


def _other(t: Translator, model, digit, over, step, u) -> None:
    st.info(t("cnn.detail.other"))
