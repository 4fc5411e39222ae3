#!/usr/bin/env bash
# One command, embedded mode: installs, migrates, seeds a demo workspace, starts the
# Celery worker + beat (kombu filesystem broker, no server needed) and the Meta
# Graph API simulator, prints a working key and a curl line, then serves on :8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG=${DEBUG:-true}
PORT=${PORT:-8000}
SIM_PORT=${SIM_PORT:-8010}
export DEV_PORT=$PORT
export META_GRAPH_API_URL=${META_GRAPH_API_URL:-http://127.0.0.1:$SIM_PORT/v24.0}
export WEBHOOK_ALLOW_PRIVATE_TARGETS=${WEBHOOK_ALLOW_PRIVATE_TARGETS:-true}
PY=.venv/bin/python
mkdir -p var
$PY manage.py migrate --noinput -v0
seed=$($PY manage.py seed_demo --json)
key=$(printf '%s' "$seed" | $PY -c 'import json,sys; print(json.load(sys.stdin)["key"])')
test_key=$(printf '%s' "$seed" | $PY -c 'import json,sys; print(json.load(sys.stdin)["test_key"])')

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

.venv/bin/celery -A instantreply worker -B --concurrency 2 --loglevel WARNING \
  --schedule var/celerybeat-schedule >var/worker.log 2>&1 &
pids+=($!)
if $PY manage.py help run_meta_simulator >/dev/null 2>&1; then
  $PY manage.py run_meta_simulator --port "$SIM_PORT" --webhook-url "http://127.0.0.1:$PORT/meta/webhook" \
    >var/simulator.log 2>&1 &
  pids+=($!)
fi

cat <<TXT

InstantReply is running (embedded mode: SQLite + Celery on the filesystem broker).
  API        http://127.0.0.1:$PORT/v1     docs  http://127.0.0.1:$PORT/docs
  Live key   $key
  Test key   $test_key
  Logs       var/worker.log, var/simulator.log
  Meta       simulated at http://127.0.0.1:$SIM_PORT (what reached it: /_sim/requests); replies
             go queued → sent → delivered → read from its signed status webhooks

Try:
  curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$PORT/v1/contacts?limit=3"

TXT
$PY manage.py runserver "127.0.0.1:$PORT" --noreload
