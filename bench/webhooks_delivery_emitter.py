"""Emitting process of bench/webhooks_delivery.py's latency runs.

The product's emit path (``webhooks.events.emit``: the outbox INSERT, its commit,
the coalesced fan-out publish after commit), one event per transaction, by
``--threads`` threads of this process on an open-loop schedule: slot n of the run
is due at start + n / rate, and this process takes the slots n with
n % processes == index, its threads every threads-th of those. Several such
processes let the bench offer a rate one Python process cannot (its emitting
costs the GIL-bound API code per event).

Protocol (bench/webhooks_delivery.py drives it): set up (Django, one database
connection per thread), print ``ready``, read the start time (unix seconds) from
stdin, emit, then print one JSON line: ``emitted`` ({event id: unix time after
commit}), ``cpu_seconds`` (this process), ``finished`` (unix time).
"""

import argparse
import json
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--rate", type=float, required=True, help="events/s of the whole run")
    parser.add_argument("--slots", type=int, required=True, help="events of the whole run")
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--queue", required=True, help="the bench worker's Celery queue")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from instantreply.celery import app

    app.conf.task_default_queue = args.queue

    from bench.webhooks_delivery_floor import BENCH_EVENT
    from webhooks.events import emit

    emitted: dict[str, float] = {}
    interval = 1.0 / args.rate
    go = threading.Event()
    start = [0.0]
    ready = threading.Barrier(args.threads + 1)

    def emitter(k: int) -> None:
        try:
            connection.ensure_connection()
            ready.wait()
            go.wait()
            stride = args.processes * args.threads
            for n in range(args.index + k * args.processes, args.slots, stride):
                pause = start[0] + n * interval - time.time()
                if pause > 0:
                    time.sleep(pause)
                event = emit(workspace_id=args.workspace, livemode=True, **BENCH_EVENT)
                emitted[event.id] = time.time()
        finally:
            connection.close()

    threads = [threading.Thread(target=emitter, args=(k,)) for k in range(args.threads)]
    for thread in threads:
        thread.start()
    ready.wait()
    print("ready", flush=True)
    start[0] = float(sys.stdin.readline())
    cpu = time.process_time()
    go.set()
    for thread in threads:
        thread.join()
    print(
        json.dumps(
            {
                "emitted": emitted,
                "cpu_seconds": time.process_time() - cpu,
                "finished": time.time(),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
