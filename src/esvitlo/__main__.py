"""``python -m esvitlo`` runs the command line."""

import sys

from esvitlo.cli import main

sys.exit(main())
