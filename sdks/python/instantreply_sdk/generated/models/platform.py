from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform_enum import PlatformEnum

T = TypeVar("T", bound="Platform")


@_attrs_define
class Platform:
    """
    Attributes:
        platform (PlatformEnum): * `whatsapp` - whatsapp
            * `instagram` - instagram
            * `messenger` - messenger
        inbound (int):
        outbound (int):
    """

    platform: PlatformEnum
    inbound: int
    outbound: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        platform = self.platform.value

        inbound = self.inbound

        outbound = self.outbound

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "platform": platform,
                "inbound": inbound,
                "outbound": outbound,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        platform = PlatformEnum(d.pop("platform"))

        inbound = d.pop("inbound")

        outbound = d.pop("outbound")

        platform = cls(
            platform=platform,
            inbound=inbound,
            outbound=outbound,
        )

        platform.additional_properties = d
        return platform

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
