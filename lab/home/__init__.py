"""The home page: what the lab is, where to start, and which MNIST data it uses."""
