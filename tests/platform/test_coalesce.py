"""``core.coalesce.Coalesced``: once per interval, in the caller when it is due, by
the thread only for what no later call covered."""

import threading
import time

from instantreply.core.coalesce import Coalesced


class Recorder:
    def __init__(self):
        self.calls: list[tuple[object, str]] = []
        self.done = threading.Event()

    def __call__(self, value):
        self.calls.append((value, threading.current_thread().name))
        self.done.set()


def coalesced(interval_ms: int) -> tuple[Coalesced, Recorder]:
    recorder = Recorder()
    return Coalesced(recorder, name="test-coalesced", interval_ms=lambda: interval_ms), recorder


def test_the_first_call_after_a_quiet_spell_runs_at_once_in_the_caller():
    once, recorder = coalesced(60_000)
    once(1)
    assert recorder.calls == [(1, threading.current_thread().name)]


def test_calls_within_the_interval_wait_and_the_next_due_call_takes_the_latest():
    once, recorder = coalesced(1_000)
    once(1)  # at once: nothing ran before
    once(2)
    once(3)
    assert [value for value, _ in recorder.calls] == [1]
    time.sleep(1.05)  # the interval is over; the thread's backstop (2 s) is not
    once(4)
    caller = threading.current_thread().name
    assert recorder.calls == [(1, caller), (4, caller)]


def test_what_no_later_call_covers_is_run_by_the_thread_within_the_backstop():
    once, recorder = coalesced(100)
    once(1)
    recorder.done.clear()
    started = time.monotonic()
    once(2)  # within the interval: pending, and no call follows
    assert recorder.done.wait(5)
    waited = time.monotonic() - started
    assert recorder.calls[-1] == (2, "test-coalesced")
    assert 0.1 <= waited < 5
    assert len(recorder.calls) == 2


def test_flush_runs_what_is_pending_once():
    once, recorder = coalesced(60_000)
    once(1)
    once(2)
    once.flush()
    once.flush()
    assert [value for value, _ in recorder.calls] == [1, 2]


def test_without_an_interval_every_call_runs_in_the_caller():
    once, recorder = coalesced(0)
    for n in range(3):
        once(n)
    assert recorder.calls == [(n, threading.current_thread().name) for n in range(3)]
