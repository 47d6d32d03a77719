"""Neural Network Lab core: models, data and training jobs, free of any UI.

Nothing in this package imports streamlit. Pure-numpy teaching modules
(perceptron, activations, convolution) do not import TensorFlow either; the
Keras-backed modules import it lazily so that light pages start fast.
"""
