from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Cost")


@_attrs_define
class Cost:
    """
    Attributes:
        market (str):
        currency (str):
        requested_rate (float):
        predicted_rate (float):
        gap_per_message (float):
        gap_per_1000 (float):
        rates_as_of (datetime.date):
    """

    market: str
    currency: str
    requested_rate: float
    predicted_rate: float
    gap_per_message: float
    gap_per_1000: float
    rates_as_of: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        market = self.market

        currency = self.currency

        requested_rate = self.requested_rate

        predicted_rate = self.predicted_rate

        gap_per_message = self.gap_per_message

        gap_per_1000 = self.gap_per_1000

        rates_as_of = self.rates_as_of.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "market": market,
                "currency": currency,
                "requested_rate": requested_rate,
                "predicted_rate": predicted_rate,
                "gap_per_message": gap_per_message,
                "gap_per_1000": gap_per_1000,
                "rates_as_of": rates_as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        market = d.pop("market")

        currency = d.pop("currency")

        requested_rate = d.pop("requested_rate")

        predicted_rate = d.pop("predicted_rate")

        gap_per_message = d.pop("gap_per_message")

        gap_per_1000 = d.pop("gap_per_1000")

        rates_as_of = datetime.date.fromisoformat(d.pop("rates_as_of"))

        cost = cls(
            market=market,
            currency=currency,
            requested_rate=requested_rate,
            predicted_rate=predicted_rate,
            gap_per_message=gap_per_message,
            gap_per_1000=gap_per_1000,
            rates_as_of=rates_as_of,
        )

        cost.additional_properties = d
        return cost

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
