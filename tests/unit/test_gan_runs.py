"""GAN runs on disk, the health verdict, export names and the model cache, the command."""

import subprocess
import sys

import numpy as np
import pytest

from lab.gan.training import health, runs
from lab.gan.training.state import GanConfig
from tests.conftest import ROOT


# ---------------------------------------------------------------- health band (numpy only)
def test_health_verdict_follows_the_course_band():
    assert health.health({}, {}).status == "none"
    assert health.health({"d_loss": [0.65] * 30}, {}) == health.Health("healthy", pytest.approx(0.65))
    assert health.health({"d_loss": [0.3] * 30}, {}).status == "outside"
    assert health.health({"d_loss": [1.0] * 30}, {}).status == "outside"
    assert health.health({"d_loss": [0.9] * 40 + [0.7] * 20}, {}).status == "healthy"  # the last 20 count
    verdict = health.health({"d_loss": [0.01] * 30}, {"diversity": [0.9, 0.3]})
    assert verdict.status == "warning" and verdict.warnings == ("d_collapse", "mode_collapse")
    assert health.health({"d_loss": [0.6]}, {}).status == "healthy"  # fewer batches than the window


# ---------------------------------------------------------------- run folders, damaged checkpoints
def write_meta(path, meta: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, meta=np.frombuffer(meta, dtype=np.uint8), g_0=np.zeros(3))


def good_meta(epoch=2):
    import json
    from dataclasses import asdict

    return json.dumps({"config": asdict(GanConfig(batch_size=8)), "epoch": epoch, "batch": 0}).encode()


def test_list_runs_reports_damaged_checkpoints_instead_of_raising(tmp_path):
    write_meta(tmp_path / "20260101-000001-aaaa" / runs.CHECKPOINT, good_meta(3))
    (tmp_path / "20260101-000002-bbbb").mkdir()
    (tmp_path / "20260101-000002-bbbb" / runs.CHECKPOINT).write_bytes(b"\x00garbage\xff" * 50)
    write_meta(tmp_path / "20260101-000003-cccc" / runs.CHECKPOINT, b'{"epoch": 1}')  # no config
    write_meta(tmp_path / "20260101-000004-dddd" / runs.CHECKPOINT, b"not json")
    bad_variant = good_meta().replace(b'"improved"', b'"wgan"')
    write_meta(tmp_path / "20260101-000005-eeee" / runs.CHECKPOINT, bad_variant)
    found = runs.list_runs(tmp_path)
    assert [r.path.name[-4:] for r in found] == ["eeee", "dddd", "cccc", "bbbb", "aaaa"]  # newest first
    assert [r.damaged for r in found] == [True, True, True, True, False]
    assert found[-1].meta["epoch"] == 3 and found[-1].error == ""
    assert all("damaged" in r.error and r.path.name in r.error for r in found[:4])
    with pytest.raises(runs.CheckpointError, match="bbbb"):
        runs.read_checkpoint_meta(found[3].path / runs.CHECKPOINT)


def test_new_run_dirs_are_unique_within_one_second(tmp_path):
    made = {runs.new_run_dir(tmp_path) for _ in range(20)}
    assert len(made) == 20 and all(p.is_dir() and not any(p.iterdir()) for p in made)


def test_unreadable_grid_files_are_skipped(tmp_path):
    runs.save_grid(tmp_path, 1, np.full((224, 224), 7, np.uint8))
    (tmp_path / "grid_0002.png").write_bytes(b"no png")
    grids = runs.load_grids(tmp_path)
    assert len(grids) == 1 and grids[0].shape == (224, 224) and grids[0][0, 0] == 7


def test_command_log_records_the_starting_epoch(tmp_path):
    assert runs.commands(tmp_path) == []
    runs.log_command(tmp_path, "python -m lab.gan.training --epochs 2")
    write_meta(tmp_path / runs.CHECKPOINT, good_meta(2))
    runs.log_command(tmp_path, "python -m lab.gan.training --epochs 4")
    lines = runs.commands(tmp_path)
    assert len(lines) == 2 and "from epoch 0: " in lines[0] and "from epoch 2: " in lines[1]


# ---------------------------------------------------------------- export names and the one cache
@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_MODELS_DIR", str(tmp_path / "models"))
    return tmp_path / "models"


def test_two_exports_within_one_second_get_two_names(models_dir):
    pytest.importorskip("keras")
    from core.jobs.keras_setup import prepare_worker
    from lab.gan.training import export
    from lab.gan.training.state import new_state

    prepare_worker(0)
    state = new_state(GanConfig("thesis", batch_size=8))
    first = export.export_generator(state, "gan-test-run", unique=True)
    second = export.export_generator(state, "gan-test-run", unique=True)
    assert (first.name, second.name) == ("gan-test-run", "gan-test-run-2")
    assert first.path.exists() and second.path.exists() and first.path.parent == models_dir
    assert export.unique_name("gan-test-run", models_dir) == "gan-test-run-3"


def test_a_model_file_exported_again_is_loaded_afresh(models_dir):
    pytest.importorskip("keras")
    from core.jobs.keras_setup import prepare_worker
    from lab.gan import model as gan
    from lab.gan.training import export
    from lab.gan.training.state import new_state

    prepare_worker(0)
    state = new_state(GanConfig("thesis", batch_size=8))
    entry = export.export_generator(state, "same-name")
    z = gan.latent(0, 2)
    before = np.asarray(gan.load_generator(entry.path)(z, training=False))
    assert gan.load_generator(entry.path) is gan.load_generator(entry.path)  # cached
    last = state.generator.layers[-1]
    last.bias.assign(last.bias + 5.0)  # sigmoid output pushed towards 1
    again = export.export_generator(state, "same-name")  # replaces the file
    assert again.path == entry.path
    after = np.asarray(gan.load_generator(entry.path)(z, training=False))
    assert after.mean() > before.mean() + 0.3


# ---------------------------------------------------------------- the command
def test_the_training_command_still_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "lab.gan.training", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "--aux-unsure" in out.stdout and "python -m lab.gan.training" in out.stdout


def test_command_options_become_the_run_config():
    from lab.gan.training import cli

    args = cli.parser().parse_args(["--variant", "thesis", "--epochs", "3", "--ema", "0.9"])
    assert cli.config_from(args) == GanConfig("thesis", 3, 256, 2e-4, 2e-4, 0.5, ema=0.9)


def test_gan_training_rooms_import_one_way():
    import ast

    order = ["state", "health", "runs", "step_parts", "conditional", "loop", "export", "jobs", "cli",
             "encoder"]  # each may import only earlier ones
    package = ROOT / "lab" / "gan" / "training"
    for i, room in enumerate(order):
        tree = ast.parse((package / f"{room}.py").read_text(encoding="utf-8"))
        used = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "lab.gan.training" for alias in node.names}
        used |= {node.module.rsplit(".", 1)[1] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and (node.module or "").startswith("lab.gan.training.")}
        assert used <= set(order[:i]), f"{room} imports {sorted(used - set(order[:i]))}"
    assert sorted(p.stem for p in package.glob("*.py")) == sorted([*order, "__init__", "__main__"])
