"""The class-conditional training step (``GanConfig.conditional``, ``--conditional``).

Each real batch comes with its digits ``labels``; the fakes of that step are asked for the
same digits (so every batch is as balanced as the data). The discriminator
(``lab.gan.model_conditional.build_conditional_discriminator``) judges "real *for this
digit*?" by projection and names the digit with its class head:

- D: the course's real/fake loss on ``(real, y)`` and ``(G(z, y), y)``, plus
  ``aux_weight * CE(labels, class head(real))`` (the class head learns real digits only);
- G: the course's "labelled real" loss on ``(G(z, y), y)``, plus
  ``aux_weight * CE(labels, class head(G(z, y)))`` (AC-GAN: draw the digit you were asked for).
"""

from __future__ import annotations

from lab.gan.training.state import GanState
from lab.gan.training.step_parts import bce, finish_step


def make_conditional_step(state: GanState, compiled: bool = True):
    """``step(real, z_d, z_g, labels) -> (d_loss, g_loss, d_acc_real, d_acc_fake)``, like
    ``loop.make_train_step`` (the losses returned are the adversarial ones)."""
    import tensorflow as tf

    g, d, opt_g, opt_d = state.generator, state.discriminator, state.opt_g, state.opt_d
    real_label = 1.0 - state.config.label_smoothing
    decay, aux = state.config.ema, state.config.aux_weight
    ema_weights = state.ema_generator.weights if state.ema_generator is not None else []

    def class_loss(labels, logits):
        return tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True))

    def step(real, z_d, z_g, labels=None):
        if labels is None:
            raise ValueError("a conditional run needs the images' labels")
        y = tf.one_hot(tf.cast(labels, tf.int32), 10)  # (N, 10)
        fake = g([z_d, y], training=True)
        with tf.GradientTape() as tape:
            p_real, logits_real = d([real, y], training=True)
            p_fake, _ = d([fake, y], training=True)
            d_loss = 0.5 * (bce(real_label, p_real) + bce(0.0, p_fake))
            total = d_loss + aux * class_loss(labels, logits_real)
        opt_d.apply_gradients(zip(tape.gradient(total, d.trainable_variables), d.trainable_variables))
        with tf.GradientTape() as tape:
            p_gen, logits_gen = d([g([z_g, y], training=True), y], training=True)
            g_loss = bce(1.0, p_gen)
            total = g_loss + aux * class_loss(labels, logits_gen)
        opt_g.apply_gradients(zip(tape.gradient(total, g.trainable_variables), g.trainable_variables))
        acc_real, acc_fake = finish_step(ema_weights, g.weights, decay, p_real, p_fake)  # EMA: empty when off
        return d_loss, g_loss, acc_real, acc_fake

    return tf.function(step, reduce_retracing=True) if compiled else step
