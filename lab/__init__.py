"""Lessons, one folder each (page, views, maths/model, training, texts), over the shared
platform in ``core/`` (jobs, backends, storage, i18n, errors) and ``ui/`` (chrome, plots).
See ``lab/README.md`` for the rules a lesson folder follows."""
