"""Entry script of the frozen program (both executables of the one-folder build).

``freeze_support()`` must run first: a worker process started by ``multiprocessing`` (the
batch PDF export may use both cores) re-executes this very program, and without it the child
would start a second window or CLI instead of running its task.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from duty_tracker.cli.main import main

    sys.exit(main())
