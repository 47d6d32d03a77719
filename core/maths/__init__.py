"""Teaching maths in plain numpy (Pillow for images), never TensorFlow.

The perceptron rule, activation functions, convolution and pooling (and the counts the
lessons quote), how a classifier is judged, the playground's data sets, and the canvas
to MNIST preprocessing. Imports only the foundation at the top of ``core``.
"""
