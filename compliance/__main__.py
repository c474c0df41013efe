"""``python -m compliance``: the command line (see :mod:`compliance.cli`)."""

import sys

from compliance.cli import main

if __name__ == "__main__":
    sys.exit(main())
