"""python -m bench: every speed benchmark and a summary table (see bench/run_all.py)."""

import sys

from bench.run_all import main

sys.exit(main())
