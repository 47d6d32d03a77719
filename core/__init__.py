"""Neural Network Lab core: models, data and training jobs, free of any UI.

Layers, each importing only those below it (``tests/unit/test_packaging.py`` checks):

    backends/   where jobs run: threads or a Redis queue, the worker, jobs by name
    training/   the training loops and the commands that make shipped models
    models/     Keras builders and what a trained model answers
    storage/    data sets, drawings, uploads, saved models on disk
    jobs/       what a job is: progress, context, records, the thread registry
    maths/      teaching maths in plain numpy, never TensorFlow
    (top)       paths, i18n, errors, device, memo, recipes

Nothing in this package imports streamlit. ``tests/app/test_light_pages.py`` checks that
the light pages start without TensorFlow. See docs/ARCHITECTURE.md for the map.
"""
