"""The DCGAN page's tabs on a chosen generator: Explore, Interpolate, Check.

Each view takes the translator and the generator's path; the page runs it inside a
fragment (``model_tab``), so moving a slider reruns that tab alone. Results derived from
a model are cached by its file version too (``store.file_version``): a model file exported
again under the same name is a new key, never stale results.
"""

from __future__ import annotations

import random

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import Translator
from core.storage import store
from core.storage.mnist import load_mnist
from lab.gan import model as gan
from lab.gan import model_explore as gan_explore
from ui import chrome, display, downloads, links, plots

N_DIRECTIONS = 6
BASE_Z = "gan_explore_z"  # a latent vector another tab sent to Explore (the map, your drawing)


@st.cache_data(show_spinner=False, max_entries=4)
def directions(path: str, version: tuple) -> tuple[np.ndarray, np.ndarray]:
    return gan.principal_directions(gan.load_generator(path), k=N_DIRECTIONS, n=64)


@st.cache_data(show_spinner=False, max_entries=8)
def check_samples(path: str, version: tuple, n: int, seed: int) -> tuple[np.ndarray, np.ndarray | None, str, dict]:
    images, probs, error = gan_explore.judge_samples(gan.load_generator(path), n, seed)
    return images, probs, error, gan_explore.realism(images, load_mnist()[0][0], digit_reference())


@st.cache_data(show_spinner=False)
def digit_reference() -> dict[str, float]:
    (x_train, _), (x_test, _) = load_mnist()
    return gan_explore.digit_reference(x_train, x_test)


def path_directions(path: str) -> tuple[np.ndarray, np.ndarray]:
    """The generator's principal latent directions ``(N_DIRECTIONS, 100)`` and their strengths."""
    return directions(path, store.file_version(path))


# On a narrow screen (columns stacked) the explored image's column sticks to the top while the
# sliders scroll under it, at a size that leaves room for them.
STICKY_IMAGE = """<style>
@media (max-width: 640px) {
  [data-testid="stColumn"]:has(> div > .st-key-gan_explore_image),
  [data-testid="stColumn"]:has(.st-key-gan_explore_image) {
    position: sticky; top: 3.75rem; z-index: 5; background: white; padding-bottom: 0.25rem;
  }
  .st-key-gan_explore_image img { max-width: 150px; }
}
</style>"""


def randomise() -> None:
    st.session_state["gan_seed"] = random.randrange(100_000)


def reset_sliders() -> None:
    for i in range(N_DIRECTIONS):
        st.session_state[f"gan_dir_{i}"] = 0.0


def send_to_explore(t: Translator, z: np.ndarray | None = None, seed: int | None = None,
                    moves: dict[int, float] | None = None) -> None:
    """Open Explore on ``z`` (or on ``seed`` with slider ``moves``). For widget callbacks only:
    it sets widget values and the open tab, which must happen before they are drawn."""
    reset_sliders()
    st.session_state.pop(BASE_Z, None)
    if z is not None:
        st.session_state[BASE_Z] = np.asarray(z, dtype=np.float32)
    if seed is not None:
        st.session_state["gan_seed"] = int(seed)
    for i, value in (moves or {}).items():
        st.session_state[f"gan_dir_{i}"] = float(value)
    st.session_state["gan_tab"] = t("gan.tabs.explore")
    st.session_state["gan_goto"] = True  # a fragment's callback: the view then reruns the whole page


def explore(t: Translator, path: str) -> None:
    st.caption(t("gan.explore.intro"))
    generator = gan.load_generator(path)
    with st.spinner(t("gan.explore.computing")):  # a few seconds the first time, then cached
        dirs, strengths = path_directions(path)
    base = st.session_state.get(BASE_Z)
    # The image comes first in the page: on a phone the columns stack, and the image stays in
    # view (sticky) above the sliders, so moving one shows its effect on screen.
    st.html(STICKY_IMAGE)
    picture, controls = st.columns([1, 2])
    with controls:
        z, seed = _explore_controls(t, base, dirs, strengths)
    with picture:
        image = gan.generate(generator, z)[0]
        st.container(key="gan_explore_image").image(plots.to_png_array(image, scale=8),
                                                    caption=t("gan.explore.image"),
                                                    alt=t("gan.alt.explore", seed=int(seed)))
        st.caption(t("gan.explore.norm", norm=float(np.linalg.norm(z))))
    display.show(plots.heatmap(z.reshape(10, 10), t("gan.explore.latent"), colorscale="RdBu",
                               zmin=-3.5, zmax=3.5, height=260, show_scale=False), where=st.columns([1, 2])[0])


