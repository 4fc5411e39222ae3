from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.conversation_status_enum import ConversationStatusEnum
from ..models.platform_enum import PlatformEnum

if TYPE_CHECKING:
    from ..models.conversation_contact import ConversationContact
    from ..models.messaging_window import MessagingWindow


T = TypeVar("T", bound="Conversation")


@_attrs_define
class Conversation:
    """
    Attributes:
        id (str):
        channel_id (str):
        platform (PlatformEnum): * `whatsapp` - whatsapp
            * `instagram` - instagram
            * `messenger` - messenger
        contact (ConversationContact):
        status (ConversationStatusEnum): * `active` - active
            * `pending` - pending
            * `closed` - closed
        assignee_id (None | str):
        tags (list[str]):
        last_message_preview (None | str):
        last_message_at (datetime.datetime | None):
        last_inbound_at (datetime.datetime | None):
        closed_at (datetime.datetime | None):
        messaging_window (MessagingWindow):
        unread_count (int):
        message_count (int):
        livemode (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    channel_id: str
    platform: PlatformEnum
    contact: ConversationContact
    status: ConversationStatusEnum
    assignee_id: None | str
    tags: list[str]
    last_message_preview: None | str
    last_message_at: datetime.datetime | None
    last_inbound_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    messaging_window: MessagingWindow
    unread_count: int
    message_count: int
    livemode: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        channel_id = self.channel_id

        platform = self.platform.value

        contact = self.contact.to_dict()

        status = self.status.value

        assignee_id: None | str
        assignee_id = self.assignee_id

        tags = self.tags

        last_message_preview: None | str
        last_message_preview = self.last_message_preview

        last_message_at: None | str
        if isinstance(self.last_message_at, datetime.datetime):
            last_message_at = self.last_message_at.isoformat()
        else:
            last_message_at = self.last_message_at

        last_inbound_at: None | str
        if isinstance(self.last_inbound_at, datetime.datetime):
            last_inbound_at = self.last_inbound_at.isoformat()
        else:
            last_inbound_at = self.last_inbound_at

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        messaging_window = self.messaging_window.to_dict()

        unread_count = self.unread_count

        message_count = self.message_count

        livemode = self.livemode

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "channel_id": channel_id,
                "platform": platform,
                "contact": contact,
                "status": status,
                "assignee_id": assignee_id,
                "tags": tags,
                "last_message_preview": last_message_preview,
                "last_message_at": last_message_at,
                "last_inbound_at": last_inbound_at,
                "closed_at": closed_at,
                "messaging_window": messaging_window,
                "unread_count": unread_count,
                "message_count": message_count,
                "livemode": livemode,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversation_contact import ConversationContact  # noqa: PLC0415
        from ..models.messaging_window import MessagingWindow  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        channel_id = d.pop("channel_id")

        platform = PlatformEnum(d.pop("platform"))

        contact = ConversationContact.from_dict(d.pop("contact"))

        status = ConversationStatusEnum(d.pop("status"))

        def _parse_assignee_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id"))

        tags = cast(list[str], d.pop("tags"))

        def _parse_last_message_preview(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_message_preview = _parse_last_message_preview(d.pop("last_message_preview"))

        def _parse_last_message_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_message_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_message_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_message_at = _parse_last_message_at(d.pop("last_message_at"))

        def _parse_last_inbound_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_inbound_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_inbound_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_inbound_at = _parse_last_inbound_at(d.pop("last_inbound_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        messaging_window = MessagingWindow.from_dict(d.pop("messaging_window"))

        unread_count = d.pop("unread_count")

        message_count = d.pop("message_count")

        livemode = d.pop("livemode")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        conversation = cls(
            id=id,
            channel_id=channel_id,
            platform=platform,
            contact=contact,
            status=status,
            assignee_id=assignee_id,
            tags=tags,
            last_message_preview=last_message_preview,
            last_message_at=last_message_at,
            last_inbound_at=last_inbound_at,
            closed_at=closed_at,
            messaging_window=messaging_window,
            unread_count=unread_count,
            message_count=message_count,
            livemode=livemode,
            created_at=created_at,
            updated_at=updated_at,
        )

        conversation.additional_properties = d
        return conversation

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
