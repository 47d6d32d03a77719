"""Keras model builders and what a trained model answers: classifiers, small nets, transfer
learning (its base, shared with the teach lesson), the DCGAN and its latent-space tools, the playground's MLP.

Keras is imported inside the functions that need it wherever a light page may import the
module. The training loops that make shipped models live in ``core.training``.
"""
