"""Training jobs on the page: the sidebar list of every session's jobs, a job's progress
panel, who may stop what (the owner, or the teacher with the server's teacher key).

Workers never call Streamlit; these views read ``job.snapshot()`` copies from fragments
that rerun on a timer.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import errors, i18n, identity
from core.jobs import policy
from core.jobs.handle import JobHandle as Job
from core.jobs.progress import ACTIVE, CANCELLED, DONE, FAILED, INTERRUPTED, QUEUED, RUNNING
from ui.session import registry, session_label, translator
from ui.teacher import (  # noqa: F401 - the teacher's names, importable from here as before
    GUESSES,
    MIN_TEACHER_KEY,
    TEACHER_KEY,
    KeyGuesses,
    is_teacher,
    teacher_key,
    teacher_sidebar,
)

SIDEBAR_LINES = 12  # jobs listed in the sidebar; the rest are counted ("... and 288 more")
MY_JOBS_KEY = "app_my_active_jobs"  # this session's queued and running jobs at the last sidebar tick
JOBS_UP_KEY = "app_jobs_up"  # whether the job backend answered at the last sidebar tick
PAGE_KEY = "app_page"  # the URL path of the page this session's last full run drew (ui.chrome.setup)
LIVE_KEY = "app_live_job"  # (job id, page): a job the page draws live, with its own epoch numbers
TICK_KEY = "app_jobs_tick"  # the sidebar's timer (s) since the last whole run
ASKED_KEY = "app_jobs_asked"  # (backend up, active jobs) asked once per whole run for the timer and the list
TICK_MINE_S = 2  # this session has a job queued or running: its progress, epoch by epoch
TICK_IDLE_S = 10  # nothing of its own: classmates' jobs and jobs started in another tab appear


def latest_job(kind: str, session_key: str) -> Job | None:
    """The job this session last started (its id in ``st.session_state[session_key]``),
    else the newest job of ``kind`` this student owns (after a reload or in a new tab: the
    owner id comes from the browser's cookie), else ``None``. Never a classmate's job."""
    job = registry().get(st.session_state.get(session_key) or "")
    if job is None:
        owner = session_label()
        job = next((j for j in registry().jobs(kind=kind) if j.owner and j.owner == owner), None)
    return job


def start_button(t: i18n.Translator, kind: str | None = None) -> dict:
    """Extra ``st.button`` arguments for a page's Start of a ``kind`` job: disabled, with the
    reason as its help, while the job backend (Redis) cannot be reached and the job would go
    there (light kinds train in the lab process); nothing otherwise."""
    if registry().available(kind):
        return {}
    return {"disabled": True, "help": errors.render(t, "jobs.unavailable", {})}


def jobs_sidebar() -> None:
    """The sidebar's job list (``_jobs_list``), rerun on a timer: every ``TICK_MINE_S`` while
    this session has a job queued or running, every ``TICK_IDLE_S`` otherwise.

    Each tick is a rerun on the server (about 3.5 ms of its CPU): sixty students ticking
    every 2 s cost a tenth of a core while they draw (issue 35). A job of this student's
    started in another tab appears at the next slow tick, which reruns the page so that
    its progress is then followed every ``TICK_MINE_S``."""
    up = registry().available()
    active = registry().active() if up else []
    mine = any(job.owner == session_label() for job in active)
    st.session_state[TICK_KEY] = TICK_MINE_S if mine else TICK_IDLE_S
    st.session_state[ASKED_KEY] = (up, active)  # asked once: the list drawn next reuses it
    st.fragment(run_every=st.session_state[TICK_KEY])(_jobs_list)()


def _jobs_list() -> None:
    """Queued and running jobs of every session: running first, each with its owner; a Stop
    button only on the jobs this session may stop (keyed by job id, never by position).

    While the job backend cannot be reached it says so instead; when it goes away or comes
    back the whole page reruns (its Start buttons follow), so nobody needs to reload."""
    t = translator()
    asked = st.session_state.pop(ASKED_KEY, None)  # a whole run's answer; a tick asks afresh
    up, active = asked if asked is not None else (registry().available(), None)
    active = (registry().active() if up else []) if active is None else active
    was_up = st.session_state.get(JOBS_UP_KEY, True)
    st.session_state[JOBS_UP_KEY] = up
    if up != was_up:
        st.rerun(scope="app")
    st.markdown(f"**{t('common.jobs_title')}**")
    if not up:
        st.warning(errors.render(t, "jobs.unavailable", {}), icon=":material/cloud_off:")
        return
    mine = {job.id for job in active if job.owner == session_label()}
    ended, st.session_state[MY_JOBS_KEY] = st.session_state.get(MY_JOBS_KEY, set()) - mine, mine
    if ended:  # a job of this session just ended: its model belongs in the page's lists now
        st.rerun(scope="app")
    if mine and st.session_state.get(TICK_KEY) != TICK_MINE_S:  # started in another tab: tick faster
        st.rerun(scope="app")
    if not active:
        st.caption(t("common.no_jobs"))
    shown = active[:SIDEBAR_LINES] + [j for j in active[SIDEBAR_LINES:] if j.id in mine]  # mine always listed
    if len(active) > len(shown):
        st.caption(t("common.more_jobs", n=len(active) - len(shown)))
    live = st.session_state.get(LIVE_KEY)
    for job in shown:
        snap = job.snapshot()
        on_page = snap.status == RUNNING and live == (job.id, st.session_state.get(PAGE_KEY))
        st.caption(t("common.job_line", title=errors.escape_markdown(job.title), owner=owner_text(t, job),
                     status=t("common.status_on_page") if on_page else status_text(t, snap)))
        if may_stop(job) and st.button(t("common.stop"), key=f"app_stop_{job.id}", icon=":material/stop:",
                                       help=t("common.stop_job", title=job.title)):
            stop(t, job)


def shown_live(job_id: str) -> None:
    """Tell the sidebar that the page on screen draws ``job_id`` live, epoch by epoch: its line
    there then says so instead of an epoch read at another moment (the sidebar ticks every 2 s,
    the page several times a second: two different epoch numbers on screen at once)."""
    st.session_state[LIVE_KEY] = (job_id, st.session_state.get(PAGE_KEY))


def stop(t: i18n.Translator, job: Job) -> None:
    """Ask ``job`` to stop through the registry, which checks that this session may
    (``core.jobs.policy.may_stop``); a refusal, or a backend that cannot be reached, says so
    instead of raising."""
    try:
        registry().cancel(job.id, session_label(), is_teacher())
    except errors.InputError as exc:
        st.warning(errors.message(t, exc), icon=":material/cloud_off:")


def may_stop(job: Job) -> bool:
    """Whether this session may stop ``job`` (``core.jobs.policy.may_stop``: it started it,
    or it is the teacher's): the Stop button is shown only then."""
    return policy.may_stop(job, session_label(), is_teacher())


def owner_text(t: i18n.Translator, job: Job) -> str:
    """``yours`` or ``session 3fa2c1``."""
    if job.owner and job.owner == session_label():
        return t("common.job_owner_you")
    return t("common.job_owner_other", owner=identity.short(job.owner))


def job_message(t: i18n.Translator, snap) -> str:
    """What the job is doing now (``loading data``...), translated when it has a message code."""
    if snap.message_code:
        return errors.escape_markdown(str(t(f"common.job_msg.{snap.message_code}", **snap.message_values)))
    return errors.escape_markdown(snap.message)


def status_text(t: i18n.Translator, snap) -> str:
    """One line about a job: status, epoch/batch, queue position."""
    if snap.status == QUEUED:
        return t("common.status_queued", position=snap.queue_position or 1)
    if snap.status == RUNNING and not snap.batches and not snap.epoch:  # TensorFlow, data, model
        return t("common.status_starting")
    if snap.status == RUNNING and not snap.batches:  # an epoch began, its batch count not known yet
        return t("common.status_epoch", epoch=snap.epoch, epochs=snap.epochs or "?")
    if snap.status == RUNNING:
        return t("common.status_running", epoch=max(snap.epoch, 1), epochs=snap.epochs or "?",
                 batch=snap.batch, batches=snap.batches or "?")
    return t(f"common.status_{snap.status}")


def job_panel(job: Job, t: i18n.Translator, key: str) -> None:
    """Progress bar, ETA, what it is doing, and a stop button for ``job`` if this session may
    stop it (call inside a fragment)."""
    snap = job.snapshot()
    st.progress(snap.fraction, text=status_text(t, snap))
    cols = st.columns([3, 1])
    if snap.status == RUNNING and snap.eta_s is not None:
        cols[0].caption(eta_text(t, snap))
    if snap.status in ACTIVE and snap.message_code:
        cols[0].caption(job_message(t, snap))
    if snap.status in ACTIVE:
        if not may_stop(job):
            cols[1].caption(t("common.not_yours"))
        elif cols[1].button(t("common.stop"), key=f"{key}_stop_{job.id}", icon=":material/stop:",
                            help=t("common.stop_job", title=job.title)):
            stop(t, job)
    if snap.status == FAILED:
        error = (errors.render(t, snap.error_code, snap.error_values, markdown=True) if snap.error_code
                 else errors.escape_markdown(snap.error or ""))
        st.error(t("common.job_failed", error=error))
    elif snap.status == INTERRUPTED:
        st.warning(t("common.job_interrupted" if has_checkpoint(snap) else "common.job_interrupted_nothing"))
    elif snap.status == CANCELLED:
        st.info(stopped_text(t, snap))
    elif snap.status == DONE:
        st.success(t("common.job_done"))


def has_checkpoint(snap) -> bool:
    """Whether the job's checkpoint (``result["checkpoint"]``, set by jobs that write one) is on
    disk: a job cut off before its first checkpoint must not promise one."""
    path = snap.result.get("checkpoint")
    return bool(path) and Path(str(path)).is_file()


def stopped_text(t: i18n.Translator, snap) -> str:
    """A stopped job's message: where it stopped and its model's name when its result says so."""
    result = snap.result
    if snap.message_code == "time_limit":  # a light interactive job stopped by its time limit
        return t("common.job_msg.time_limit", **snap.message_values)
    if result.get("model_name") and result.get("stopped_at_epoch"):
        return t("common.job_stopped_saved", epoch=result["stopped_at_epoch"],
                 epochs=result.get("epochs_planned") or snap.epochs or "?",
                 name=errors.escape_markdown(str(result["model_name"])))
    if not snap.batch_history and not snap.history:
        return t("common.job_stopped_nothing")
    return t("common.job_cancelled")


def eta_text(t: i18n.Translator, snap) -> str:
    """Time left: minutes and seconds, "a few seconds" under 10 s, "almost done" only near the end."""
    if snap.eta_s >= 10:
        return t("common.eta", eta=format_seconds(snap.eta_s))
    return t("common.eta_soon") if snap.fraction >= 0.9 else t("common.eta_seconds")


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"
