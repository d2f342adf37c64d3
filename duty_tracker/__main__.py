"""``python -m duty_tracker`` runs the same entry point as the ``duty-tracker`` script."""

import sys

from duty_tracker.cli.main import main

sys.exit(main())
