"""What the two training steps (``loop``'s and ``conditional``'s) share: the course's
binary cross-entropy, the generator's moving average and D's accuracies.

Called inside a step (eager or ``tf.function``); TensorFlow is imported on first call.
"""

from __future__ import annotations


def bce(target: float, p):
    """Binary cross-entropy of probabilities ``p`` ``(N, 1)`` against one ``target`` label,
    averaged; ``p`` is clipped so a sure discriminator gives a finite loss."""
    import tensorflow as tf

    p = tf.clip_by_value(p, 1e-7, 1 - 1e-7)
    return -tf.reduce_mean(target * tf.math.log(p) + (1 - target) * tf.math.log(1 - p))


def finish_step(ema_weights, weights, decay: float, p_real, p_fake):
    """Move the generator's average ``ema_weights`` towards ``weights`` (nothing when the
    list is empty: no EMA), then ``(acc_real, acc_fake)``: D's share right on each half."""
    import tensorflow as tf

    for avg, w in zip(ema_weights, weights):
        avg.assign(decay * avg + (1.0 - decay) * w)
    acc_real = tf.reduce_mean(tf.cast(p_real > 0.5, tf.float32))
    acc_fake = tf.reduce_mean(tf.cast(p_fake < 0.5, tf.float32))
    return acc_real, acc_fake
