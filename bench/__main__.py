"""`python -m bench [--quick] [--n 17,200,1000] [--async-mode eventlet] [--out DIR]`."""

from __future__ import annotations

import sys

from bench.run import main

if __name__ == "__main__":
    sys.exit(main())
