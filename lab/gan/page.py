"""DCGAN: train a GAN live, explore and interpolate its latent space, check its samples, find your
drawing in latent space, ask for digits on demand, map a slice of the latent space."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import streamlit as st

from core import i18n, identity
from core.jobs.registry import ACTIVE, CANCELLED
from core.storage.mnist import load_mnist
from lab.gan import model as gan
from lab.gan import model_explore as gan_explore
from lab.gan import view as gan_views
from lab.gan import view_demand as gan_demand_view
from lab.gan import view_drawing as gan_drawing_view
from lab.gan import view_map as gan_map_view
from lab.gan.training import health, runs
from lab.gan.training.state import PAGE_AUX_WEIGHT, GanConfig
from ui import (
    chrome,
    display,
    jobs_panel,
    links,
    plots,
)

N_DIRECTIONS = gan_views.N_DIRECTIONS
TABS = ("train", "explore", "interpolate", "check", "drawing", "demand", "map")
VIEWS = {"explore": gan_views.explore, "interpolate": gan_views.interpolation, "check": gan_views.check,
         "drawing": gan_drawing_view.drawing, "map": gan_map_view.latent_map}

t = chrome.start_page()
st.title(t("gan.title"))
st.markdown(t("gan.intro"))
chrome.lesson(t, "gan")
st.page_link("lab/gan2d/page.py", label=t("gan.to_gan2d"), icon=":material/bubble_chart:")


def submit(config: GanConfig, run_dir: Path, resume: bool) -> None:
    title = t("gan.train.job_title", variant=t(f"gan.variant.{config.variant}"), epochs=config.epochs)
    busy = [j for j in chrome.registry().active() if j.config.get("run_dir") == str(run_dir)]
    if busy:
        raise ValueError(t("gan.train.busy"))
    job = chrome.registry().submit("gan", title, {**asdict(config), "run_dir": str(run_dir), "resume": resume},
                                   owner=chrome.session_label())
    st.session_state["gan_job_id"] = job.id


# ---------------------------------------------------------------- tabs
def variant_label(v: str) -> str:
    return t(f"gan.variant.{v}")


def train_tab() -> None:
    st.caption(t("gan.train.intro"))
    c = st.columns(3)
    variant = c[0].selectbox(t("gan.train.variant"), gan.VARIANTS, key="gan_variant", format_func=variant_label,
                             bind=links.URL)
    epochs = c[1].number_input(t("gan.train.epochs"), 1, 200, 5, key="gan_epochs", bind=links.URL)
    batch = c[2].select_slider(t("gan.train.batch"), [32, 64, 128, 256], 128, key="gan_batch", bind=links.URL)
    c = st.columns(3)
    limit = c[0].select_slider(t("gan.train.images"), [1000, 2000, 5000, 10000], 10000, key="gan_images",
                               bind=links.URL)
    lr_g = c[1].number_input(t("gan.train.lr_g"), 1e-5, 1e-2, 2e-4, 1e-4, "%.4f", key="gan_lr_g", bind=links.URL)
    lr_d = c[2].number_input(t("gan.train.lr_d"), 1e-5, 1e-2, 2e-4, 1e-4, "%.4f", key="gan_lr_d", bind=links.URL)
    aux = st.toggle(t("gan.train.aux"), False, key="gan_aux", help=t("gan.train.aux_help"), bind=links.URL)
    st.caption(t("gan.train.course_note"))
    if st.button(t("gan.train.start"), key="gan_start", icon=":material/play_arrow:", type="primary",
                 **chrome.start_button(t)):
        with chrome.guard(t):
            limit = min(limit, len(load_mnist()[0][0]))
            config = GanConfig(variant, int(epochs), int(batch), float(lr_g), float(lr_d),
                               gan.DEFAULTS[variant]["beta_1"], limit=limit,
                               aux_weight=PAGE_AUX_WEIGHT if aux else 0.0).validate()
            run_dir = runs.new_run_dir()
            runs.set_owner(run_dir, chrome.session_label())
            submit(config, run_dir, resume=False)
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
    me = chrome.session_label()
    run = c[0].selectbox(t("gan.train.resume_run"), earlier, key="gan_resume_run", format_func=lambda r: t(
        "gan.train.resume_label", name=r.path.name, epoch=r.meta["epoch"],
        variant=t(f"gan.variant.{r.meta['config']['variant']}")) + " · " + run_owner_text(runs.run_owner(r.path), me))
    if c[1].button(t("gan.train.resume"), key="gan_resume", icon=":material/replay:"):
        with chrome.guard(t):
            if run.meta["epoch"] >= epochs and not run.meta["batch"]:
                raise ValueError(t("gan.train.resume_done", done=run.meta["epoch"]))
            config = GanConfig(**{**run.meta["config"], "epochs": epochs, "lr_g": lr_g, "lr_d": lr_d})
            path = run.path
            if runs.run_owner(path) != me and not jobs_panel.is_teacher():
                path = runs.fork_run(path, me)  # a classmate's run stays theirs: train a copy
                st.info(t("gan.train.forked", name=run.path.name, new=path.name))
            submit(config.validate(), path, resume=True)


def run_owner_text(owner: str, me: str) -> str:
    """Whose run it is: ``yours`` or ``session 3fa2c1`` (``?`` before owners were recorded)."""
    return t("common.job_owner_you") if owner and owner == me else t("common.job_owner_other",
                                                                       owner=identity.short(owner))


def job_ended(job_id: str, snap) -> None:
    """When the job seen running ends, rerun the page (its model and run listed, no reload)."""
    if snap.status in ACTIVE:
        st.session_state["gan_job_watch"] = job_id
    elif st.session_state.pop("gan_job_watch", None) == job_id:
        st.session_state["gan_resume_pick"] = snap.result.get("run_dir")
        st.rerun(scope="app")
    if snap.status == CANCELLED and snap.result.get("run_dir") and jobs_panel.has_checkpoint(snap):
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
                 caption=t("gan.train.grid_caption", epoch=epoch, epochs=snap.epochs or len(grids))
                 + (". " + t("gan.train.early_grids") if epoch <= 2 else ""),  # noise at first is normal
                 alt=t("gan.alt.grid", epoch=epoch))
    if snap.result.get("model_name"):
        st.caption(t("gan.train.saved_model", name=snap.result["model_name"]))


@st.fragment
def model_tab(draw, path: str) -> None:
    """One of the tabs that use the chosen generator, rerun on its own when its widgets change."""
    with chrome.guard(t):  # a fragment rerun runs outside the page's guard
        draw(t, path)


# ---------------------------------------------------------------- page body
entries = gan_explore.generator_entries()
TAB_IDS = {t(f"gan.tabs.{name}"): name for name in TABS}  # tab label -> its name
# Kept in the address (bind=links.URL: the parameter is the widget's key; a choice's holds its
# label): the generator, the open tab, the Train tab's settings and Explore's seed and sliders.
LINK_KEYS = ("gan_model", "gan_tab", "gan_variant", "gan_epochs", "gan_batch", "gan_images", "gan_lr_g", "gan_lr_d",
             "gan_aux", "gan_seed", *(f"gan_dir_{i}" for i in range(gan_views.N_DIRECTIONS)))
link = links.watch("gan", LINK_KEYS)  # a notice for bad values in a link goes here


def model_label(e) -> str:
    return chrome.model_label(t, e)


entry = None
if entries:
    if TAB_IDS.get(st.session_state.get("gan_tab")) == "demand":  # its own generator: this list does nothing
        st.caption(t("gan.model_demand"))
    else:
        entry = st.selectbox(t("gan.model"), entries, key="gan_model", format_func=model_label, bind=links.URL,
                             persist_state="session")  # kept while Digits on demand hides the list
        st.caption(t("gan.model_caption", variant=t(f"gan.variant.{entry.card.get('variant', 'improved')}"),
                     epochs=entry.card.get("epochs", "?"),
                     device=i18n.device_text(t, entry.card.get("device", "?")))
                   + (t("gan.model_aux") if entry.card.get("config", {}).get("aux_weight") else ""))
# Only the open tab runs (opening the page costs the Train tab alone); other tabs may open one.
tabs = st.tabs(list(TAB_IDS), key="gan_tab", on_change="rerun", bind=links.URL)
if tabs[0].open:
    with tabs[0]:
        train_tab()
for name, tab in zip(TABS[1:], tabs[1:]):
    if not tab.open:
        continue
    with tab:
        if name == "demand":  # its own, class-conditional generator
            with chrome.guard(t):
                gan_demand_view.demand(t)
        elif entry is None:
            st.info(t("gan.no_model"))
        else:
            model_tab(VIEWS[name], str(entry.path))
links.report(t, link, {"gan_model": model_label, "gan_variant": variant_label})
