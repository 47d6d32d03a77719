"""DCGAN: model shapes and ranges, latent helpers, and the training job's checkpoint/resume."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from core.jobs.context import PrintContext  # noqa: E402
from core.jobs.keras_setup import prepare_worker  # noqa: E402
from core.jobs.registry import CANCELLED, DONE  # noqa: E402
from lab.gan import model as gan  # noqa: E402
from lab.gan.training import export, health, loop, runs  # noqa: E402
from lab.gan.training.state import GanConfig, new_state, recalibrate_batchnorm  # noqa: E402
from tests import jobfns  # noqa: E402


@pytest.mark.parametrize("variant", gan.VARIANTS)
def test_shapes_and_ranges(variant):
    prepare_worker(0)
    g, d = gan.build_generator(variant), gan.build_discriminator(variant)
    z = gan.latent(3, 4)
    raw = np.asarray(g(z, training=False))
    assert raw.shape == (4, 28, 28, 1)
    low = -1.0 if gan.tanh_output(variant) else 0.0
    assert raw.min() >= low and raw.max() <= 1.0
    unit = np.asarray(gan.unit_output(g, variant)(z, training=False))
    assert unit.shape == (4, 28, 28, 1) and unit.min() >= 0.0 and unit.max() <= 1.0
    p = np.asarray(d(raw, training=False))
    assert p.shape == (4, 1) and np.all((p >= 0) & (p <= 1))


def test_thesis_architecture_matches_the_course():
    g = gan.build_generator("thesis")
    kinds = [type(layer).__name__ for layer in g.layers[1:]]
    assert kinds == ["Dense", "LeakyReLU", "Reshape", "Conv2DTranspose", "LeakyReLU",
                     "Conv2DTranspose", "LeakyReLU", "Conv2D"]
    convt = [layer for layer in g.layers if type(layer).__name__ == "Conv2DTranspose"]
    assert all(c.filters == 128 and c.kernel_size == (4, 4) and c.strides == (2, 2) for c in convt)
    out = g.layers[-1]
    assert out.filters == 1 and out.kernel_size == (7, 7) and out.activation.__name__ == "sigmoid"
    assert g.layers[1].units == 7 * 7 * 128
    d = gan.build_discriminator("thesis")
    convs = [layer for layer in d.layers if type(layer).__name__ == "Conv2D"]
    assert [(c.filters, c.kernel_size, c.strides) for c in convs] == [(64, (3, 3), (2, 2))] * 2
    assert [layer.rate for layer in d.layers if type(layer).__name__ == "Dropout"] == [0.4, 0.4]
    assert d.count_params() == 40_705  # 640 + 36,928 + 3,137, as in the thesis' summary


def test_load_generator_contract():
    if not gan.shipped_path().exists():
        pytest.skip("no shipped generator yet")
    g = gan.load_generator()
    out = np.asarray(g(gan.latent(0, 3), training=False))
    assert out.shape == (3, 28, 28, 1) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert g.input_shape == (None, gan.LATENT_DIM) and gan.LATENT_DIM == 100


def test_interpolation_ends_and_norms():
    z0, z1 = gan.latent(1)[0], gan.latent(2)[0]
    for method in ("linear", "slerp"):
        path = gan.interpolate(z0, z1, 9, method)
        assert path.shape == (9, gan.LATENT_DIM) and path.dtype == np.float32
        np.testing.assert_allclose(path[0], z0, atol=1e-6)
        np.testing.assert_allclose(path[-1], z1, atol=1e-6)
    lin, sl = gan.path_norms(gan.interpolate(z0, z1, 9, "linear")), gan.path_norms(gan.interpolate(z0, z1, 9))
    n0, n1 = np.linalg.norm(z0), np.linalg.norm(z1)
    assert lin[4] < 0.85 * min(n0, n1)  # the chord's middle is near the origin
    np.testing.assert_allclose(sl, np.linspace(n0, n1, 9), rtol=1e-5)  # slerp keeps norms
    same = gan.interpolate(z0, 2 * z0, 3)  # parallel endpoints: no division by zero
    np.testing.assert_allclose(same[1], 1.5 * z0, rtol=1e-5)


@pytest.mark.parametrize("args, match", [((5, "cubic"), "method"), ((1, "slerp"), "steps"),
                                         ((2.5, "slerp"), "steps")])
def test_interpolation_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        gan.interpolate(np.zeros(100), np.ones(100), *args)


def test_class_summary_nearest_images_gif_and_bad_settings():
    probs = np.eye(10)[np.arange(50) % 10] * 0.95 + 0.005
    summary = gan.class_summary(probs)
    assert summary["classes_present"] == 10 and summary["kl_uniform"] == pytest.approx(0)
    assert summary["confident_share"] == 1.0
    train = (np.random.default_rng(0).random((20, 28, 28)) * 255).astype(np.uint8)
    idx, dist = gan.nearest_training(train[7] / 255.0, train, k=3)
    assert idx[0] == 7 and dist[0] == pytest.approx(0, abs=0.05) and np.all(np.diff(dist) >= 0)
    assert gan.gif_bytes(np.random.rand(4, 28, 28))[:6] == b"GIF89a"
    with pytest.raises(ValueError, match="variant"):
        gan.build_generator("wgan")
    with pytest.raises(ValueError, match="batch size"):
        GanConfig(batch_size=1).validate()


def tiny_images():
    return (np.random.default_rng(0).random((16, 28, 28)) * 255).astype(np.uint8)


def test_two_step_job_writes_a_checkpoint_and_resumes(tmp_path):
    config = GanConfig("improved", epochs=1, batch_size=8, seed=3)  # 16 images: 2 steps
    run = tmp_path / "run"
    job = jobfns.registry().submit("gan", "tiny", jobfns.config(export.job(config, run, images=tiny_images())))
    job.join(120)
    snap = job.snapshot()
    assert snap.status == DONE, snap.error
    assert len(snap.batch_history["d_loss"]) == 2 and set(snap.batch_history) == {
        "d_loss", "g_loss", "d_acc_real", "d_acc_fake"}
    assert (run / "checkpoint.npz").exists() and (run / "grid_0001.png").exists()
    assert snap.extras["grids"][0].shape == (224, 224) and snap.result["model_name"]
    meta = runs.read_checkpoint_meta(run / "checkpoint.npz")
    assert meta["epoch"] == 1 and meta["batch"] == 0

    saved = runs.load_checkpoint(run / "checkpoint.npz")
    more = GanConfig("improved", epochs=2, batch_size=8, seed=3)
    job = jobfns.registry().submit("gan", "resume", jobfns.config(export.job(more, run, resume=True, images=tiny_images())))
    job.join(120)
    snap = job.snapshot()
    assert snap.status == DONE, snap.error
    assert len(snap.batch_history["d_loss"]) == 2  # only epoch 2 ran
    assert len(snap.extras["grids"]) == 2  # epoch 1's grid was read back from disk
    resumed = runs.load_checkpoint(run / "checkpoint.npz")
    assert resumed.epoch == 2 and len(resumed.history["d_loss"]) == 2
    assert not np.allclose(saved.generator.weights[0], resumed.generator.weights[0])
    assert int(resumed.opt_g.iterations) == 4  # the optimizer state carried over


def test_stop_within_a_batch_then_resume_matches_an_unbroken_run(tmp_path):
    prepare_worker(5)
    config = GanConfig("improved", epochs=1, batch_size=4, seed=5)  # 4 steps

    def stop_after_first_batch(ctx):
        original = ctx.log_batch

        def log_batch(batch, batches, metrics=None):
            original(batch, batches, metrics)
            ctx.cancel_event.set()
        ctx.log_batch = log_batch
        loop.train(config, tmp_path / "a", ctx, images=tiny_images())

    job = jobfns.registry().submit("gan", "stop", jobfns.config(stop_after_first_batch))
    job.join(120)
    assert job.snapshot().status == CANCELLED
    meta = runs.read_checkpoint_meta(tmp_path / "a" / "checkpoint.npz")
    assert meta["epoch"] == 0 and meta["batch"] == 1
    resumed = loop.train(config, tmp_path / "a", PrintContext(), images=tiny_images())
    assert resumed.epoch == 1 and int(resumed.opt_d.iterations) == 4


def _stopping(fn, after_batches):
    """``fn`` with a stop requested once ``after_batches`` batches are done (0: before the first)."""
    def wrapped(ctx):
        done, original, start = [0], ctx.log_batch, ctx.start_epoch

        def log_batch(batch, batches, metrics=None):
            original(batch, batches, metrics)
            done[0] += 1
            if done[0] >= after_batches:
                ctx.cancel_event.set()

        def start_epoch(epoch, epochs):
            start(epoch, epochs)
            if not after_batches:
                ctx.cancel_event.set()
        ctx.log_batch, ctx.start_epoch = log_batch, start_epoch
        fn(ctx)
    return wrapped


def test_a_stopped_job_saves_its_generator_with_where_it_stopped(tmp_path):
    from core.storage import store
    from lab.gan import model_explore as gan_explore

    config = GanConfig("improved", epochs=3, batch_size=8, seed=4)  # 16 images: 2 steps an epoch
    job = jobfns.registry().submit("gan", "stop", jobfns.config(_stopping(export.job(config, tmp_path / "s", images=tiny_images()), 3)))
    job.join(120)
    snap = job.snapshot()
    assert snap.status == CANCELLED, snap.error
    result = snap.result  # stopped in epoch 2, after its first batch
    assert (result["stopped_at_epoch"], result["stopped_at_batch"], result["epochs_planned"]) == (2, 1, 3)
    entry = next(e for e in gan_explore.generator_entries() if e.name == result["model_name"])
    assert entry.card["stopped_early"] and entry.card["stopped_at_epoch"] == 2 and entry.card["epochs"] == 1
    assert store.load_model(entry.path)(gan.latent(0, 2), training=False).shape == (2, 28, 28, 1)
    assert runs.read_checkpoint_meta(tmp_path / "s" / "checkpoint.npz")["batch"] == 1  # and it resumes


def test_a_job_stopped_before_its_first_batch_saves_no_model(tmp_path):
    config = GanConfig("improved", epochs=1, batch_size=8, seed=4)
    job = jobfns.registry().submit("gan", "stop", jobfns.config(_stopping(export.job(config, tmp_path / "n", images=tiny_images()), 0)))
    job.join(120)
    snap = job.snapshot()
    assert snap.status == CANCELLED, snap.error
    assert "model_name" not in snap.result and "stopped_at_epoch" not in snap.result


def test_resume_refuses_a_different_setup(tmp_path):
    prepare_worker(0)
    state = new_state(GanConfig("thesis", batch_size=8))
    runs.save_checkpoint(state, tmp_path / "c.npz")
    with pytest.raises(ValueError, match="batch_size"):
        runs.load_checkpoint(tmp_path / "c.npz", GanConfig("thesis", batch_size=16))


def test_warnings_for_failing_training():
    assert health.training_warnings({"d_loss": [0.01] * 30}, {}) == ["d_collapse"]
    assert health.training_warnings({"d_loss": [0.65] * 30}, {"diversity": [0.9, 0.3]}) == ["mode_collapse"]
    assert health.training_warnings({"d_loss": [0.65] * 30}, {"diversity": [0.9]}) == []
    # issue 36: the first epochs' noise grids are alike; low diversity that never was higher is no collapse
    assert health.training_warnings({"d_loss": [0.65] * 30}, {"diversity": [0.3, 0.35]}) == []
    assert health.training_warnings({"d_loss": [0.65] * 30}, {"diversity": [0.45]}) == []


def test_generator_averaging_is_checkpointed(tmp_path):
    prepare_worker(1)
    config = GanConfig("improved", epochs=1, batch_size=8, seed=1, ema=0.5)
    state = loop.train(config, tmp_path, PrintContext(), images=tiny_images())
    g, avg = state.generator.get_weights()[0], state.ema_generator.get_weights()[0]
    assert not np.allclose(g, avg)  # the average lags behind the trained weights
    back = runs.load_checkpoint(tmp_path / "checkpoint.npz")
    np.testing.assert_allclose(back.ema_generator.get_weights()[0], avg)
    assert back.sampler is back.ema_generator


def test_batchnorm_recalibration_matches_the_generators_own_statistics():
    prepare_worker(2)
    g = gan.build_generator("improved")
    before = [w.copy() for w in g.get_weights()]
    z = gan.latent(7, 512)  # one batch: the statistics measured on it are exactly its own
    fixed = recalibrate_batchnorm(g, n=512, seed=7)
    # with statistics measured on this very batch, inference mode equals training mode
    np.testing.assert_allclose(np.asarray(fixed(z, training=False)), np.asarray(fixed(z, training=True)),
                               atol=2e-3)
    for a, b in zip(before, g.get_weights()):
        np.testing.assert_array_equal(a, b)  # the input generator is untouched
    # the freshly built generator's statistics (mean 0, variance 1) are far from that
    assert np.abs(np.asarray(g(z, training=False)) - np.asarray(g(z, training=True))).max() > 0.05


def test_class_term_against_hand_computed_entropies():
    sure = np.eye(10)[np.arange(20) % 10] * 50.0  # 20 confident images, 2 of each digit
    assert float(loop.class_term(sure)) == pytest.approx(-np.log(10), abs=1e-4)
    assert float(loop.class_term(np.zeros((8, 10)))) == pytest.approx(0.0, abs=1e-5)  # all unsure
    assert float(loop.class_term(np.tile(sure[:1], (8, 1)))) == pytest.approx(0.0, abs=1e-4)  # one class
    logits = np.random.default_rng(0).normal(size=(6, 10))
    q = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    ref = -(q * np.log(q)).sum(1).mean() + (q.mean(0) * np.log(q.mean(0))).sum()
    assert float(loop.class_term(logits)) == pytest.approx(ref, abs=1e-5)
    np.testing.assert_allclose(np.asarray(loop.class_entropy(logits)), -(q * np.log(q)).sum(1), atol=1e-5)
    with pytest.raises(ValueError, match="needs a class term"):
        GanConfig(aux_unsure=1.0).validate()


def test_class_term_run_needs_labels_and_learns_them(tmp_path):
    from core.storage.mnist import load_mnist

    prepare_worker(4)
    (x, y), _ = load_mnist()
    x, y = x[:64], y[:64]
    d = gan.build_discriminator("improved", classes=10)
    prob, logits = d(np.zeros((2, 28, 28, 1), np.float32), training=False)
    assert prob.shape == (2, 1) and logits.shape == (2, 10)
    config = GanConfig("improved", epochs=4, batch_size=16, seed=4, aux_weight=1.0, aux_unsure=0.5)
    with pytest.raises(ValueError, match="label"):
        loop.train(config, tmp_path / "a", PrintContext(), images=x)
    state = new_state(config)
    real = loop.prepare_images(x, "improved")

    def class_loss():
        logits = np.asarray(state.discriminator(real, training=False)[1], dtype=np.float64)
        logits -= logits.max(1, keepdims=True)
        return float(np.mean(np.log(np.exp(logits).sum(1)) - logits[np.arange(64), y]))

    before = class_loss()
    runs.save_checkpoint(state, tmp_path / "b" / "checkpoint.npz")
    state = loop.train(config, tmp_path / "b", PrintContext(), images=x, labels=y)
    assert state.epoch == 4 and class_loss() < before - 1.0  # D's class head learned the labels
    with pytest.raises(ValueError, match="class-term"):
        runs.load_checkpoint(tmp_path / "b" / "checkpoint.npz", GanConfig("improved", batch_size=16, seed=4))
