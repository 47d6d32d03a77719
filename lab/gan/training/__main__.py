"""``python -m lab.gan.training ...``: the training command (see ``cli``)."""

from lab.gan.training.cli import main

raise SystemExit(main())
