"""Job functions for tests. A registry builds a job's function from its kind and JSON config
(``core.backends.kinds``), so a test hands its own function over by name:

    reg = jobfns.registry()                      # a JobRegistry(build=jobfns.build)
    job = reg.submit("test", "tiny", jobfns.config(fn))

``config(fn)`` keeps ``fn`` here under a fresh name and returns the config naming it; for a
registry made by the lab (``chrome.registry()``), ``monkeypatch.setitem(kinds.KINDS, "test",
jobfns.builder)`` makes the kind ``test`` run those functions.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from core.jobs.registry import JobRegistry

_FNS: dict[str, Callable[[Any], Any]] = {}
_IDS = itertools.count(1)


def config(fn: Callable[[Any], Any], **settings: Any) -> dict[str, Any]:
    """A job config (JSON) that runs ``fn`` on a registry built with ``build``."""
    name = f"fn{next(_IDS)}"
    _FNS[name] = fn
    return {**settings, "test_fn": name}


def builder(settings: dict[str, Any]) -> Callable[[Any], Any]:
    """The function a ``config(fn)`` names (a ``core.backends.kinds.KINDS`` entry)."""
    return _FNS[settings["test_fn"]]


def build(kind: str, settings: dict[str, Any]) -> Callable[[Any], Any]:
    """A registry's ``build`` for any kind: the function its ``config(fn)`` names."""
    return builder(settings)


def registry(**options: Any) -> JobRegistry:
    """A thread registry that runs the functions handed over with ``config``."""
    return JobRegistry(build=build, **options)
