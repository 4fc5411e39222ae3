from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event_type_enum import WebhookEventTypeEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_data import EventData
    from ..models.event_previous_attributes import EventPreviousAttributes


T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """
    Attributes:
        id (str):
        type_ (WebhookEventTypeEnum): * `conversation.created` - conversation.created
            * `conversation.updated` - conversation.updated
            * `message.received` - message.received
            * `message.sent` - message.sent
            * `message.delivered` - message.delivered
            * `message.read` - message.read
            * `message.failed` - message.failed
            * `contact.created` - contact.created
            * `contact.updated` - contact.updated
            * `template.status_updated` - template.status_updated
            * `channel.status_updated` - channel.status_updated
            * `webhook.test` - webhook.test
        created_at (datetime.datetime):
        workspace_id (str):
        livemode (bool):
        data (EventData):
        previous_attributes (EventPreviousAttributes | Unset): only on *.updated events: the changed fields' old values
    """

    id: str
    type_: WebhookEventTypeEnum
    created_at: datetime.datetime
    workspace_id: str
    livemode: bool
    data: EventData
    previous_attributes: EventPreviousAttributes | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        created_at = self.created_at.isoformat()

        workspace_id = self.workspace_id

        livemode = self.livemode

        data = self.data.to_dict()

        previous_attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.previous_attributes, Unset):
            previous_attributes = self.previous_attributes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "created_at": created_at,
                "workspace_id": workspace_id,
                "livemode": livemode,
                "data": data,
            }
        )
        if previous_attributes is not UNSET:
            field_dict["previous_attributes"] = previous_attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData  # noqa: PLC0415
        from ..models.event_previous_attributes import EventPreviousAttributes  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = WebhookEventTypeEnum(d.pop("type"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        workspace_id = d.pop("workspace_id")

        livemode = d.pop("livemode")

        data = EventData.from_dict(d.pop("data"))

        _previous_attributes = d.pop("previous_attributes", UNSET)
        previous_attributes: EventPreviousAttributes | Unset
        if isinstance(_previous_attributes, Unset):
            previous_attributes = UNSET
        else:
            previous_attributes = EventPreviousAttributes.from_dict(_previous_attributes)

        event = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            workspace_id=workspace_id,
            livemode=livemode,
            data=data,
            previous_attributes=previous_attributes,
        )

        event.additional_properties = d
        return event

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
