"""Background training gives way to students' interactive requests.

On a CPU-only classroom server a training job and thirty students drawing share the same
cores and TensorFlow's one pool of compute threads: a prediction that arrives while a
training step runs waits behind that step's operations. Predictions call ``touch()``;
training jobs call ``give_way()`` between batches, which waits while predictions keep
arriving (bounded, so training always moves on). A class drawing at once slows the job
down for those seconds, and nobody waits for it.
"""

from __future__ import annotations

import time

WINDOW_S = 0.3  # a prediction within this long ago means students are drawing now
MAX_WAIT_S = 1.0  # the longest a training job waits between two batches

_last = [float("-inf")]  # monotonic time of the last interactive request (a list: no global statement)


def touch() -> None:
    """Note that a student is waiting for an answer right now."""
    _last[0] = time.monotonic()


def busy() -> bool:
    """Whether an interactive request came within the last ``WINDOW_S`` seconds."""
    return time.monotonic() - _last[0] < WINDOW_S


def give_way(max_wait_s: float = MAX_WAIT_S, step_s: float = 0.02) -> float:
    """Wait while students are drawing, at most ``max_wait_s``; the seconds waited."""
    start = time.monotonic()
    while busy() and time.monotonic() - start < max_wait_s:
        time.sleep(step_s)
    return time.monotonic() - start
