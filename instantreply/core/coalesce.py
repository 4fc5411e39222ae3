"""Work that only the latest of many calls needs, done once per short interval by a
background thread instead of in every caller.

Design note: after each stored /meta/webhook POST, something must make sure a
draining task is queued (``meta.tasks.queue_processing``: an atomic add in Redis,
then a publish when it was not queued). That Redis round trip was a quarter of an
acknowledgement's CPU (bench/meta_ingest.py), yet at hundreds of posts a second
nearly every add finds the mark already set. ``Coalesced`` hands the latest value to
a thread of this process, which waits ``interval_ms`` (so the posts of that interval
share it) and then calls ``fn`` once, after every commit it covers: what the
callers committed before their call is visible to whatever ``fn`` starts. A
process that dies in that interval loses only the call, not the work: the callers'
rows are stored, and the periodic sweep that already covers a lost publish takes
them. With ``interval_ms`` 0 (the tests) ``fn`` runs in the caller, as before.
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

_NOTHING = object()


class Coalesced:
    def __init__(self, fn: Callable[[object], None], name: str, interval_ms: Callable[[], int]):
        self.fn = fn
        self.name = name
        self.interval_ms = interval_ms
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending = _NOTHING
        self._pid: int | None = None
        self._since = 0.0
        atexit.register(self.flush)

    def __call__(self, value) -> None:
        interval = self.interval_ms()
        if interval <= 0:
            self.fn(value)
            return
        with self._lock:
            if self._pid != os.getpid():
                # First call in this process (or a fork's child): start its thread.
                self._pid = os.getpid()
                self._pending = _NOTHING
                threading.Thread(target=self._run, name=self.name, daemon=True).start()
            first = self._pending is _NOTHING
            if first:
                self._since = time.monotonic()
            self._pending = value
        if first:
            self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            # Until the interval since the first pending call is over (the interval
            # read again every 50 ms at most), or until somebody else flushed.
            while self._pending is not _NOTHING:
                left = self._since + self.interval_ms() / 1000 - time.monotonic()
                if left <= 0:
                    self.flush()
                    break
                time.sleep(min(left, 0.05))

    def flush(self) -> None:
        """Call ``fn`` now with the latest pending value, if any."""
        with self._lock:
            value, self._pending = self._pending, _NOTHING
        if value is _NOTHING:
            return
        try:
            self.fn(value)
        except Exception:
            logger.exception("%s", self.name)
