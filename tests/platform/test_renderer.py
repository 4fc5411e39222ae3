"""The API's JSON renderer (orjson) writes what DRF's JSONRenderer wrote, byte for
byte, for every kind of value the API renders."""

import dataclasses
import datetime as dt
import decimal
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.utils.functional import lazy
from rest_framework.renderers import JSONRenderer

from instantreply.api.renderers import ApiJSONRenderer


class _DRFCompact(JSONRenderer):
    ensure_ascii = False
    compact = True


@dataclasses.dataclass
class _Point:
    x: int


_lazy_text = lazy(lambda: "lazy text", str)


@pytest.mark.parametrize(
    "data",
    [
        {"data": [], "pagination": {"has_more": False, "next_cursor": None}},
        {"name": 'Zoë "Q" O\'Brien', "emoji": "👋", "cjk": "你好", "slash": "a/b\\c"},
        {"controls": "\x00\x01\x08\x09\x0a\x0c\x0d\x1f\x7f", "quote": '"'},
        {"separators": "line\u2028para\u2029end"},
        {"ints": [0, -1, 2**63 - 1, -(2**63), 2**64 - 1], "bools": [True, False], "none": None},
        {"floats": [0.1, 1.5, -0.0, 12345.678, 1e16, 1.5e300]},
        {1: "int key", 2.5: "float key", None: "none key", False: "bool key"},
        {"aware": dt.datetime(2026, 1, 2, 3, 4, 5, 678_901, tzinfo=dt.UTC)},
        {"paris": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("Europe/Paris"))},
        {"naive": dt.datetime(2026, 1, 2, 3, 4, 5), "date": dt.date(2026, 1, 2)},
        {"time": dt.time(3, 4, 5, 600), "delta": dt.timedelta(seconds=90)},
        {"decimal": decimal.Decimal("0.0625"), "uuid": uuid.UUID(int=7)},
        {"lazy": _lazy_text(), "tuple": (1, "a"), "set_like": frozenset()},
        {"dataclass_free": [_Point(1).x]},
        {"big": 2**70, "neg_big": -(2**70)},
        ["top", "level", "list"],
        "a bare string",
    ],
)
def test_the_renderer_writes_what_drf_wrote(data):
    assert ApiJSONRenderer().render(data) == _DRFCompact().render(data)


def test_nothing_renders_as_an_empty_body():
    assert ApiJSONRenderer().render(None) == b""


def test_an_indent_asked_for_is_rendered_by_drf():
    data = {"a": [1, 2]}
    accepted = "application/json; indent=4"
    assert ApiJSONRenderer().render(data, accepted) == _DRFCompact().render(data, accepted)
    assert b"\n    " in ApiJSONRenderer().render(data, accepted)


def test_a_value_neither_can_write_fails_as_before():
    with pytest.raises(TypeError):
        ApiJSONRenderer().render({"x": object()})
    with pytest.raises(TypeError):
        _DRFCompact().render({"x": object()})


def test_a_lone_surrogate_fails_as_before():
    with pytest.raises(UnicodeEncodeError):
        ApiJSONRenderer().render({"x": "\ud800"})
    with pytest.raises(UnicodeEncodeError):
        _DRFCompact().render({"x": "\ud800"})


def test_exponents_and_nan_are_the_two_named_differences():
    # The same numbers to any JSON parser; DRF wrote 1e-07 and refused NaN.
    assert ApiJSONRenderer().render([1e-7, 5e-05]) == b"[1e-7,0.00005]"
    assert ApiJSONRenderer().render({"x": float("nan")}) == b'{"x":null}'
