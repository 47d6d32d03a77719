"""Is a GAN run healthy? The course's band for the discriminator's loss and the warnings.

The course reads a run by D's loss: between 0.5 and 0.8 the two networks are balanced;
near 0 D wins outright (G gets no useful gradient), high for long D is confused; a grid
whose images grow alike (falling diversity) is a mode collapse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

D_LOSS_BAND = (0.5, 0.8)  # the course's healthy band for D's loss
ACCURACY_BAND = (0.45, 0.55)  # D's accuracy on real and fake near 50 %: a balanced game
WINDOW = 20  # batches averaged for the verdict


def training_warnings(batch_history: dict[str, list[float]], history: dict[str, list[float]],
                      window: int = WINDOW) -> list[str]:
    """Codes of what looks wrong: ``d_collapse`` (D loss near 0: D wins outright),
    ``d_confused`` (D loss high for long), ``mode_collapse`` (grid diversity falling)."""
    found = []
    d_loss = batch_history.get("d_loss", [])[-window:]
    if len(d_loss) >= window:
        mean = float(np.mean(d_loss))
        if mean < 0.1:
            found.append("d_collapse")
        elif mean > 1.2:
            found.append("d_confused")
    if _diversity_fell(history.get("diversity", [])):
        found.append("mode_collapse")
    return found


def _diversity_fell(div: list[float], low: float = 0.6, drop: float = 0.1) -> bool:
    """A collapse is diversity that FELL below ``low``: the first epochs' grids are alike noise
    (low diversity, expected), so a low value with nothing higher before it is no warning."""
    return len(div) >= 2 and div[-1] < low and div[-1] < max(div[:-1]) - drop


@dataclass(frozen=True)
class Health:
    """The verdict on a run: ``status`` is ``"warning"`` (see ``warnings``), ``"healthy"``
    (recent D loss in the band), ``"outside"`` (out of the band, nothing alarming yet) or
    ``"none"`` (no batch yet)."""

    status: str
    recent_d_loss: float | None
    warnings: tuple[str, ...] = ()


def health(batch_history: dict[str, list[float]], history: dict[str, list[float]]) -> Health:
    """The verdict from per-batch metrics (``d_loss``...) and per-epoch ones (``diversity``)."""
    d_loss = batch_history.get("d_loss", [])
    if not d_loss:
        return Health("none", None)
    recent = float(np.mean(d_loss[-WINDOW:]))
    warnings = tuple(training_warnings(batch_history, history))
    if warnings:
        return Health("warning", recent, warnings)
    low, high = D_LOSS_BAND
    return Health("healthy" if low <= recent <= high else "outside", recent)
