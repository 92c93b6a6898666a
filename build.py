#!/usr/bin/env python3
"""Build the Digest site from ./content into ./_site; `python build.py --help` for options."""

import sys

from generator.commands import main

if __name__ == "__main__":
    sys.exit(main())
