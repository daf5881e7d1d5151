"""``python -m craftls``: the same as the ``craftls`` command."""

from .cli.main import run

if __name__ == "__main__":
    run()
