"""``python -m core.training.gan ...``: the training command (see ``cli``)."""

from core.training.gan.cli import main

raise SystemExit(main())
