#!/usr/bin/env bash
# Install (once) and run every test: system libraries, a venv in .venv with the project and its
# test extra, ruff, then pytest (the slow packaging tests included). pytest's exit code 5
# ("no tests ran") fails this script, as any failure does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/venv.sh "test,build"
.venv/bin/ruff check duty_tracker tests bench
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest -q "$@"
