"""GAN runs on disk: a run folder holds ``checkpoint.npz``, one ``grid_NNNN.png`` per epoch
and ``commands.txt`` (the commands that trained it, for the model card).

A checkpoint (one ``.npz``: generator, discriminator and both optimizers' variables, plus
the position ``epoch``/``batch`` and the config as JSON) is written atomically, so a run
resumes exactly where it stopped. ``list_runs`` reads every run guarded: a damaged
checkpoint is reported, never raised, so one bad file cannot break the page.
"""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.paths import atomic_write_bytes, user_dir
from lab.gan import model_dcgan as gan_model
from lab.gan.model_conditional import model_inputs
from lab.gan.training.state import GanConfig, GanState, drawing_generator, new_state

GRID_SEED, GRID_N = 1234, 64  # fixed latent vectors for the per-epoch sample grid
CHECKPOINT = "checkpoint.npz"


class CheckpointError(ValueError):
    """A checkpoint file is unreadable or its metadata is not a run's."""


@dataclass(frozen=True)
class RunInfo:
    """A run folder and its checkpoint's metadata (``None`` and an ``error`` when damaged)."""

    path: Path
    meta: dict[str, Any] | None
    error: str = ""

    @property
    def damaged(self) -> bool:
        return self.meta is None


# ---------------------------------------------------------------- run folders
def runs_dir() -> Path:
    """Where the page's runs live: ``$NNLAB_HOME/gan_runs``."""
    return user_dir("gan_runs")


def new_run_dir(root: Path | None = None) -> Path:
    """A fresh, empty run folder named by the time, unique even within one second."""
    root = Path(root) if root else runs_dir()
    path = root / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
    path.mkdir(parents=True)  # exist_ok=False: never share a folder with another run
    return path


def list_runs(root: Path | None = None) -> list[RunInfo]:
    """Runs with a checkpoint under ``root`` (default ``runs_dir()``), newest first.

    Each checkpoint's metadata is read guarded: a damaged one gives ``RunInfo(meta=None,
    error=...)`` instead of an exception."""
    found = []
    for ckpt in (Path(root) if root else runs_dir()).glob(f"*/{CHECKPOINT}"):
        try:
            found.append(RunInfo(ckpt.parent, read_checkpoint_meta(ckpt)))
        except CheckpointError as exc:
            found.append(RunInfo(ckpt.parent, None, str(exc)))
    return sorted(found, key=lambda r: r.path.name, reverse=True)


def log_command(run_dir: Path, command: str) -> None:
    """Append ``command`` (with the time and the epoch it starts from) to ``commands.txt``."""
    ckpt = Path(run_dir) / CHECKPOINT
    done = read_checkpoint_meta(ckpt)["epoch"] if ckpt.exists() else 0
    with open(Path(run_dir) / "commands.txt", "a", encoding="utf-8") as log:  # a run may take several
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} from epoch {done}: {command}\n")


def commands(run_dir: Path) -> list[str]:
    """The lines of ``commands.txt`` (empty when the run was not trained by command)."""
    path = Path(run_dir) / "commands.txt"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


OWNER_FILE = "owner.txt"


def set_owner(run_dir: Path, owner: str) -> None:
    """Record the student who started a run (``core.identity`` owner id)."""
    atomic_write_bytes(Path(run_dir) / OWNER_FILE, (owner or "").encode())


def run_owner(run_dir: Path) -> str:
    """The run's owner id, ``""`` for runs from before owners or from the command line."""
    try:
        return (Path(run_dir) / OWNER_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def fork_run(run_dir: Path, owner: str, root: Path | None = None) -> Path:
    """A copy of a classmate's run for ``owner`` to train on: checkpoint, sample grids and
    commands, in a new run folder. The original (its checkpoint, its learning rates) is left
    exactly as its owner left it."""
    import shutil

    src = Path(run_dir)
    new = new_run_dir(root or src.parent)
    for path in src.iterdir():
        if path.is_file() and path.name != OWNER_FILE and not path.name.startswith("."):
            shutil.copy2(path, new / path.name)
    set_owner(new, owner)
    with open(new / "commands.txt", "a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} forked from run {src.name}\n")
    return new


# ---------------------------------------------------------------- checkpoints
def _groups(state: GanState) -> dict[str, list]:
    return {"g": state.generator.weights, "d": state.discriminator.weights,
            "og": state.opt_g.variables, "od": state.opt_d.variables,
            "e": state.ema_generator.weights if state.ema_generator is not None else []}


def save_checkpoint(state: GanState, path: Path) -> None:
    """Write the whole run state to ``path`` (``.npz``) atomically."""
    arrays = {f"{k}_{i}": np.asarray(v) for k, vs in _groups(state).items() for i, v in enumerate(vs)}
    meta = {"config": asdict(state.config), "epoch": state.epoch, "batch": state.batch,
            "seconds": state.seconds, "history": state.history}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write_bytes(Path(path), buf.getvalue())


def read_checkpoint_meta(path: Path) -> dict[str, Any]:
    """The JSON part of a checkpoint (config, epoch, batch, history).

    Raises ``CheckpointError`` naming the file when it is not a readable checkpoint or its
    metadata lacks a valid config, ``epoch`` or ``batch``."""
    path = Path(path)
    try:
        with np.load(path) as f:
            meta = json.loads(f["meta"].tobytes().decode())
        GanConfig(**meta["config"]).validate()
        if not all(isinstance(meta[k], int) and meta[k] >= 0 for k in ("epoch", "batch")):
            raise ValueError(f"epoch and batch must be whole numbers, got {meta['epoch']!r}, {meta['batch']!r}")
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, TypeError, ValueError) as exc:
        # ValueError includes JSON and UnicodeDecode errors and a bad config
        raise CheckpointError(f"checkpoint {path} is damaged ({type(exc).__name__}: {exc})") from exc
    return meta


