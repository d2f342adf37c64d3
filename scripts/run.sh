#!/usr/bin/env bash
# Install (the first time, or after pyproject.toml changed) and open 履职纪实: system libraries
# for Qt, a venv in .venv with the project installed in editable mode — so later starts open the
# window at once and code changes need no reinstall.
# Extra arguments go to the program, e.g. `bash scripts/run.sh --db ~/test.db`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/venv.sh ""
exec .venv/bin/duty-tracker "$@"