def _explore_controls(t: Translator, base: np.ndarray | None, dirs: np.ndarray,
                      strengths: np.ndarray) -> tuple[np.ndarray, int]:
    """Seed, buttons and sliders; ``(z, seed)``. A ``z`` from another tab (``base``) has no
    seed: the seed and its Random button are then disabled, not silently ignored."""
    c = st.columns([1, 1, 1.2], vertical_alignment="bottom")  # the buttons' whole labels fit, EN and ES
    st.session_state.setdefault("gan_seed", 7)  # the default lives in Session State only: the
    seed = c[0].number_input(t("gan.explore.seed"), 0, 99_999, key="gan_seed",  # Random button sets it
                             disabled=base is not None, bind=links.URL, persist_state="session")
    c[1].button(t("gan.explore.randomise"), key="gan_randomise", on_click=randomise, icon=":material/casino:",
                disabled=base is not None)
    c[2].button(t("gan.explore.reset"), key="gan_reset", on_click=reset_sliders, icon=":material/restart_alt:")
    if base is not None:
        st.info(t("gan.explore.from_elsewhere"), icon=":material/place:")
        st.button(t("gan.explore.back_to_seed"), key="gan_back_to_seed", icon=":material/undo:",
                  on_click=lambda: st.session_state.pop(BASE_Z, None))
    z = gan.latent(int(seed))[0] if base is None else base
    for i in range(N_DIRECTIONS):
        st.session_state.setdefault(f"gan_dir_{i}", 0.0)  # as the seed: Reset and other tabs set it
        move = st.slider(t("gan.explore.direction", n=i + 1, strength=float(strengths[i])),
                         -4.0, 4.0, step=0.25, key=f"gan_dir_{i}", bind=links.URL, persist_state="session")
        z = z + move * dirs[i]
    return z, int(seed)


def strips_view(t: Translator, strips: dict[str, np.ndarray], frames: int, prefix: str,
                names: dict[str, str] | None = None) -> None:
    """Each interpolation strip ``{method: (frames, 28, 28)}`` with its GIF (play toggle,
    download); ``prefix`` starts the widget keys (``<prefix>_play_<method>``...); ``names``
    gives the strips' titles (default: the interpolation methods')."""
    for method, strip in strips.items():
        path_name = (names or {}).get(method) or t(f"gan.interpolate.{method}")
        st.markdown(f"**{path_name}**")
        c = st.columns([4, 1], vertical_alignment="center")
        c[0].image(plots.to_png_array(plots.tile(strip, min(frames, 16)), scale=2),
                   alt=t("gan.alt.strip", frames=frames, path=path_name.lower()))
        gif = gan.gif_bytes(strip)
        # an animation that loops forever must be stoppable (WCAG 2.2.2): it plays only while on
        if c[1].toggle(t("gan.interpolate.play"), key=f"{prefix}_play_{method}"):
            c[1].image(gif, width=84, alt=t("gan.alt.gif", path=path_name.lower()))
        c[1].download_button(t("gan.interpolate.gif"), gif, f"gan-{method}.gif", "image/gif",
                             key=f"{prefix}_gif_{method}", icon=":material/download:")


def norms_chart(t: Translator, paths: dict[str, np.ndarray], frames: int) -> None:
    """The latent norm along each path ``{method: (frames, 100)}``, with the Gaussian shell."""
    display.show(plots.lines({t(f"gan.interpolate.{m}"): gan.path_norms(p) for m, p in paths.items()},
                             t("gan.interpolate.norms"), t("gan.interpolate.t_axis"),
                             t("gan.interpolate.norm_axis"), x=np.linspace(0, 1, frames),
                             band=(9.3, 10.7, t("gan.interpolate.band")), height=300))


