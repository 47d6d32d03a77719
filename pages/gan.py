"""DCGAN: train a GAN live, explore and interpolate its latent space, check its samples."""

from __future__ import annotations

import random
from dataclasses import asdict
from pathlib import Path

import numpy as np
import streamlit as st

from core import gan, gan_explore, i18n, store
from core import query_state as q
from core.data import load_mnist
from core.gan_training import export, health, runs
from core.gan_training.state import PAGE_AUX_WEIGHT, GanConfig
from core.jobs import ACTIVE, CANCELLED
from ui import chrome, display, links, plots

N_DIRECTIONS = 6

t = chrome.start_page()
st.title(t("gan.title"))
st.markdown(t("gan.intro"))
chrome.lesson(t, "gan")


# ---------------------------------------------------------------- cached core calls
# Results derived from a model are cached by its file version too (``store.file_version``):
# a model file exported again under the same name is a new key, never stale results.
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


def submit(config: GanConfig, run_dir: Path, resume: bool) -> None:
    title = t("gan.train.job_title", variant=t(f"gan.variant.{config.variant}"), epochs=config.epochs)
    busy = [j for j in chrome.registry().active() if j.config.get("run_dir") == str(run_dir)]
    if busy:
        raise ValueError(t("gan.train.busy"))
    job = chrome.registry().submit("gan", title, export.job(config, run_dir, resume),
                                   {**asdict(config), "run_dir": str(run_dir)}, chrome.session_label())
    st.session_state["gan_job_id"] = job.id


# ---------------------------------------------------------------- tabs
def train_tab() -> None:
    st.caption(t("gan.train.intro"))
    c = st.columns(3)
    variant = c[0].selectbox(t("gan.train.variant"), gan.VARIANTS, key="gan_variant",
                             format_func=lambda v: t(f"gan.variant.{v}"))
    epochs = c[1].number_input(t("gan.train.epochs"), 1, 200, 5, key="gan_epochs")
    batch = c[2].select_slider(t("gan.train.batch"), [32, 64, 128, 256], 128, key="gan_batch")
    c = st.columns(3)
    limit = c[0].select_slider(t("gan.train.images"), [1000, 2000, 5000, 10000], 10000, key="gan_images")
    lr_g = c[1].number_input(t("gan.train.lr_g"), 1e-5, 1e-2, 2e-4, 1e-4, "%.4f", key="gan_lr_g")
    lr_d = c[2].number_input(t("gan.train.lr_d"), 1e-5, 1e-2, 2e-4, 1e-4, "%.4f", key="gan_lr_d")
    aux = st.toggle(t("gan.train.aux"), False, key="gan_aux", help=t("gan.train.aux_help"))
    st.caption(t("gan.train.course_note"))
    if st.button(t("gan.train.start"), key="gan_start", icon=":material/play_arrow:", type="primary"):
        with chrome.guard(t):
            limit = min(limit, len(load_mnist()[0][0]))
            config = GanConfig(variant, int(epochs), int(batch), float(lr_g), float(lr_d),
                               gan.DEFAULTS[variant]["beta_1"], limit=limit,
                               aux_weight=PAGE_AUX_WEIGHT if aux else 0.0).validate()
            submit(config, runs.new_run_dir(), resume=False)
    resume_controls(int(epochs), float(lr_g), float(lr_d))
    live_panel()


