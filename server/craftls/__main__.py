"""``python -m craftls``: the same as the ``craftls`` command."""

import sys

from .cli.main import main

if __name__ == "__main__":
    sys.exit(main())
