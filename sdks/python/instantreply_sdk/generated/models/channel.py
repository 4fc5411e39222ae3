from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_status_enum import ChannelStatusEnum
from ..models.platform_enum import PlatformEnum

if TYPE_CHECKING:
    from ..models.channel_health import ChannelHealth


T = TypeVar("T", bound="Channel")


@_attrs_define
class Channel:
    """
    Attributes:
        id (str):
        platform (PlatformEnum): * `whatsapp` - whatsapp
            * `instagram` - instagram
            * `messenger` - messenger
        name (str):
        status (ChannelStatusEnum): * `connected` - connected
            * `disconnected` - disconnected
            * `error` - error
        external_id (str):
        display_handle (None | str):
        health (ChannelHealth):
        connected_at (datetime.datetime | None):
        created_at (datetime.datetime):
    """

    id: str
    platform: PlatformEnum
    name: str
    status: ChannelStatusEnum
    external_id: str
    display_handle: None | str
    health: ChannelHealth
    connected_at: datetime.datetime | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        platform = self.platform.value

        name = self.name

        status = self.status.value

        external_id = self.external_id

        display_handle: None | str
        display_handle = self.display_handle

        health = self.health.to_dict()

        connected_at: None | str
        if isinstance(self.connected_at, datetime.datetime):
            connected_at = self.connected_at.isoformat()
        else:
            connected_at = self.connected_at

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "platform": platform,
                "name": name,
                "status": status,
                "external_id": external_id,
                "display_handle": display_handle,
                "health": health,
                "connected_at": connected_at,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_health import ChannelHealth  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        platform = PlatformEnum(d.pop("platform"))

        name = d.pop("name")

        status = ChannelStatusEnum(d.pop("status"))

        external_id = d.pop("external_id")

        def _parse_display_handle(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_handle = _parse_display_handle(d.pop("display_handle"))

        health = ChannelHealth.from_dict(d.pop("health"))

        def _parse_connected_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                connected_at_type_0 = datetime.datetime.fromisoformat(data)

                return connected_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        connected_at = _parse_connected_at(d.pop("connected_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        channel = cls(
            id=id,
            platform=platform,
            name=name,
            status=status,
            external_id=external_id,
            display_handle=display_handle,
            health=health,
            connected_at=connected_at,
            created_at=created_at,
        )

        channel.additional_properties = d
        return channel

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
