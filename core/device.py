"""Which device trains: the GPU when TensorFlow sees one (memory growth on), else the CPU.

``describe()`` is cheap and never imports TensorFlow by itself, so the sidebar can show
it on pages that need no TensorFlow; it becomes exact once TensorFlow is loaded.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import threading
from functools import lru_cache

_configured = False
_config_lock = threading.Lock()


def tensorflow_version() -> str:
    """The installed TensorFlow version, read from package metadata (no import)."""
    for dist in ("tensorflow", "tensorflow-cpu", "tf-nightly"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


@lru_cache(maxsize=1)
def _nvidia_gpus() -> tuple[str, ...]:
    if not shutil.which("nvidia-smi"):
        return ()
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in out.splitlines() if line.strip())


def default_threads(cpus: int | None = None, gpus: int = 0) -> int:
    """TensorFlow's intra-op thread budget when ``NNLAB_TF_THREADS`` is unset (0 = all cores).

    On a CPU-only machine one core stays free: TensorFlow has one thread pool per process,
    so a training job using every core makes each page's prediction wait behind its ops
    (measured in ``bench/responsiveness.py``). With a GPU the CPU pool is not the bottleneck.
    """
    cpus = cpus or os.cpu_count() or 1
    return 0 if gpus else max(1, cpus - 1)


def thread_budget() -> int:
    """The intra-op thread count this process asks for: ``NNLAB_TF_THREADS`` or the default."""
    env = os.environ.get("NNLAB_TF_THREADS", "").strip()
    if env:
        if not env.isdigit():
            raise ValueError(f"NNLAB_TF_THREADS must be a whole number (0 = all cores), got {env!r}")
        return int(env)
    import tensorflow as tf

    return default_threads(gpus=len(tf.config.list_physical_devices("GPU")))


def configure() -> None:
    """Set up TensorFlow once per process, before its first operation: GPU memory growth and
    the thread budget (``thread_budget``). Model loading and training workers call it."""
    global _configured
    with _config_lock:
        if _configured:
            return
        import tensorflow as tf

        threads = thread_budget()
        try:
            if threads > 0:
                tf.config.threading.set_intra_op_parallelism_threads(threads)
            for gpu in tf.config.list_physical_devices("GPU"):
                tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # TensorFlow was already initialised by someone else; keep its settings
        _configured = True


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow can use (empty on CPU-only machines)."""
    if "tensorflow" not in sys.modules:
        return list(_nvidia_gpus())
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    names = list(_nvidia_gpus())
    return names[: len(gpus)] if names else [g.name for g in gpus]


def describe() -> str:
    """A short label of the training device, e.g. ``"GPU: NVIDIA H100"`` or ``"CPU"``."""
    names = gpu_names()
    if not names:
        return f"CPU ({os.cpu_count()} cores)"
    return "GPU: " + ", ".join(names)


def training_slots() -> int:
    """How many jobs may train at once: one, whatever the machine.

    On a CPU two jobs would only slow each other down (and the pages with them); on a GPU
    a job trains on TensorFlow's default device, the first GPU. The lab does not spread a
    job over several GPUs.
    """
    return 1
