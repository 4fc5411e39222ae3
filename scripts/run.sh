#!/usr/bin/env bash
# One command, embedded mode: installs, writes a development .env on first run,
# migrates, seeds a demo workspace, starts the Celery worker + beat (kombu filesystem
# broker, no server needed) and the Meta Graph API simulator, prints a working key
# and a curl line, then serves on $PORT (default 8000). SIGTERM or Ctrl-C stops every
# process it started.
set -euo pipefail
cd "$(dirname "$0")/.."

pids=()
stop() {
  trap - EXIT INT TERM
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # Celery finishes its running tasks on TERM (warm shutdown); whatever still runs
  # after 15 s is killed, so the script never leaves a process behind.
  for _ in $(seq 1 75); do
    alive=()
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    ((${#alive[@]})) || break
    sleep 0.2
  done
  ((${#alive[@]})) && kill -KILL "${alive[@]}" 2>/dev/null
  wait 2>/dev/null || true
}
# Background children of a script ignore Ctrl-C's SIGINT: they are stopped here.
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

bash scripts/setup.sh
export DEBUG=${DEBUG:-true}
PORT=${PORT:-8000}
SIM_PORT=${SIM_PORT:-8010}
# Settings build doc_url links and the seed's curl line from it: the server runs here.
export DEV_PORT=$PORT
export META_GRAPH_API_URL=${META_GRAPH_API_URL:-http://127.0.0.1:$SIM_PORT/v24.0}
export WEBHOOK_ALLOW_PRIVATE_TARGETS=${WEBHOOK_ALLOW_PRIVATE_TARGETS:-true}
PY=.venv/bin/python
VAR=${INSTANTREPLY_VAR_DIR:-var}
mkdir -p "$VAR"
$PY manage.py migrate --noinput -v0
seed=$($PY manage.py seed_demo --json)
key=$(printf '%s' "$seed" | $PY -c 'import json,sys; print(json.load(sys.stdin)["key"])')
test_key=$(printf '%s' "$seed" | $PY -c 'import json,sys; print(json.load(sys.stdin)["test_key"])')

.venv/bin/celery -A instantreply worker -B --concurrency 2 --loglevel WARNING \
  --schedule "$VAR/celerybeat-schedule" >"$VAR/worker.log" 2>&1 &
pids+=($!)
$PY manage.py run_meta_simulator --port "$SIM_PORT" --webhook-url "http://127.0.0.1:$PORT/meta/webhook" \
  >"$VAR/simulator.log" 2>&1 &
pids+=($!)

cat <<TXT

InstantReply is running (embedded mode: SQLite + Celery on the filesystem broker).
  API        http://127.0.0.1:$PORT/v1     docs  http://127.0.0.1:$PORT/docs
  Live key   $key
  Test key   $test_key
  Logs       $VAR/worker.log, $VAR/simulator.log
  Meta       simulated at http://127.0.0.1:$SIM_PORT (what reached it: /_sim/requests); live
             replies go queued → sent → delivered → read from its signed status webhooks;
             test-mode replies never reach Meta and stop at delivered
  Stop       Ctrl-C (or SIGTERM) stops the server, the worker and the simulator

Try:
  curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$PORT/v1/contacts?limit=3"

TXT
$PY manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)
# Returns when any child exits (or a trapped signal arrives); the EXIT trap stops the rest.
wait -n
