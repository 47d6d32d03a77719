"""Who is here and how the class answered: fragments that redraw themselves every ``LIVE_S``."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from core import classroom, i18n
from core.classroom import records
from ui import chrome

LIVE_S = 1.5  # the teacher's view follows the class this often (seconds): a drawing shows within 2 s


def page_title(t: i18n.Translator, url: str) -> str:
    """A page's menu title from its URL path (``classifier`` -> "MNIST classifier")."""
    return next((t(key) for _, path_url, key, _ in chrome.PAGES if (path_url or "home") == url), url)


def _jobs_per_owner() -> dict[str, int]:
    counts: dict[str, int] = {}
    try:
        for job in chrome.registry().active():
            counts[job.owner] = counts.get(job.owner, 0) + 1
    except Exception:  # noqa: BLE001 - the job server away: the class view still shows who is here
        return {}
    return counts


def unavailable_note(t: i18n.Translator) -> None:
    if not getattr(classroom.store(), "available", True):
        st.warning(t("classroom.unavailable"), icon=":material/cloud_off:")


@st.fragment(run_every=LIVE_S)
def who_is_here(t: i18n.Translator) -> None:
    """How many sessions are on each page, and each nickname with its page and jobs."""
    here = records.here(classroom.store().presence())
    unavailable_note(t)
    st.metric(t("classroom.here.count"), len(here))
    if not here:
        st.info(t("classroom.here.none"))
        return
    st.subheader(t("classroom.here.per_page"))
    st.table(pd.DataFrame([{t("classroom.here.page"): page_title(t, page), t("classroom.here.sessions"): n}
                           for page, n in records.per_page(here).items()]))
    jobs, now = _jobs_per_owner(), time.time()
    st.dataframe(pd.DataFrame([{t("classroom.here.nickname"): p["nickname"],
                                t("classroom.here.page"): page_title(t, p["page"]),
                                t("classroom.here.seen"): t("classroom.here.seen_s", s=int(now - p["seen"])),
                                t("classroom.here.jobs"): jobs.get(p["owner"], 0)} for p in here]),
                 hide_index=True, width="stretch", key="classroom_here_table")


def _question(t: i18n.Translator, qid: str) -> dict | None:
    section, _, index = qid.rpartition(":")
    found = t(f"{section}.lesson.questions")
    if not isinstance(found, list) or not index.isdigit() or int(index) >= len(found):
        return None
    return found[int(index)]


@st.fragment(run_every=LIVE_S)
def answers(t: i18n.Translator) -> None:
    """Per question answered so far: how many chose each option (the right one marked)."""
    counts = records.answer_counts(classroom.store().answers())
    unavailable_note(t)
    if not counts:
        st.info(t("classroom.questions.none"))
        return
    for qid in sorted(counts):
        qa = _question(t, qid)
        if not qa or not isinstance(qa.get("options"), list):
            continue
        section = qid.rpartition(":")[0]
        title = page_title(t, section.split(".")[0].replace("_", "-"))
        st.markdown(f"**{title}**: {qa['q']}")
        per = counts[qid]
        st.caption(t("classroom.questions.answers", n=sum(per.values())))
        rows = [{t("classroom.questions.option"): ("✓ " if k == 0 else "") + text,
                 t("classroom.questions.chosen"): per.get(k, 0)} for k, text in enumerate(qa["options"])]
        st.table(pd.DataFrame(rows))
