"""`python -m bip` runs the command line."""

from bip.cli import main

raise SystemExit(main())
