from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IdempotencyInfo")


@_attrs_define
class IdempotencyInfo:
    """
    Attributes:
        retention_hours (int):
        max_key_length (int):
    """

    retention_hours: int
    max_key_length: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        retention_hours = self.retention_hours

        max_key_length = self.max_key_length

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "retention_hours": retention_hours,
                "max_key_length": max_key_length,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        retention_hours = d.pop("retention_hours")

        max_key_length = d.pop("max_key_length")

        idempotency_info = cls(
            retention_hours=retention_hours,
            max_key_length=max_key_length,
        )

        idempotency_info.additional_properties = d
        return idempotency_info

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