def resume_controls(epochs: int, lr_g: float, lr_d: float) -> None:
    """Pick an earlier run and train it on to ``epochs``; damaged runs are named, not offered."""
    earlier = runs.list_runs()
    damaged = [r.path.name for r in earlier if r.damaged]
    if damaged:
        st.warning(t("gan.train.damaged_runs", names=", ".join(damaged)), icon=":material/broken_image:")
    earlier = [r for r in earlier if not r.damaged]
    if not earlier:
        st.caption(t("gan.train.no_runs"))
        return
    pick = st.session_state.pop("gan_resume_pick", None)  # a run just ended: choose it to resume
    for run in (r for r in earlier if str(r.path) == pick):
        st.session_state["gan_resume_run"] = run
    c = st.columns([3, 1])
    run = c[0].selectbox(t("gan.train.resume_run"), earlier, key="gan_resume_run", format_func=lambda r: t(
        "gan.train.resume_label", name=r.path.name, epoch=r.meta["epoch"],
        variant=t(f"gan.variant.{r.meta['config']['variant']}")))
    if c[1].button(t("gan.train.resume"), key="gan_resume", icon=":material/replay:"):
        with chrome.guard(t):
            if run.meta["epoch"] >= epochs and not run.meta["batch"]:
                raise ValueError(t("gan.train.resume_done", done=run.meta["epoch"]))
            config = GanConfig(**{**run.meta["config"], "epochs": epochs, "lr_g": lr_g, "lr_d": lr_d})
            submit(config.validate(), run.path, resume=True)


def job_ended(job_id: str, snap) -> None:
    """When the job seen running ends, rerun the page (its model and run listed, no reload)."""
    if snap.status in ACTIVE:
        st.session_state["gan_job_watch"] = job_id
    elif st.session_state.pop("gan_job_watch", None) == job_id:
        st.session_state["gan_resume_pick"] = snap.result.get("run_dir")
        st.rerun(scope="app")
    if snap.status == CANCELLED and snap.result.get("run_dir"):
        st.caption(t("gan.train.resume_hint", name=Path(snap.result["run_dir"]).name))


@st.fragment(run_every=1)
def live_panel() -> None:
    job = chrome.latest_job("gan", "gan_job_id")
    if job is None:
        st.info(t("gan.train.no_job"))
        return
    chrome.job_panel(job, t, key="gan_job")
    snap = job.snapshot()
    job_ended(job.id, snap)
    bh = snap.batch_history
    if bh.get("d_loss"):
        c = st.columns(2)
        display.show(plots.lines(
            {t("gan.train.d_loss"): bh["d_loss"], t("gan.train.g_loss"): bh["g_loss"]},
            t("gan.train.losses"), t("gan.train.batch_axis"), t("gan.train.loss_axis"),
            band=(*health.D_LOSS_BAND, t("gan.train.band")), height=320), where=c[0])
        display.show(plots.lines(
            {t("gan.train.acc_real"): bh["d_acc_real"], t("gan.train.acc_fake"): bh["d_acc_fake"]},
            t("gan.train.accuracy"), t("gan.train.batch_axis"), t("gan.train.acc_axis"),
            band=(*health.ACCURACY_BAND, "50 %"), height=320), where=c[1])
        verdict = health.health(bh, snap.history)
        for code in verdict.warnings:
            st.warning(t(f"gan.warn.{code}"), icon=":material/warning:")
        if verdict.status == "healthy":
            st.success(t("gan.train.healthy"))
        elif verdict.status == "outside":
            st.info(t("gan.train.outside", value=float(verdict.recent_d_loss)))
    grids = snap.extras.get("grids")
    if not grids and snap.result.get("run_dir"):
        grids = runs.load_grids(Path(snap.result["run_dir"]))
    if grids:
        st.markdown(f"**{t('gan.train.grids')}**")
        epoch = len(grids)
        if len(grids) > 1 and not st.toggle(t("gan.train.follow"), True, key="gan_follow"):
            epoch = st.slider(t("gan.train.timeline"), 1, len(grids), len(grids), key=f"gan_timeline_{job.id}")
        st.image(plots.to_png_array(grids[epoch - 1] / 255.0, scale=2),
                 caption=t("gan.train.grid_caption", epoch=epoch, epochs=snap.epochs or len(grids)),
                 alt=t("gan.alt.grid", epoch=epoch))
    if snap.result.get("model_name"):
        st.caption(t("gan.train.saved_model", name=snap.result["model_name"]))


def randomise() -> None:
    st.session_state["gan_seed"] = random.randrange(100_000)


def reset_sliders() -> None:
    for i in range(N_DIRECTIONS):
        st.session_state[f"gan_dir_{i}"] = 0.0


