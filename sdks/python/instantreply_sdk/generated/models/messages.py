from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Messages")


@_attrs_define
class Messages:
    """
    Attributes:
        inbound (int):
        outbound (int):
        failed (int):
        delivery_rate (float | None): delivered-or-read ÷ outbound that reached sent or failed; null when none
    """

    inbound: int
    outbound: int
    failed: int
    delivery_rate: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        inbound = self.inbound

        outbound = self.outbound

        failed = self.failed

        delivery_rate: float | None
        delivery_rate = self.delivery_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "inbound": inbound,
                "outbound": outbound,
                "failed": failed,
                "delivery_rate": delivery_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        inbound = d.pop("inbound")

        outbound = d.pop("outbound")

        failed = d.pop("failed")

        def _parse_delivery_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        delivery_rate = _parse_delivery_rate(d.pop("delivery_rate"))

        messages = cls(
            inbound=inbound,
            outbound=outbound,
            failed=failed,
            delivery_rate=delivery_rate,
        )

        messages.additional_properties = d
        return messages

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
