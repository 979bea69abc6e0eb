#!/usr/bin/env python3
"""`python build.py [options]` is `researchmap build [options]`."""

import sys

from site_src.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