@st.fragment
def model_tab(draw, path: str) -> None:
    """One of the tabs that use the chosen generator, rerun on its own when its widgets change."""
    with chrome.guard(t):  # a fragment rerun runs outside the page's guard
        draw(path)
    links.publish("gan", LINK)  # a fragment's rerun does not reach the page's end


def explore(path: str) -> None:
    st.caption(t("gan.explore.intro"))
    generator = gan.load_generator(path)
    with st.spinner(t("gan.explore.computing")):  # a few seconds the first time, then cached
        dirs, strengths = directions(path, store.file_version(path))
    left, right = st.columns([2, 1])
    with left:
        c = st.columns([2, 1, 1], vertical_alignment="bottom")
        st.session_state.setdefault("gan_seed", 7)  # the default lives in Session State only: the
        seed = c[0].number_input(t("gan.explore.seed"), 0, 99_999, key="gan_seed")  # Random button sets it
        c[1].button(t("gan.explore.randomise"), key="gan_randomise", on_click=randomise, icon=":material/casino:")
        c[2].button(t("gan.explore.reset"), key="gan_reset", on_click=reset_sliders, icon=":material/restart_alt:")
        z = gan.latent(int(seed))[0]
        for i in range(N_DIRECTIONS):
            move = st.slider(t("gan.explore.direction", n=i + 1, strength=float(strengths[i])),
                             -4.0, 4.0, 0.0, 0.25, key=f"gan_dir_{i}")
            z = z + move * dirs[i]
    with right:
        image = gan.generate(generator, z)[0]
        st.container(key="gan_explore_image").image(plots.to_png_array(image, scale=8),
                                                    caption=t("gan.explore.image"),
                                                    alt=t("gan.alt.explore", seed=int(seed)))
        st.caption(t("gan.explore.norm", norm=float(np.linalg.norm(z))))
        display.show(plots.heatmap(z.reshape(10, 10), t("gan.explore.latent"), colorscale="RdBu",
                                 zmin=-3.5, zmax=3.5, height=260, show_scale=False))


def interpolation(path: str) -> None:
    st.caption(t("gan.interpolate.intro"))
    generator = gan.load_generator(path)
    mode = st.radio(t("gan.interpolate.endpoints"), ["seed", "grid"], horizontal=True, key="gan_endpoint_mode",
                    format_func=lambda m: t("gan.interpolate.by_seed" if m == "seed" else "gan.interpolate.by_grid"))
    c = st.columns(3)
    if mode == "seed":
        a = c[0].number_input(t("gan.interpolate.seed_a"), 0, 99_999, 1, key="gan_seed_a")
        b = c[1].number_input(t("gan.interpolate.seed_b"), 0, 99_999, 2, key="gan_seed_b")
        z0, z1 = gan.latent(int(a))[0], gan.latent(int(b))[0]
    else:
        grid_seed = c[0].number_input(t("gan.interpolate.grid_seed"), 0, 99_999, 0, key="gan_grid_seed")
        candidates = gan.latent(int(grid_seed), 16)
        st.image(plots.to_png_array(plots.tile(gan.generate(generator, candidates), 8), scale=3),
                 caption=t("gan.interpolate.grid_caption"), alt=t("gan.alt.candidates"))
        a = c[1].number_input(t("gan.interpolate.pick_a"), 0, 15, 0, key="gan_pick_a")
        b = c[2].number_input(t("gan.interpolate.pick_b"), 0, 15, 1, key="gan_pick_b")
        z0, z1 = candidates[int(a)], candidates[int(b)]
    frames = st.slider(t("gan.interpolate.frames"), 4, 32, 16, key="gan_frames")
    paths, strips, ms = gan_explore.interpolation_strips(generator, z0, z1, frames)
    for method, strip in strips.items():
        st.markdown(f"**{t(f'gan.interpolate.{method}')}**")
        c = st.columns([4, 1], vertical_alignment="center")
        path_name = t(f"gan.interpolate.{method}")
        c[0].image(plots.to_png_array(plots.tile(strip, min(frames, 16)), scale=2),
                   alt=t("gan.alt.strip", frames=frames, path=path_name.lower()))
        gif = gan.gif_bytes(strip)
        # an animation that loops forever must be stoppable (WCAG 2.2.2): it plays only while on
        if c[1].toggle(t("gan.interpolate.play"), key=f"gan_play_{method}"):
            c[1].image(gif, width=84, alt=t("gan.alt.gif", path=path_name.lower()))
        c[1].download_button(t("gan.interpolate.gif"), gif, f"gan-{method}.gif", "image/gif",
                             key=f"gan_gif_{method}", icon=":material/download:")
    st.caption(t("gan.interpolate.timing", frames=2 * frames, ms=ms))
    x = np.linspace(0, 1, frames)
    display.show(plots.lines({t(f"gan.interpolate.{m}"): gan.path_norms(p) for m, p in paths.items()},
                                t("gan.interpolate.norms"), t("gan.interpolate.t_axis"),
                                t("gan.interpolate.norm_axis"), x=x, band=(9.3, 10.7, t("gan.interpolate.band")),
                                height=300))