def load_checkpoint(path: Path, config: GanConfig | None = None) -> GanState:
    """Rebuild a run from ``path``; ``config`` may change epochs and learning rates only."""
    meta = read_checkpoint_meta(path)
    saved = GanConfig(**meta["config"])
    if config is not None:
        _check_resumable(config, saved)
        saved = config
    state = new_state(saved)
    with np.load(path) as f:
        for key, variables in _groups(state).items():
            if key == "e" and "e_0" not in f:  # averaging switched on at resume: start from G
                for var, w in zip(variables, state.generator.weights):
                    var.assign(w)
                continue
            for i, var in enumerate(variables):
                var.assign(f[f"{key}_{i}"])
    state.opt_g.learning_rate.assign(saved.lr_g)
    state.opt_d.learning_rate.assign(saved.lr_d)
    state.epoch, state.batch = meta["epoch"], meta["batch"]
    state.seconds, state.history = meta.get("seconds", 0.0), meta.get("history", {})
    return state


def _check_resumable(config: GanConfig, saved: GanConfig) -> None:
    if bool(config.aux_weight) != bool(saved.aux_weight):
        raise ValueError(f"cannot resume: class-term weight {config.aux_weight} needs a "
                         f"{'two' if config.aux_weight else 'one'}-headed discriminator, but the "
                         f"checkpoint was trained with weight {saved.aux_weight}")
    for key in ("variant", "batch_size", "seed", "limit", "conditional"):  # what the saved arrays depend on
        if getattr(config, key) != getattr(saved, key):
            raise ValueError(f"cannot resume: {key} is {getattr(config, key)!r} but the "
                             f"checkpoint was trained with {getattr(saved, key)!r}")


# ---------------------------------------------------------------- sample grids
def grid_samples(state: GanState) -> np.ndarray:
    """The generator's images ``(64, 28, 28)`` in [0, 1] for the fixed grid latents."""
    z = gan_model.latent(GRID_SEED, GRID_N)
    g = drawing_generator(state, n=1024)
    out = np.asarray(g(model_inputs(g, z), training=False))[..., 0]  # conditional: digits 0-9 in turn
    if gan_model.tanh_output(state.config.variant):
        out = out * 0.5 + 0.5
    return np.clip(out, 0, 1)


def tile_grid(samples: np.ndarray) -> np.ndarray:
    """``(64, 28, 28)`` in [0, 1] -> one ``uint8`` 8 x 8 grid image (224 x 224)."""
    rows = [np.concatenate(list(samples[r * 8:(r + 1) * 8]), axis=1) for r in range(8)]
    return (np.concatenate(rows, axis=0) * 255).round().astype(np.uint8)


def save_grid(run_dir: Path, epoch: int, grid: np.ndarray) -> None:
    """Write the grid of ``epoch`` as ``grid_NNNN.png`` (atomic)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(grid).save(buf, format="PNG")
    atomic_write_bytes(Path(run_dir) / f"grid_{epoch:04d}.png", buf.getvalue())


def load_grids(run_dir: Path) -> list[np.ndarray]:
    """The saved per-epoch grids of a run, oldest first (unreadable files skipped)."""
    from PIL import Image

    grids = []
    for path in sorted(Path(run_dir).glob("grid_*.png")):
        try:
            with Image.open(path) as im:
                grids.append(np.asarray(im.convert("L")))
        except OSError:
            continue
    return grids
