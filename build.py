"""`python build.py …` is `bip build …`."""

import sys

from bip.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
