"""`python -m bip` runs the command line."""

from bip.cli import run

run()
