"""`python -m quiz` runs the `quiz` command."""

import sys

from .cli import main

sys.exit(main())
