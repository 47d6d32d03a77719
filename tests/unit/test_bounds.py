"""Every public function that sizes an array or a training run refuses values out of range,
naming the value and the range, before allocating anything."""

import numpy as np
import pytest

from core.errors import InputError


def _range_error(call):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.code == "value.range"
    return err.value.values


def test_interpolation_steps_are_bounded():
    from lab.gan import model as gan

    values = _range_error(lambda: gan.interpolate(np.zeros(100), np.ones(100), 1_000_000))
    assert values == {"param": "steps", "value": 1_000_000, "low": 2, "high": 256}
    assert gan.interpolate(np.zeros(100), np.ones(100), 256).shape == (256, 100)


def test_small_network_settings_are_bounded():
    from lab.activations import model as activations_model
    from lab.perceptron import training as xor

    assert _range_error(lambda: xor.XorConfig(hidden=10_000).validate())["param"] == "hidden"
    assert _range_error(lambda: xor.XorConfig(epochs=10**9).validate())["param"] == "epochs"
    assert _range_error(lambda: activations_model.gradient_norms("relu", layers=10_000))["param"] == "layers"
    assert _range_error(lambda: activations_model.gradient_norms("relu", width=10**6))["param"] == "width"


def test_classifier_training_settings_are_bounded():
    from core.training import classifier as ct

    values = _range_error(lambda: ct.make_config("mlp", batch_size=10**7))
    assert values["param"] == "batch_size" and values["value"] == 10**7 and values["high"] == 8192
    assert _range_error(lambda: ct.make_config("cnn", learning_rate=1e-300))["param"] == "learning_rate"
