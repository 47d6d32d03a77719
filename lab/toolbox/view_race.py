"""The optimisers race: a surface, the optimisers, η and μ in; paths, loss and step lengths out,
with the numbers of one step. All numpy, computed on each change (about 40 ms for 500 steps)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from lab.toolbox import maths as m
from lab.toolbox import plots
from ui import chrome, display

LR_CHOICES = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.08, 0.09, 0.1,
              0.11, 0.12, 0.15, 0.2, 0.3, 0.5, 1.0]
STEP_CHOICES = [10, 25, 50, 60, 100, 200, 300, 500, 1000]
MEMORY = {"momentum": ("v",), "nesterov": ("v",), "rmsprop": ("r",), "adam": ("s", "r", "s_hat", "r_hat")}
MEMORY_NAMES = {"v": "v", "r": "r", "s": "s", "s_hat": "ŝ", "r_hat": "r̂"}


@st.cache_data(show_spinner=False, max_entries=64)
def _race(name: str, chosen: tuple[str, ...], cfg: m.Settings, steps: int) -> dict[str, m.Path]:
    return m.race(name, chosen, cfg, steps)  # the same for everyone with the same settings


def _num(value: float) -> str:
    return i18n.format_number(float(value), chrome.language(), ".3g")


def _vec(v: np.ndarray) -> str:
    return f"({_num(v[0])}; {_num(v[1])})" if chrome.language() == "es" else f"({_num(v[0])}, {_num(v[1])})"


def controls(t: i18n.Translator) -> tuple[str, list[str], m.Settings, int]:
    """The surface, the optimisers and the settings chosen (each surface keeps its own sliders)."""
    top = st.columns([2, 3])
    name = top[0].selectbox(t("toolbox.race.surface"), list(m.SURFACES), key="toolbox_surface",
                            format_func=lambda s: t(f"toolbox.surfaces.{s}"))
    chosen = top[1].multiselect(t("toolbox.race.optimisers"), list(m.OPTIMISERS), default=list(m.OPTIMISERS),
                                key="toolbox_optimisers", format_func=lambda o: t(f"toolbox.names.{o}"))
    st.caption(t(f"toolbox.notes.{name}"))
    d = m.SURFACES[name].defaults
    c = st.columns(4)
    lr = c[0].select_slider(t("toolbox.race.lr"), LR_CHOICES, d["lr"], key=f"toolbox_lr_{name}")
    lr_adaptive = c[1].select_slider(t("toolbox.race.lr_adaptive"), LR_CHOICES, d["lr_adaptive"],
                                     key=f"toolbox_lr_adaptive_{name}")
    momentum = c[2].slider(t("toolbox.race.momentum"), 0.0, 0.99, d["momentum"], 0.01, key=f"toolbox_momentum_{name}")
    steps = c[3].select_slider(t("toolbox.race.steps"), STEP_CHOICES, d["steps"], key=f"toolbox_steps_{name}")
    return name, chosen, m.Settings(lr=lr, lr_adaptive=lr_adaptive, momentum=momentum).validate(), int(steps)


def _summary(t: i18n.Translator, name: str, paths: dict[str, m.Path], steps: int) -> str:
    items = []
    for opt, path in paths.items():
        label = t(f"toolbox.names.{opt}")
        if path.diverged_at is not None:
            items.append(t("toolbox.race.item_diverged", name=label, step=path.diverged_at))
        else:
            items.append(t("toolbox.race.item", name=label, loss=_num(path.losses[-1]),
                           distance=_num(m.distance_to_minimum(name, path))))
    return t("toolbox.race.summary", steps=steps, items="; ".join(items))


def _numbers_table(t: i18n.Translator, paths: dict[str, m.Path], k: int) -> None:
    """The numbers of step ``k`` (1-based) for every optimiser, as a table."""
    rows: dict[str, list[str]] = {t(f"toolbox.race.col_{c}"): [] for c in
                                  ("optimiser", "theta", "g", "memory", "update", "after")}
    cols = list(rows)
    for opt, path in paths.items():
        rows[cols[0]].append(t(f"toolbox.names.{opt}"))
        if k > len(path.numbers):
            for c in cols[1:]:
                rows[c].append(t("toolbox.race.gone"))
            continue
        nums = path.numbers[k - 1]
        memory = ", ".join(f"{MEMORY_NAMES[key]} = {_vec(nums[key])}" for key in MEMORY.get(opt, ()))
        for col, text in zip(cols[1:], (_vec(path.points[k - 1]), _vec(nums["g"]), memory or "—",
                                        _vec(nums["update"]), _vec(path.points[k]))):
            rows[col].append(text)
    st.markdown(f"**{t('toolbox.race.numbers_title', k=k, k_prev=k - 1)}**")
    st.dataframe(rows, hide_index=True, key="toolbox_numbers")


def _rules() -> None:
    st.latex(r"\text{SGD: } \Delta\theta = -\eta g \qquad \text{momentum: } v \leftarrow \mu v - \eta g,"
             r"\ \Delta\theta = v \qquad \text{Nesterov: } v \leftarrow \mu v - \eta g,\ \Delta\theta = \mu v - \eta g")
    st.latex(r"\text{RMSprop: } r \leftarrow \rho r + (1-\rho)\, g\odot g,\ \Delta\theta = -\eta\,\frac{g}{\sqrt{r+\delta}}"
             r"\qquad \rho = 0.9,\ \delta = 10^{-7}")
    st.latex(r"\text{Adam: } \hat s = \frac{s}{1-\rho_1^{\,t}},\ \hat r = \frac{r}{1-\rho_2^{\,t}},\ "
             r"\Delta\theta = -\eta\,\frac{\hat s}{\sqrt{\hat r}+\delta}\qquad \rho_1 = 0.9,\ \rho_2 = 0.999")


def race_tab(t: i18n.Translator) -> None:
    """The whole race tab."""
    st.markdown(t("toolbox.race.explain"))
    name, chosen, cfg, steps = controls(t)
    if not chosen:
        st.info(t("toolbox.race.pick_one"))
        return
    paths = _race(name, tuple(chosen), cfg, steps)
    longest = max(len(p.numbers) for p in paths.values())
    k = st.slider(t("toolbox.race.step_pick"), 1, max(longest, 2), 1, key=f"toolbox_step_{name}")
    surface = m.SURFACES[name]
    xs, ys, z = m.grid(name)
    labels = {t(f"toolbox.names.{o}"): p for o, p in paths.items()}
    left, right = st.columns([3, 2])
    display.show(plots.race_paths(xs, ys, z, {n: p.points for n, p in labels.items()}, surface.minima,
                                  surface.log_contours, t("toolbox.race.paths_title"),
                                  "x" if name != "net" else "w", "y" if name != "net" else "v", marker=k),
                 key="toolbox_paths", where=left, text=_summary(t, name, paths, steps))
    lowest = min(float(surface.f(np.array(a), np.array(b))) for a, b in surface.minima)
    above = {n: np.maximum(p.losses - lowest, 1e-12) for n, p in labels.items()}
    display.show(plots.log_lines(above, t("toolbox.race.loss_title"), t("toolbox.race.step_axis"),
                                 t("toolbox.race.loss_axis")), key="toolbox_loss", where=right)
    display.show(plots.log_lines({n: np.maximum(p.step_sizes, 1e-12) for n, p in labels.items()},
                                 t("toolbox.race.size_title"), t("toolbox.race.step_axis"),
                                 t("toolbox.race.size_axis")), key="toolbox_sizes", where=right)
    _numbers_table(t, paths, k)
    with st.expander(t("toolbox.race.rules"), icon=":material/function:"):
        _rules()
        st.caption(t("toolbox.race.rules_note"))
