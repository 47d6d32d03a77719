"""The MNIST classifier lesson: draw a digit, train the thesis's MLP and CNN, evaluate them honestly."""
