#!/usr/bin/env bash
# Install (once) and open 履职纪实: system libraries for Qt, a venv in .venv with the project.
# Extra arguments go to the program, e.g. `bash scripts/run.sh --db ~/test.db`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/duty-tracker "$@"
