"""Per-message template rates from a versioned rate-card data file (META.md §3:
Meta revises rates quarterly, so they are data, never constants in code).

The newest card whose effective date has passed applies; the file name carries
the version (``rate_card_YYYY-MM-DD.json``). Markets are chosen by ISO country
(``?market=``) or by the calling code of the channel's phone number.
"""

import datetime as dt
import functools
import json
import re
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CARD_RE = re.compile(r"^rate_card_(\d{4}-\d{2}-\d{2})\.json$")


class UnknownMarket(ValueError):
    pass


@functools.cache
def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        card = json.load(handle)
    card["_by_calling_code"] = sorted(
        ((info["calling_code"], iso) for iso, info in card["countries"].items()),
        key=lambda pair: -len(pair[0]),
    )
    return card


def rate_card(today: dt.date | None = None) -> dict:
    today = today or dt.datetime.now(dt.UTC).date()
    cards = sorted((m.group(1), p) for p in DATA_DIR.iterdir() if (m := CARD_RE.match(p.name)))
    current = [path for effective, path in cards if effective <= today.isoformat()]
    chosen = current[-1] if current else cards[0][1]
    return _load(str(chosen))


def country_for_phone(phone: str | None, card: dict) -> str | None:
    """The card's country whose calling code prefixes the number (longest first;
    +1 resolves to the card's default country)."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return None
    for code, iso in card["_by_calling_code"]:
        if digits.startswith(code):
            if code == "1":
                return card["default_country"]
            return iso
    return None


def resolve_market(*, market: str | None, phone: str | None, card: dict) -> str:
    if market is not None:
        iso = market.strip().upper()
        if iso not in card["countries"]:
            raise UnknownMarket(
                f"'{market}' is not a market of rate card {card['version']}; use an ISO "
                f"country code among {', '.join(sorted(card['countries']))}"
            )
        return iso
    return country_for_phone(phone, card) or card["default_country"]


def cost_gap(*, requested: str, predicted: str, country: str, card: dict) -> dict:
    rates = card["markets"][card["countries"][country]["market"]]
    requested_rate = Decimal(str(rates[requested]))
    predicted_rate = Decimal(str(rates[predicted]))
    gap = predicted_rate - requested_rate
    return {
        "market": country,
        "currency": card["currency"],
        "requested_rate": float(requested_rate),
        "predicted_rate": float(predicted_rate),
        "gap_per_message": float(gap),
        "gap_per_1000": float(gap * 1000),
        "rates_as_of": card["effective_date"],
    }
