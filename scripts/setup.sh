#!/usr/bin/env bash
# Creates .venv and installs the project with its dev tools (re-installs only when
# pyproject.toml changed), then writes a development .env with secrets fresh for this
# clone when there is none (git-ignored; settings read it, so manage.py, celery and
# gunicorn all start), and the TypeScript SDK's tools when node is here. Called by
# run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml sdks/python/pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  # This machine's pip configuration names local mirrors that may be absent: hide
  # those warnings, keep real errors.
  quiet() { "$@" 2> >(grep -v -e "is ignored: it is neither" -e "BuildBackendWarning" -e "^  " >&2); }
  quiet .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  quiet .venv/bin/python -m pip install -q -e ".[dev]" -e sdks/python
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# INSTANTREPLY_ENV_FILE: the file settings read (default .env); tests point it elsewhere.
env_file=${INSTANTREPLY_ENV_FILE:-.env}
if [ ! -e "$env_file" ]; then
  (
    umask 077
    .venv/bin/python - "$env_file" <<'PY'
import secrets
import sys

from cryptography.fernet import Fernet

with open(sys.argv[1], "x", encoding="utf-8") as out:
    out.write(
        "# Development settings for this clone, written by scripts/setup.sh (git-ignored).\n"
        "# The secrets are fresh random values; production sets its own (.env.example).\n"
        "DEBUG=true\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n"
        f"META_APP_SECRET={secrets.token_hex(16)}\n"
        f"META_VERIFY_TOKEN={secrets.token_urlsafe(24)}\n"
        "# The bundled Meta simulator and local webhook receivers live on 127.0.0.1.\n"
        "WEBHOOK_ALLOW_PRIVATE_TARGETS=true\n"
    )
PY
  )
  echo "wrote $env_file with fresh development secrets" >&2
fi

# The TypeScript SDK's generator and test tools (package-lock.json), when node is here;
# re-installed only when the lock file changed.
if command -v npm >/dev/null; then
  lock=sdks/typescript/node_modules/.installed-$(sha256sum sdks/typescript/package-lock.json | cut -c1-16)
  if [ ! -f "$lock" ]; then
    (cd sdks/typescript && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$lock"
  fi
fi
