"""Neural Network Lab core: models, data and training jobs, free of any UI.

Nothing in this package imports streamlit. Pure-numpy teaching modules
(perceptron, activations, convolution) do not import TensorFlow either. Of the
Keras-backed modules, ``classifier``, ``training`` and ``small_nets`` import Keras when
they are imported (light pages import them only inside the action that needs them);
``gan``, ``classifier_training``, ``store`` and the ``gan_training`` package import it
inside the functions that need it. ``tests/app/test_light_pages.py`` checks that the
light pages start without TensorFlow. See docs/ARCHITECTURE.md for the map.
"""
