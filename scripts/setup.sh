#!/usr/bin/env bash
# Creates .venv and installs the project with its dev tools; re-installs only when
# pyproject.toml changed. Sourced by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  # This machine's pip configuration names local mirrors that may be absent: hide
  # those warnings, keep real errors.
  quiet() { "$@" 2> >(grep -v -e "is ignored: it is neither" -e "BuildBackendWarning" -e "^  " >&2); }
  quiet .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  quiet .venv/bin/python -m pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
