from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UsageMessages")


@_attrs_define
class UsageMessages:
    """
    Attributes:
        sent_today (int):
        daily_quota (int):
    """

    sent_today: int
    daily_quota: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sent_today = self.sent_today

        daily_quota = self.daily_quota

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sent_today": sent_today,
                "daily_quota": daily_quota,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sent_today = d.pop("sent_today")

        daily_quota = d.pop("daily_quota")

        usage_messages = cls(
            sent_today=sent_today,
            daily_quota=daily_quota,
        )

        usage_messages.additional_properties = d
        return usage_messages

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
