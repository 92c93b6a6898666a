"""`python -m generator`: the same command line as `digest` and `python build.py`."""

import sys

from generator.commands import main

sys.exit(main())
