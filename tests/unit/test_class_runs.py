"""GAN runs have an owner: a classmate's Resume trains a copy, never the original; a job cut off
before its first checkpoint does not promise one."""

from types import SimpleNamespace

from lab.gan.training import runs
from ui import jobs_panel


def test_resuming_a_classmates_run_forks_it_and_leaves_theirs_untouched(tmp_path):
    theirs = runs.new_run_dir(tmp_path)
    runs.set_owner(theirs, "ana000000001")
    (theirs / runs.CHECKPOINT).write_bytes(b"their weights and learning rates")
    (theirs / "grid_0001.png").write_bytes(b"png")
    (theirs / "commands.txt").write_text("2026-12-06 10:00:00 from epoch 0: trained on the page\n")
    copy = runs.fork_run(theirs, "bob000000002")
    assert copy != theirs and copy.parent == tmp_path
    assert runs.run_owner(copy) == "bob000000002" and runs.run_owner(theirs) == "ana000000001"
    assert (copy / runs.CHECKPOINT).read_bytes() == b"their weights and learning rates"
    assert (copy / "grid_0001.png").exists() and "forked from run" in (copy / "commands.txt").read_text()
    assert "forked" not in (theirs / "commands.txt").read_text()
    assert runs.run_owner(tmp_path / "no-such-run") == ""


def test_an_interrupted_job_promises_a_checkpoint_only_when_there_is_one(tmp_path):
    ckpt = tmp_path / "checkpoint.npz"
    snap = SimpleNamespace(result={"checkpoint": str(ckpt), "run_dir": str(tmp_path)})
    assert not jobs_panel.has_checkpoint(snap)  # killed before the first checkpoint
    ckpt.write_bytes(b"x")
    assert jobs_panel.has_checkpoint(snap)
    assert not jobs_panel.has_checkpoint(SimpleNamespace(result={}))  # XOR keeps none
