"""The training loops and the commands that make the shipped models.

``python -m core.training.classifier``, ``python -m lab.recurrent.training`` and
``python -m lab.gan.training``; each also gives the page its background job.
"""
