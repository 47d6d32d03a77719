"""The activations lesson: shapes, derivatives, softmax temperature and vanishing gradients."""
