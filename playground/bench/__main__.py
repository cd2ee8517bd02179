"""``python -m playground.bench``: see ``playground.bench.suite``."""

import sys

from .suite import main

sys.exit(main())
