"""``python -m compliance``: the command line (see :mod:`compliance.cli`).

A command that reads files starts the parsing worker's server first: it imports the
readers on the second core while this process imports pandas, so the first load finds
it ready (:func:`loaders.sandbox.start_worker`).
"""

import sys

READING_COMMANDS = frozenset({"check", "import", "status", "summary", "overdue"})
"""Commands that may parse a file given on the command line."""

if __name__ == "__main__":
    if sys.argv[1:2] and sys.argv[1] in READING_COMMANDS:
        from loaders.sandbox import start_worker

        start_worker()
    from compliance.cli import main

    sys.exit(main())
