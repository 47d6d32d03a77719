"""The DCGAN lesson: a generator and a discriminator trained live on MNIST, then explored."""
