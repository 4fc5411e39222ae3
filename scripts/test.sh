#!/usr/bin/env bash
# One command: installs, makes sure PostgreSQL and Redis are up (starting them when
# they are installed but stopped), then runs the suite twice: the fast SQLite pass
# and the full pass against PostgreSQL + Redis, whose pytest summary ends the output.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
# The docs' browser test drives Debian's chromium, and a guide sample pipes through
# jq: install them when missing and apt-get can (idempotent; skipped when present).
if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v jq >/dev/null; } \
  && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      chromium chromium-driver jq; } >/dev/null 2>&1 \
    || echo "could not install chromium/jq; the tests that need them will skip" >&2
fi
PY=.venv/bin/python

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ -d /etc/postgresql ]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

export INSTANTREPLY_TESTING=true
echo "== fast pass: SQLite, local memory, no servers"
env -u DATABASE_URL -u REDIS_URL INSTANTREPLY_VAR_DIR="$(mktemp -d)" \
  .venv/bin/pytest -q -m "not postgres and not redis" "$@"
fast=$?

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "== full pass: PostgreSQL + Redis"
  export DATABASE_URL=${TEST_PG_URL:-postgres://root@127.0.0.1:5432/instantreply}
  export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
  .venv/bin/pytest -q --create-db "$@"
  full=$?
else
  echo "PostgreSQL or Redis is not reachable on 127.0.0.1; only the SQLite pass ran." >&2
  full=1
fi
[ $fast -eq 0 ] && [ $full -eq 0 ]
