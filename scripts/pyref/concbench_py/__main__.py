"""python3 -m concbench_py: the suite's command line (see cli)."""

import sys

from .cli import main

sys.exit(main())
