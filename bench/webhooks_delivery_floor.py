"""The floor of bench/webhooks_delivery.py: a bare loop that signs and POSTs the
product's payloads with the product's HTTP client, and nothing else.

Same process shape as the worker (one process, ``--threads`` threads), same
receiver, same payload bytes (``webhooks.delivery.payload_body`` of events like
the bench's, built before the clock starts), a Standard Webhooks signature per
send (``webhooks.signing``) and the same POST with its response read
(``webhooks.delivery.post``: urllib3 keep-alive pool per thread). No database,
no broker, no bookkeeping: what the product does beyond this is its overhead.

Run by bench/webhooks_delivery.py with the bench's environment; prints one JSON
line: sent, failed, seconds (wall), cpu_seconds (this process).
"""

import argparse
import json
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The event the bench emits, and whose payload the floor sends (bench/webhooks_delivery.py).
BENCH_EVENT = {
    "type": "contact.updated",
    "data": {"id": "cont_bench", "name": "Ana", "tags": ["vip"]},
    "object_id": "cont_bench",
    "previous_attributes": {"name": "Bo"},
}
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    import django

    django.setup()
    from webhooks.delivery import payload_body, post, signed_headers
    from webhooks.models import Event

    def body() -> tuple[str, bytes]:
        event = Event(workspace_id=args.workspace, livemode=True, **BENCH_EVENT)
        return event.id, payload_body(event)

    # Warm-up: one keep-alive connection per thread, imports, code paths.
    warm = [body() for _ in range(20 * args.threads)]
    payloads = [body() for _ in range(args.count)]
    failed = [0]

    def send(items: list[tuple[str, bytes]]) -> None:
        for event_id, payload in items:
            headers = signed_headers(event_id, payload, [args.secret])
            if not post(args.url, payload, headers).succeeded:
                failed[0] += 1

    def run(items: list[tuple[str, bytes]]) -> tuple[float, float]:
        threads = [
            threading.Thread(target=send, args=(items[k :: args.threads],))
            for k in range(args.threads)
        ]
        cpu, wall = time.process_time(), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - wall, time.process_time() - cpu

    run(warm)
    failed[0] = 0
    seconds, cpu_seconds = run(payloads)
    print(
        json.dumps(
            {
                "sent": len(payloads),
                "failed": failed[0],
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
