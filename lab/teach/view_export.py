"""The teach page's "take it home": the trained model with its card and a Keras script, the whole
project as a zip; and bringing an exported project back (its examples and names, never a model)."""

from __future__ import annotations

import json
from functools import partial

import numpy as np
import streamlit as st

from core import i18n
from lab.teach import bundle, storage
from lab.teach.storage import Project
from lab.teach.view_classes import act, show_note
from ui import chrome

NOTE = "teach_import_note"


def _project_zip(project: Project, entry) -> bytes:
    groups = [np.stack([e.image for e in project.examples.get(c.id, [])]) if project.examples.get(c.id)
              else np.zeros((0, 28, 28), np.uint8) for c in project.classes]
    extra = {}
    if entry is not None:
        extra = {"model.keras": entry.path.read_bytes(), "card.json": _card_bytes(entry),
                 "classify.py": bundle.SCRIPT.encode()}
    return bundle.export_zip(project.names, groups, extra)


def _card_bytes(entry) -> bytes:
    return json.dumps(entry.card, ensure_ascii=False, indent=1).encode("utf-8")


def _import() -> None:
    upload = st.session_state.get("teach_import")

    def change():
        if upload is None:
            raise ValueError(chrome.translator()("teach.port.choose"))
        names, groups = bundle.import_zip(upload.getvalue())
        storage.replace(chrome.session_label(), names, list(groups))

    act(change, "teach.port.imported", note=NOTE)


def export_section(t: i18n.Translator, project: Project, entry) -> None:
    """6. Downloads (model, card, script, project) and the import of an exported project."""
    st.subheader(t("teach.port.title"))
    st.markdown(t("teach.port.explain"))
    cols = st.columns(2)
    if entry is not None:
        # the files are made when a button is pressed (deferred): a stroke's rerun reads no model
        cols[0].download_button(t("teach.port.model"), entry.path.read_bytes, "model.keras",
                                "application/octet-stream", key="teach_dl_model", icon=":material/download:",
                                on_click="ignore")
        cols[0].download_button(t("teach.port.card"), partial(_card_bytes, entry), "card.json", "application/json",
                                key="teach_dl_card", icon=":material/description:", on_click="ignore")
        cols[0].download_button(t("teach.port.script"), bundle.SCRIPT, "classify.py", "text/x-python",
                                key="teach_dl_script", icon=":material/code:", on_click="ignore")
    else:
        cols[0].caption(t("teach.port.no_model"))
    if project.classes:
        cols[1].download_button(t("teach.port.project"), partial(_project_zip, project, entry), "teach-project.zip",
                                "application/zip", key="teach_dl_project", icon=":material/folder_zip:",
                                on_click="ignore")
    with st.expander(t("teach.port.script_title"), icon=":material/code:"):
        st.code(bundle.SCRIPT, language=None, wrap_lines=True)
    box = st.expander(t("teach.port.import_title"), icon=":material/upload_file:", key="teach_import_open",
                      on_change="rerun")  # its body (Streamlit's English uploader) only while open
    if not box.open:
        return
    with box:
        st.markdown(t("teach.port.import_explain"))
        show_note(NOTE)
        st.file_uploader(t("teach.port.import"), type=["zip"], key="teach_import")
        st.button(t("teach.port.import_go"), key="teach_import_go", icon=":material/upload:", on_click=_import)
