#!/usr/bin/env bash
# Make .venv hold the project (editable) with the extras named in $1 (e.g. "test,build" or "").
# Reinstalls only when pyproject.toml, setup.py or the extras differ from the last install: a
# stamp file in .venv records what was installed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:-}
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
want="$(cat pyproject.toml setup.py 2>/dev/null | sha256sum | cut -d' ' -f1) [$extras]"
stamp=.venv/.duty-tracker-installed
# A stamp for more extras covers fewer: "test,build" serves a plain run as well.
if [ -f "$stamp" ] && grep -qxF "$want" "$stamp"; then exit 0; fi
if [ -z "$extras" ] && [ -f "$stamp" ] && grep -q "^${want% *} " "$stamp"; then exit 0; fi
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
echo "$want" > "$stamp"
