"""The convolution lesson: a kernel sliding over a digit, a picture or a matrix; pooling; transposed."""
