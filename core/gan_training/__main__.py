"""``python -m core.gan_training ...``: the training command (see ``cli``)."""

from core.gan_training.cli import main

raise SystemExit(main())
