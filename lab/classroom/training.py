"""The class's challenge drawings into the training set, in one step (no Streamlit).

Each drawing becomes its student's saved drawing (``core.storage.drawings``), labelled with the
digit the challenge asked for: the classifier's training then uses it when "the class's saved
drawings" is ticked (``core.training.classifier``, ``include_drawings`` with no owner). A drawing
is added once (the store remembers which); a student whose saved drawings are full
(``owned.max_files``) gets none more, and the others still do.
"""

from __future__ import annotations

from core.classroom import ClassStore, records
from core.errors import InputError
from core.storage import drawings


def add_to_training(store: ClassStore, directory=None) -> tuple[int, int, int]:
    """Keep every challenge drawing not kept before; ``(added, refused, already)``."""
    before = store.added()
    added, refused, already = [], 0, 0
    for d in reversed(store.drawings()):  # oldest first: the saved drawings keep the class's order
        if d["id"] in before:
            already += 1
            continue
        try:
            drawings.save_drawing(records.pixels(d) / 255.0, int(d["target"]), directory=directory, owner=d["owner"])
        except InputError:  # this student's saved drawings are full
            refused += 1
            continue
        added.append(d["id"])
    store.mark_added(added)
    return len(added), refused, already
