from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookInfo")


@_attrs_define
class WebhookInfo:
    """
    Attributes:
        timeout_seconds (int):
        max_attempts (int):
        retry_schedule_seconds (list[int]):
    """

    timeout_seconds: int
    max_attempts: int
    retry_schedule_seconds: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timeout_seconds = self.timeout_seconds

        max_attempts = self.max_attempts

        retry_schedule_seconds = self.retry_schedule_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timeout_seconds": timeout_seconds,
                "max_attempts": max_attempts,
                "retry_schedule_seconds": retry_schedule_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        timeout_seconds = d.pop("timeout_seconds")

        max_attempts = d.pop("max_attempts")

        retry_schedule_seconds = cast(list[int], d.pop("retry_schedule_seconds"))

        webhook_info = cls(
            timeout_seconds=timeout_seconds,
            max_attempts=max_attempts,
            retry_schedule_seconds=retry_schedule_seconds,
        )

        webhook_info.additional_properties = d
        return webhook_info

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
