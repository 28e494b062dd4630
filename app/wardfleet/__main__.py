"""``python -m wardfleet``: the same as the ``wardfleet`` command."""

import sys

from wardfleet.cli import main

sys.exit(main())
