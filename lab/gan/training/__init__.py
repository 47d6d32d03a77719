"""DCGAN training, in rooms that import one way (each only from those above it):

- ``state``: ``GanConfig`` (what a run depends on) and ``GanState`` (models, optimizers,
  position); the generator that draws a run's images.
- ``runs``: a run on disk: its folder, checkpoint, per-epoch sample grids, the commands
  that trained it, and ``list_runs`` (damaged checkpoints reported, never raised).
- ``step_parts``: what both training steps share (cross-entropy, EMA, D's accuracies).
- ``conditional``: the class-conditional step (G and D take the digit; AC-GAN class loss).
- ``loop``: the course's training step (``tf.GradientTape``) and ``train``.
- ``health``: the course's healthy band for D's loss and the warnings a page shows.
- ``export``: a trained generator into the model store; ``job`` (train, then export) for
  the page's job registry.
- ``cli``: ``python -m lab.gan.training ...``, a thin shell over the above.

The Keras model builders themselves live in ``lab.gan.model_dcgan``. Nothing here imports
TensorFlow at import time.
"""
