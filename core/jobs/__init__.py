"""What a training job is: its progress record, the one recorder a training function writes
through (both backends), the handle a page holds, who may stop what, the thread registry
(the default backend), its records on disk, and the Keras plumbing every worker shares.

Training code imports this package; the job kinds by name and the Redis queue live above
training, in ``core.backends``.
"""
