"""The toolbox's BN/dropout job: curves for every variant, one batch through batch normalisation
in both modes (checked against the numpy formula), dropout's share and scale, the job kind."""

import numpy as np
import pytest

from core.backends import kinds as job_kinds
from core.jobs import codec as job_codec
from core.jobs.context import PrintContext
from lab.toolbox import maths_approx as ua
from lab.toolbox import training as tr

keras = pytest.importorskip("keras")


class Recorder(PrintContext):
    def __init__(self):
        super().__init__(every=10 ** 6)
        self.extras, self.result, self.epochs = {}, {}, []

    def set_extra(self, key, value):
        self.extras[key] = value

    def set_result(self, **values):
        self.result.update(values)

    def log_epoch(self, epoch, metrics):
        self.epochs.append(epoch)


@pytest.fixture(scope="module")
def run():
    ctx = Recorder()
    config = {"n_train": 300, "n_test": 200, "epochs": 2, "units": 32, "dropout": 0.3,
              "variants": ["dropout", "bn"], "seed": 0}
    curves = job_kinds.build(tr.KIND, config)(ctx)  # what a queue worker runs
    return ctx, curves


def test_every_variant_has_its_curves(run):
    ctx, curves = run
    assert set(curves) == {"dropout", "bn"} and ctx.epochs == [1, 2]
    for c in curves.values():
        assert {len(v) for v in c.values()} == {2}
        assert all(0 <= a <= 1 for a in c["train_acc"] + c["test_acc"])
    assert ctx.extras["curves"] == curves
    for value in ctx.extras.values():  # the extras travel through a queue backend
        decoded = job_codec.decode(job_codec.encode(value))
        assert decoded.keys() == value.keys()


def test_one_batch_through_batch_norm_in_both_modes(run):
    bn = run[0].extras["bn"]
    z = np.asarray(bn["z"])  # (32, 8): the first units' values before normalisation
    assert z.shape == (tr.INSPECT_BATCH, tr.INSPECT_UNITS)
    np.testing.assert_allclose(bn["batch_mean"], z.mean(axis=0), rtol=1e-4, atol=1e-5)
    train, _, _ = ua.batch_norm(z, bn["gamma"], bn["beta"], bn["epsilon"])
    infer, _, _ = ua.batch_norm(z, bn["gamma"], bn["beta"], bn["epsilon"], bn["moving_mean"], bn["moving_var"])
    np.testing.assert_allclose(bn["out_train"], train, rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(bn["out_infer"], infer, rtol=1e-3, atol=1e-3)
    assert np.abs(np.asarray(bn["out_train"]) - np.asarray(bn["out_infer"])).max() > 0.01  # the modes differ
    assert not np.allclose(bn["batch_mean"], bn["moving_mean"], atol=1e-3)


def test_inspecting_leaves_the_moving_averages_alone():
    joint, models = tr.build_models(("plain", "bn"), 16, 0.0)
    model = models["bn"]
    assert set(joint.output) == {"plain", "bn"} and len(model.layers) < len(joint.layers)
    x = np.random.default_rng(0).uniform(0, 1, (32, 784)).astype("float32")
    before = [np.array(v.numpy()) for v in model.get_layer("bn_bn1").non_trainable_variables]
    info = tr.inspect_batch_norm(model, x, "bn")
    after = [np.array(v.numpy()) for v in model.get_layer("bn_bn1").non_trainable_variables]
    for b, a in zip(before, after):
        np.testing.assert_array_equal(b, a)
    np.testing.assert_allclose(info["moving_mean"], 0.0)  # a fresh layer: mean 0, variance 1
    assert model.get_layer("bn_dense1").bias is None  # β does the bias's job after normalisation
    assert joint.get_layer("plain_dense1").bias is not None


def test_dropout_zeroes_its_share_and_scales_the_rest(run):
    drop = run[0].extras["dropout"]
    assert drop["rate"] == pytest.approx(0.3)
    assert 0.2 < drop["zeroed"] < 0.4  # about 30 % of the active units on one batch
    assert drop["scale"] == pytest.approx(1 / 0.7, rel=1e-5) and drop["unchanged_in_inference"]


def test_the_job_kind_checks_its_config():
    job_kinds.check(tr.KIND, {"n_train": 500, "epochs": 3})
    with pytest.raises(ValueError):
        job_kinds.check(tr.KIND, {"epochs": 0})
    with pytest.raises(ValueError, match="variants"):
        job_kinds.check(tr.KIND, {"variants": ["plain", "batchnorm"]})
    with pytest.raises(ValueError, match="bad settings"):
        job_kinds.check(tr.KIND, {"layers": 3})
    assert tr.ToolboxConfig(variants=["bn"]).validate().variants == ("bn",)
