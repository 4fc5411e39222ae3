"""Work that only the latest of many calls needs, done at most once per short
interval instead of in every caller.

Design note: after each stored /meta/webhook POST, something must make sure a
draining task is queued (``meta.tasks.queue_processing``: an atomic add in Redis,
then a publish when it was not queued). That Redis round trip was a quarter of an
acknowledgement's CPU (bench/meta_ingest.py), yet at hundreds of posts a second
nearly every add finds the mark already set. ``Coalesced`` calls ``fn`` with the
latest value once per ``interval_ms``, always after the commits it covers (each
caller calls it after its own commit), so what they committed is visible to
whatever ``fn`` starts:
  * in the caller, when the last call of ``fn`` is at least an interval old: the
    first post after a quiet spell is checked at once, and under load the first
    post of each interval checks for the posts pending since the last check;
  * by a thread of this process, for posts no later call covered: it checks what
    is still pending ``BACKSTOP`` intervals after the first of them (a burst's last
    posts).
The caller does the work under load, not the thread: a second thread taking the
interpreter lock for each check (and for each of its socket calls) made the
worker's main thread wait for the switch back, on a busy machine for a whole
scheduler slice. With the thread making every check, the ack's p99 at 1,400 and
1,800 posts/s was 25–158 ms; with the callers making them, 8–13 ms (the floor's:
4–12 ms; an ad-hoc run of bench/meta_ingest.py's servers side by side). The
thread now wakes only to find, mostly, that nothing is left. A
process that dies in that interval loses only the call, not the work: the
callers' rows are stored, and the periodic sweep that already covers a lost
publish takes them. With ``interval_ms`` 0 (the tests) ``fn`` runs in every
caller.
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
    # The thread calls ``fn`` for what is still pending this many intervals after
    # the first pending call (no later call came to do it).
    BACKSTOP = 2

    def __init__(self, fn: Callable[[object], None], name: str, interval_ms: Callable[[], int]):
        self.fn = fn
        self.name = name
        self.interval_ms = interval_ms
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending = _NOTHING
        self._pid: int | None = None
        self._since = 0.0
        self._last = float("-inf")
        self._watching = False
        atexit.register(self.flush)

    def __call__(self, value) -> None:
        interval = self.interval_ms()
        if interval <= 0:
            self.fn(value)
            return
        at = time.monotonic()
        with self._lock:
            if self._pid != os.getpid():
                # First call in this process (or a fork's child): start its thread.
                self._pid = os.getpid()
                self._pending = _NOTHING
                self._last = float("-inf")
                self._watching = False
                threading.Thread(target=self._run, name=self.name, daemon=True).start()
            if self._pending is _NOTHING:
                self._since = at
            self._pending = value
            due = at - self._last >= interval / 1000
            wake = not due and not self._watching
            if wake:
                self._watching = True
        if due:
            self.flush()
        elif wake:
            self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            # Until nothing is pending: call ``fn`` for what a caller has left pending
            # BACKSTOP intervals (the interval read again every 50 ms at most).
            while True:
                with self._lock:
                    if self._pending is _NOTHING:
                        self._watching = False
                        break
                    deadline = self._since + self.BACKSTOP * self.interval_ms() / 1000
                left = deadline - time.monotonic()
                if left <= 0:
                    self.flush()
                else:
                    time.sleep(min(left, 0.05))

    def flush(self) -> None:
        """Call ``fn`` now with the latest pending value, if any."""
        with self._lock:
            value, self._pending = self._pending, _NOTHING
            if value is not _NOTHING:
                self._last = time.monotonic()
        if value is _NOTHING:
            return
        try:
            self.fn(value)
        except Exception:
            logger.exception("%s", self.name)
