from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.direction_enum import DirectionEnum
from ..models.message_status_enum import MessageStatusEnum
from ..models.message_type_enum import MessageTypeEnum

if TYPE_CHECKING:
    from ..models.delivery_error import DeliveryError
    from ..models.message_template import MessageTemplate
    from ..models.sender import Sender


T = TypeVar("T", bound="Message")


@_attrs_define
class Message:
    """
    Attributes:
        id (str):
        conversation_id (str):
        direction (DirectionEnum): * `inbound` - inbound
            * `outbound` - outbound
        type_ (MessageTypeEnum): * `text` - text
            * `template` - template
            * `image` - image
            * `video` - video
            * `audio` - audio
            * `document` - document
            * `sticker` - sticker
            * `location` - location
            * `reaction` - reaction
            * `unsupported` - unsupported
        text (None | str):
        template (MessageTemplate | None):
        status (MessageStatusEnum): * `received` - received
            * `queued` - queued
            * `sending` - sending
            * `sent` - sent
            * `delivered` - delivered
            * `read` - read
            * `failed` - failed
        sender (Sender):
        trigger_id (None | str):
        external_id (None | str):
        error (DeliveryError | None):
        sent_at (datetime.datetime | None):
        livemode (bool):
        created_at (datetime.datetime):
        status_updated_at (datetime.datetime):
    """

    id: str
    conversation_id: str
    direction: DirectionEnum
    type_: MessageTypeEnum
    text: None | str
    template: MessageTemplate | None
    status: MessageStatusEnum
    sender: Sender
    trigger_id: None | str
    external_id: None | str
    error: DeliveryError | None
    sent_at: datetime.datetime | None
    livemode: bool
    created_at: datetime.datetime
    status_updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415
        from ..models.message_template import MessageTemplate  # noqa: PLC0415

        id = self.id

        conversation_id = self.conversation_id

        direction = self.direction.value

        type_ = self.type_.value

        text: None | str
        text = self.text

        template: dict[str, Any] | None
        if isinstance(self.template, MessageTemplate):
            template = self.template.to_dict()
        else:
            template = self.template

        status = self.status.value

        sender = self.sender.to_dict()

        trigger_id: None | str
        trigger_id = self.trigger_id

        external_id: None | str
        external_id = self.external_id

        error: dict[str, Any] | None
        if isinstance(self.error, DeliveryError):
            error = self.error.to_dict()
        else:
            error = self.error

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        livemode = self.livemode

        created_at = self.created_at.isoformat()

        status_updated_at = self.status_updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "conversation_id": conversation_id,
                "direction": direction,
                "type": type_,
                "text": text,
                "template": template,
                "status": status,
                "sender": sender,
                "trigger_id": trigger_id,
                "external_id": external_id,
                "error": error,
                "sent_at": sent_at,
                "livemode": livemode,
                "created_at": created_at,
                "status_updated_at": status_updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415
        from ..models.message_template import MessageTemplate  # noqa: PLC0415
        from ..models.sender import Sender  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        conversation_id = d.pop("conversation_id")

        direction = DirectionEnum(d.pop("direction"))

        type_ = MessageTypeEnum(d.pop("type"))

        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))

        def _parse_template(data: object) -> MessageTemplate | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                template_type_1 = MessageTemplate.from_dict(data)

                return template_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MessageTemplate | None, data)

        template = _parse_template(d.pop("template"))

        status = MessageStatusEnum(d.pop("status"))

        sender = Sender.from_dict(d.pop("sender"))

        def _parse_trigger_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        trigger_id = _parse_trigger_id(d.pop("trigger_id"))

        def _parse_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_id = _parse_external_id(d.pop("external_id"))

        def _parse_error(data: object) -> DeliveryError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = DeliveryError.from_dict(data)

                return error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliveryError | None, data)

        error = _parse_error(d.pop("error"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        livemode = d.pop("livemode")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        status_updated_at = datetime.datetime.fromisoformat(d.pop("status_updated_at"))

        message = cls(
            id=id,
            conversation_id=conversation_id,
            direction=direction,
            type_=type_,
            text=text,
            template=template,
            status=status,
            sender=sender,
            trigger_id=trigger_id,
            external_id=external_id,
            error=error,
            sent_at=sent_at,
            livemode=livemode,
            created_at=created_at,
            status_updated_at=status_updated_at,
        )

        message.additional_properties = d
        return message

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
