"""履职纪实 (duty_tracker): the ledger of what party and government heads did to fulfil their
duties as first responsible person for rule-of-law construction.

Layout: ``core`` is pure Python (domain, compliance, rules parser, reports, storage) and never
imports Qt; ``ui`` is the Qt Widgets layer on top; ``cli`` is the command line on the same core.
"""

import time as _time

#: When the program's first line ran (the package is imported before anything else of it):
#: ``--smoke`` reports the window's start-up from here, as a clerk waits for it.
STARTED = _time.perf_counter()

__version__ = "0.1.0"
APP_NAME = "履职纪实"
