#!/usr/bin/env python3
"""concbench's Python reference suite: python3 scripts/pyref/concbench_py.py [flags].

A thin shim over the package beside it (concbench_py/, which Python finds
before this file when it imports the name), so that the suite runs from
anywhere by its path; python3 -m concbench_py from scripts/pyref is the same.
See README.md and python3 concbench_py.py --help.
"""

import sys

# This file's directory is sys.path[0], so the package imports. The worker
# module is imported here, outside the main guard, as a real program
# imports the functions it hands to its workers: a forkserver preloads the
# main module, so its children start with it, as they would in that program.
import concbench_py.worker  # noqa: F401,E402

if __name__ == "__main__":
    from concbench_py.cli import main

    sys.exit(main())