def interpolation(t: Translator, path: str) -> None:
    st.caption(t("gan.interpolate.intro"))
    generator = gan.load_generator(path)
    mode = st.radio(t("gan.interpolate.endpoints"), ["seed", "grid"], horizontal=True, key="gan_endpoint_mode",
                    format_func=lambda m: t("gan.interpolate.by_seed" if m == "seed" else "gan.interpolate.by_grid"))
    c = st.columns(3)
    if mode == "seed":
        a = c[0].number_input(t("gan.interpolate.seed_a"), 0, 99_999, 1, key="gan_seed_a")
        # seeds 1 and 3: a clear 7 and a clear 6, through a 4 (seed 2 is a blob to the classifier's eye only)
        b = c[1].number_input(t("gan.interpolate.seed_b"), 0, 99_999, 3, key="gan_seed_b")
        z0, z1 = gan.latent(int(a))[0], gan.latent(int(b))[0]
    else:
        grid_seed = c[0].number_input(t("gan.interpolate.grid_seed"), 0, 99_999, 0, key="gan_grid_seed")
        candidates = gan.latent(int(grid_seed), 16)
        st.image(plots.to_png_array(plots.tile(gan.generate(generator, candidates), 8), scale=3),
                 caption=t("gan.interpolate.grid_caption"), alt=t("gan.alt.candidates"))
        # samples are numbered from 1 on every tab (Digits on demand too)
        a = c[1].number_input(t("gan.interpolate.pick_a"), 1, 16, 1, key="gan_pick_a")
        b = c[2].number_input(t("gan.interpolate.pick_b"), 1, 16, 2, key="gan_pick_b")
        z0, z1 = candidates[int(a) - 1], candidates[int(b) - 1]
    frames = st.slider(t("gan.interpolate.frames"), 4, 32, 16, key="gan_frames")
    paths, strips, ms = gan_explore.interpolation_strips(generator, z0, z1, frames)
    strips_view(t, strips, frames, "gan")
    st.caption(t("gan.interpolate.timing", frames=2 * frames, ms=ms))
    norms_chart(t, paths, frames)


def check(t: Translator, path: str) -> None:
    st.caption(t("gan.check.intro"))
    c = st.columns(2)
    n = c[0].select_slider(t("gan.check.n"), [100, 200, 300, 500, 1000], 300, key="gan_check_n")
    seed = c[1].number_input(t("gan.check.seed"), 0, 99_999, 0, key="gan_check_seed")
    with st.spinner(t("gan.check.computing")):
        images, probs, error, verdict = check_samples(path, store.file_version(path), int(n), int(seed))
    if verdict["far"]:  # a classifier names a digit even for noise, with confidence: say so first
        reasons = "; ".join(t(f"gan.check.far_{code}", **verdict) for code in verdict["reasons"])
        st.warning(t("gan.check.far", reasons=reasons), icon=":material/warning:")
    else:
        st.caption(t("gan.check.near", **verdict))
    if probs is None:
        st.info(t("gan.check.no_classifier", error=error))
    else:
        summary = gan.class_summary(probs)
        c = st.columns([3, 1])
        counts = np.rint(np.array(summary["shares"]) * len(images)).astype(int)
        display.show(plots.bars(list(range(10)), counts, t("gan.check.hist"), t("gan.check.digit"),
                                t("gan.check.count")), where=c[0],
                     text=t("gan.check.hist_text", counts=", ".join(f"{d}: {n}" for d, n in enumerate(counts))))
        lang = chrome.language()
        c[1].metric(t("gan.check.mean_conf"), i18n.format_number(summary["mean_confidence"], lang, ".2f"))
        c[1].metric(t("gan.check.confident"), i18n.format_number(summary["confident_share"], lang, ".0%"))
        c[1].metric(t("gan.check.present"), f"{summary['classes_present']}/10")
        c[1].metric(t("gan.check.kl"), i18n.format_number(summary["kl_uniform"], lang, ".3f"), help=t("gan.check.kl_help"))
    st.markdown(f"**{t('gan.check.samples')}**")
    st.image(plots.to_png_array(plots.tile(images[:32], 16), scale=2), alt=t("gan.alt.samples"))
    downloads.png_button(t, lambda: list(images[:32]), "gan-samples.png", key="gan_check_png", each=False, scale=3)
    index = int(st.number_input(t("gan.check.index"), 1, len(images), 1, key="gan_check_index")) - 1  # 1-based on screen
    (x_train, _), _ = load_mnist()
    idx, dist = gan.nearest_training(images[int(index)], x_train, k=5)
    c = st.columns(6)
    p = None if probs is None else probs[int(index)]
    text = (t("gan.check.sample_plain", index=index + 1) if p is None
            else t("gan.check.sample", index=index + 1, label=int(p.argmax()), conf=float(p.max())))
    c[0].image(plots.to_png_array(images[int(index)], scale=4), caption=text, alt=text)
    for col, i, d in zip(c[1:], idx, dist):
        col.image(plots.to_png_array(x_train[i] / 255.0, scale=4),
                  caption=f"#{i} · {i18n.format_number(float(d), chrome.language(), '.2f')}",
                  alt=t("gan.alt.nearest", index=int(i), distance=float(d)))
    st.caption(t("gan.check.nearest") + " · " + t("gan.check.reference", ref=digit_reference()["distance"]))
