"""Job artefacts (``set_extra`` values) as bytes, for a job store shared between processes.

The queue backend keeps a job's extras in Redis, where every lab process reads them.
The values are what training functions publish: numpy arrays (sample grids, decision
surfaces), lists and tuples of them, numbers, strings, dicts with string keys. They are
written as JSON with arrays in numpy's own ``.npy`` format, read back with
``allow_pickle=False``: nothing read from the store can run code.
"""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import numpy as np

_ARRAY, _TUPLE = "__ndarray__", "__tuple__"


class UnsupportedExtra(ValueError):
    """An extra that the codec cannot store (it names the type)."""


def _to_json(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            raise UnsupportedExtra(f"arrays of Python objects cannot be stored, got dtype {value.dtype}")
        buf = io.BytesIO()
        np.save(buf, value, allow_pickle=False)
        return {_ARRAY: base64.b64encode(buf.getvalue()).decode("ascii")}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return {_TUPLE: [_to_json(v) for v in value]}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise UnsupportedExtra("dict keys of an extra must be strings")
        return {k: _to_json(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise UnsupportedExtra(f"cannot store an extra of type {type(value).__name__}; "
                           "use numpy arrays, numbers, strings, lists, tuples or dicts")


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {_ARRAY}:
            return np.load(io.BytesIO(base64.b64decode(value[_ARRAY])), allow_pickle=False)
        if set(value) == {_TUPLE}:
            return tuple(_from_json(v) for v in value[_TUPLE])
        return {k: _from_json(v) for k, v in value.items()}
    return value


def encode(value: Any) -> bytes:
    """``value`` as UTF-8 JSON bytes; raises ``UnsupportedExtra`` for other types."""
    return json.dumps(_to_json(value), separators=(",", ":")).encode()


def decode(data: bytes) -> Any:
    """The value ``encode`` stored (arrays with their dtype and shape, tuples as tuples)."""
    return _from_json(json.loads(data))
