"""A latent map: a flat 2-D slice of the generator's 100-D latent space, drawn cell by cell.

The plane is ``z(u, v) = centre + u · d1 + v · d2`` for two orthonormal directions; a grid
of ``cells × cells`` points on it is generated and read by a classifier, so students see
where the generator's 3s end and its 8s begin. Two planes are offered: through a seed's
``z`` along the two principal directions of the Explore tab, or through the latent codes
of two drawings (``drawing_plane``). Maps are shared across sessions (same models, same
plane: computed once).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from core.errors import InputError, check_range
from core.memo import SharedCache, array_key
from lab.gan import model_dcgan as gan_model

CELLS = (9, 17)  # odd, so the plane's centre is a cell; spans split into whole quarters
_maps: SharedCache = SharedCache(32)


def grid(span: float, cells: int) -> np.ndarray:
    """The ``cells`` coordinates ``-span .. span`` along each axis of the plane."""
    check_range(cells, "cells", 3, 41)
    if not (np.isfinite(span) and 0 < span <= 20):
        raise InputError("value.range", param="span", value=float(span), low=0, high=20)
    return np.linspace(-span, span, int(cells))


def plane_points(centre: np.ndarray, d1: np.ndarray, d2: np.ndarray, span: float,
                 cells: int) -> np.ndarray:
    """Latent vectors ``(cells, cells, dim)`` of the grid: row ``r`` (top to bottom) has
    ``v = +span .. -span``, column ``c`` has ``u = -span .. +span``."""
    coords = grid(span, cells)
    centre, d1, d2 = (np.asarray(a, dtype=np.float32).reshape(-1) for a in (centre, d1, d2))
    u = coords[None, :, None]  # (1, cells, 1)
    v = coords[::-1][:, None, None]  # (cells, 1, 1): up is +v, as on a chart
    return (centre + u * d1 + v * d2).astype(np.float32)


def drawing_plane(z_a: np.ndarray, z_b: np.ndarray, helper: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The plane through two latent codes: ``(centre, d1, d2, half)``.

    ``d1`` points from ``z_a`` to ``z_b`` and the codes sit at ``u = ∓half`` on the ``v = 0``
    line; ``d2`` is ``helper`` (e.g. the strongest principal direction) made orthogonal to
    ``d1``: the second axis shows how images change away from the straight path.
    """
    z_a, z_b, helper = (np.asarray(a, dtype=np.float64).reshape(-1) for a in (z_a, z_b, helper))
    gap = np.linalg.norm(z_b - z_a)
    if gap < 1e-3:
        raise InputError("gan.same_codes", value=float(gap))
    d1 = (z_b - z_a) / gap
    d2 = helper - (helper @ d1) * d1
    if np.linalg.norm(d2) < 1e-6:  # helper along d1: any other axis will do
        d2 = np.eye(len(d1))[int(np.argmin(np.abs(d1)))] - d1 * d1[int(np.argmin(np.abs(d1)))]
    d2 /= np.linalg.norm(d2)
    return ((z_a + z_b) / 2).astype(np.float32), d1.astype(np.float32), d2.astype(np.float32), float(gap / 2)


def latent_map(generator, classifier, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray,
               span: float, cells: int) -> dict[str, np.ndarray]:
    """The grid's latent vectors ``z`` ``(cells, cells, dim)``, ``images`` ``(cells, cells, 28,
    28)``, the classifier's ``labels`` and ``confidence`` ``(cells, cells)`` and the axis
    ``coords`` ``(cells,)``."""
    from core.models.classifier import predict_proba

    z = plane_points(centre, d1, d2, span, cells)
    flat = z.reshape(-1, z.shape[-1])
    images = gan_model.generate_many(generator, flat)  # (cells², 28, 28)
    probs = predict_proba(classifier, images)  # (cells², 10)
    shape = (int(cells), int(cells))
    return {"z": z, "images": images.reshape(*shape, 28, 28), "labels": probs.argmax(1).reshape(shape),
            "confidence": probs.max(1).reshape(shape), "coords": grid(span, cells)}


def _key(model) -> Hashable:
    return getattr(model, "_nnlab_version", None) or ("object", id(model), model.name)


def cached_map(generator, classifier, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray,
               span: float, cells: int) -> dict[str, np.ndarray]:
    """``latent_map`` shared across sessions, keyed by both models' file versions and the plane."""
    key = (_key(generator), _key(classifier), float(span), int(cells),
           *(array_key(np.asarray(a, dtype=np.float32)) for a in (centre, d1, d2)))
    return _maps.get(key, lambda: latent_map(generator, classifier, centre, d1, d2, span, cells))


def cell_counts(labels: np.ndarray) -> np.ndarray:
    """How many cells each digit 0-9 holds: ``(10,)``."""
    return np.bincount(np.asarray(labels).ravel(), minlength=10)
