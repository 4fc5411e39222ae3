from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UsageRateLimit")


@_attrs_define
class UsageRateLimit:
    """
    Attributes:
        limit (int):
        window_seconds (int):
        remaining (int):
        resets_at (datetime.datetime):
        store_available (bool):
    """

    limit: int
    window_seconds: int
    remaining: int
    resets_at: datetime.datetime
    store_available: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        limit = self.limit

        window_seconds = self.window_seconds

        remaining = self.remaining

        resets_at = self.resets_at.isoformat()

        store_available = self.store_available

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limit": limit,
                "window_seconds": window_seconds,
                "remaining": remaining,
                "resets_at": resets_at,
                "store_available": store_available,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        limit = d.pop("limit")

        window_seconds = d.pop("window_seconds")

        remaining = d.pop("remaining")

        resets_at = datetime.datetime.fromisoformat(d.pop("resets_at"))

        store_available = d.pop("store_available")

        usage_rate_limit = cls(
            limit=limit,
            window_seconds=window_seconds,
            remaining=remaining,
            resets_at=resets_at,
            store_available=store_available,
        )

        usage_rate_limit.additional_properties = d
        return usage_rate_limit

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
