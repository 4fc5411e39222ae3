from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Quotas")


@_attrs_define
class Quotas:
    """
    Attributes:
        webhook_endpoints (int):
        outbound_messages_per_day (int):
    """

    webhook_endpoints: int
    outbound_messages_per_day: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        webhook_endpoints = self.webhook_endpoints

        outbound_messages_per_day = self.outbound_messages_per_day

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "webhook_endpoints": webhook_endpoints,
                "outbound_messages_per_day": outbound_messages_per_day,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        webhook_endpoints = d.pop("webhook_endpoints")

        outbound_messages_per_day = d.pop("outbound_messages_per_day")

        quotas = cls(
            webhook_endpoints=webhook_endpoints,
            outbound_messages_per_day=outbound_messages_per_day,
        )

        quotas.additional_properties = d
        return quotas

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
