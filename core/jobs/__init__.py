"""What a training job is: its progress record, the context a training function writes
through, the thread registry (the default backend), its records on disk, and the Keras
plumbing every worker shares.

Training code imports this package; the backends that run jobs by name in another
process live above training, in ``core.backends``.
"""
