"""``python -m parlib.cli``: the ``parlib`` command."""

import sys

from parlib.cli.main import main

sys.exit(main())
