"""A trigger's timeline in the order of the state machine (§8).

Design note: Meta stamps its status reports in whole seconds, with its own clock,
and we stamp ours (queued, sending) in milliseconds: by time alone a ``sent`` of
…:25.000 sorts before the ``queued`` of …:25.697 that it follows. So entries are
ordered by state (queued → sending → sent → failed → delivered → read; a stable
sort, so two entries of one state keep their arrival order and a report that was
ignored as a repeat comes after the state it repeats), and no entry is earlier
than the one before it: such a time is raised to the previous entry's, and the
reported timestamp is kept in ``detail``. Raising only ever moves times forward,
so applying the rule again to its own output changes nothing.
"""

from instantreply.core.timeutil import parse_ts

STATE_ORDER = {"queued": 0, "sending": 1, "sent": 2, "failed": 3, "delivered": 4, "read": 5}
_REPORTED_AT = "Meta's timestamp: "


def timeline_in_order(entries: list[dict]) -> list[dict]:
    """``entries`` ({state, at, detail}) ordered and clamped as above (new dicts)."""
    ordered = sorted(entries, key=lambda e: STATE_ORDER.get(e["state"], len(STATE_ORDER)))
    out: list[dict] = []
    previous = None
    for entry in ordered:
        entry = dict(entry)
        at = parse_ts(entry["at"])
        if previous is not None and at < previous[0]:
            note = _REPORTED_AT + entry["at"]
            entry["detail"] = f"{entry['detail']}; {note}" if entry.get("detail") else note
            entry["at"] = previous[1]
            at = previous[0]
        out.append(entry)
        previous = (at, entry["at"])
    return out
