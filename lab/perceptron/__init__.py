"""The perceptron lesson: the learning rule on logic gates, XOR, and the hidden layer that solves it."""
