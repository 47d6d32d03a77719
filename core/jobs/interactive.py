"""Background training gives way to students' interactive requests.

On a CPU-only classroom server a training job and thirty students drawing share the same
cores and TensorFlow's one pool of compute threads: a prediction that arrives while a
training step runs waits behind that step's operations. Predictions call ``touch()``;
training jobs call ``give_way()`` between batches, which waits while predictions keep
arriving (bounded, so training always moves on). A class drawing at once slows the job
down for those seconds, and nobody waits for it.

Students' answers also take turns among themselves (``one_at_a_time``): sixty strokes within a
second are answered one after another rather than all at once, so the first finish first.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

WINDOW_S = 0.3  # a prediction within this long ago means students are drawing now
MAX_WAIT_S = 1.0  # the longest a training job waits between two batches

TURN_WAIT_S = 3.0  # the longest an answer waits for its turn before it runs anyway

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


_turn = threading.RLock()  # re-entrant: an answer that asks for another does not wait for itself


@contextlib.contextmanager
def one_at_a_time(wait_s: float = TURN_WAIT_S) -> Iterator[bool]:
    """Run the body while no other student's answer runs; yields whether it got its turn.

    A stroke's answer needs about 10 ms of the interpreter lock. Sixty arriving within a
    second and run at once, Python hands the lock round every 5 ms among them, so every one
    finishes near the end of the burst. Taking turns, the first finish first and the slowest
    twentieth waits about half as long (issue 35: stroke p95 502 -> 262 and 481 -> 238 ms in
    paired runs of sixty). Waiting threads hold no lock Python needs. A body that waited
    ``wait_s`` without its turn runs anyway: a turn held too long slows the class, never stops it.
    """
    got = _turn.acquire(timeout=wait_s)
    try:
        touch()
        yield got
    finally:
        if got:
            _turn.release()
