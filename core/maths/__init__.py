"""Teaching maths in plain numpy (Pillow for images), never TensorFlow.

How a classifier is judged, the playground's data sets, and the canvas to MNIST
preprocessing. Imports only the foundation at the top of ``core``. A lesson's own maths
lives in its folder (``lab/perceptron/maths.py``, ``lab/convolution/maths.py``, ...).
"""
