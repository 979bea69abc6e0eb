#!/usr/bin/env python3
"""`python build.py [options]` is `researchmap build [options]`.

Run by a Python without researchmap's dependencies (the system one, say), it hands over to the
project's .venv when there is one, and otherwise says how to make one.
"""

import os
import sys
from pathlib import Path


def main() -> int:
    try:
        import site_src.build  # noqa: F401  (imports what a build needs: fails here when missing)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "site_src":
            raise  # researchmap's own code is broken: show it
        venv = Path(__file__).resolve().parent / ".venv"
        python = venv / "bin" / "python"
        if python.exists() and Path(sys.prefix).resolve() != venv.resolve():
            os.execv(python, [str(python), __file__, *sys.argv[1:]])
        print(f"build.py: {exc} in this Python ({sys.executable}).\n"
              "Run `make build` once: it creates .venv and installs researchmap there; or install "
              "it into this Python with `pip install -e .`.", file=sys.stderr)
        return 2
    from site_src.cli import main as cli

    return cli(["build", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
