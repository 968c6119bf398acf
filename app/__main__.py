"""`python -m app` is the same as `oor`."""

import sys

from app.cli import main

sys.exit(main())