def check(path: str) -> None:
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
        c[1].metric(t("gan.check.kl"), i18n.format_number(summary["kl_uniform"], lang, ".3f"))
    st.markdown(f"**{t('gan.check.samples')}**")
    st.image(plots.to_png_array(plots.tile(images[:32], 16), scale=2), alt=t("gan.alt.samples"))
    index = st.number_input(t("gan.check.index"), 0, len(images) - 1, 0, key="gan_check_index")
    (x_train, _), _ = load_mnist()
    idx, dist = gan.nearest_training(images[int(index)], x_train, k=5)
    c = st.columns(6)
    p = None if probs is None else probs[int(index)]
    text = (t("gan.check.sample_plain", index=index) if p is None
            else t("gan.check.sample", index=index, label=int(p.argmax()), conf=float(p.max())))
    c[0].image(plots.to_png_array(images[int(index)], scale=4), caption=text, alt=text)
    for col, i, d in zip(c[1:], idx, dist):
        col.image(plots.to_png_array(x_train[i] / 255.0, scale=4),
                  caption=f"#{i} · {i18n.format_number(float(d), chrome.language(), '.2f')}",
                  alt=t("gan.alt.nearest", index=int(i), distance=float(d)))
    st.caption(t("gan.check.nearest") + " · " + t("gan.check.reference", ref=digit_reference()["distance"]))


# ---------------------------------------------------------------- page body
entries = gan_explore.generator_entries()
LINK = ([q.ChoiceField("model", "gan_model", entries[0], choices=entries, text=links.model_text)] if entries else []) + [
    q.IntField("seed", "gan_seed", 7, 0, 99_999),  # kept in the URL, with the latent sliders as one list z
    q.FloatListField("z", "gan_dir_", 0.0, count=N_DIRECTIONS, low=-4.0, high=4.0, step=0.25)]
links.restore(t, "gan", LINK)
entry = None
if entries:
    entry = st.selectbox(t("gan.model"), entries, key="gan_model",
                         format_func=lambda e: i18n.model_label(t, e.name, e.shipped))
    st.caption(t("gan.model_caption", variant=t(f"gan.variant.{entry.card.get('variant', 'improved')}"),
                 epochs=entry.card.get("epochs", "?"), device=i18n.device_text(t, entry.card.get("device", "?")))
               + (t("gan.model_aux") if entry.card.get("config", {}).get("aux_weight") else ""))
tabs = st.tabs([t(f"gan.tabs.{name}") for name in ("train", "explore", "interpolate", "check")])
with tabs[0]:
    train_tab()
for tab, draw in zip(tabs[1:], (explore, interpolation, check)):
    with tab:
        if entry is None:
            st.info(t("gan.no_model"))
            continue
        model_tab(draw, str(entry.path))
links.publish("gan", LINK)
