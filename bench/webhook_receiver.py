"""A webhook receiver for bench/webhooks_delivery.py that is not the bottleneck.

One asyncio process, no HTTP framework: it reads keep-alive HTTP/1.1 POSTs
(Content-Length bodies, as the delivery worker sends), answers ``200 ok`` in one
write, and appends ``<webhook-id> <arrival unix time>`` to a log file every 50 ms.
It costs a few tens of microseconds of CPU per request, which the bench reports
(receiver CPU per request) so that its share of the two cores is visible.

    .venv/bin/python bench/webhook_receiver.py --log /tmp/arrivals.log   # prints its port
"""

import argparse
import asyncio
import sys
import time

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class Receiver(asyncio.Protocol):
    def __init__(self, arrivals: list[bytes]):
        self.arrivals = arrivals
        self.buffer = bytearray()
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            length, webhook_id = 0, b"-"
            for line in bytes(buffer[:end]).split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"webhook-id":
                    webhook_id = value.strip()
            total = end + 4 + length
            if len(buffer) < total:
                return
            del buffer[:total]
            self.arrivals.append(b"%s %.6f\n" % (webhook_id, time.time()))
            self.transport.write(ANSWER)


async def serve(port: int, log_path: str) -> None:
    arrivals: list[bytes] = []
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Receiver(arrivals), "127.0.0.1", port, backlog=1024)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    with open(log_path, "ab") as log:
        while True:
            await asyncio.sleep(0.05)
            if arrivals:
                chunk = b"".join(arrivals)
                arrivals.clear()
                log.write(chunk)
                log.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0: chosen by the kernel")
    parser.add_argument("--log", required=True, help="file the arrivals are appended to")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port, args.log))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
