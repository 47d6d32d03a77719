"""Where training jobs run, chosen by ``NNLAB_JOBS``: threads in the lab process
(``core.jobs.registry``) or a Redis queue served by ``python -m core.backends.worker``.

``kinds`` names every training job, so another process can run it from its name.
"""
