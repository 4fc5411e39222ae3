from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from ..models.webhook_event_type_enum import WebhookEventTypeEnum

T = TypeVar("T", bound="WebhookDelivery")


@_attrs_define
class WebhookDelivery:
    """
    Attributes:
        id (str):
        event_id (str):
        event_type (WebhookEventTypeEnum): * `conversation.created` - conversation.created
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
        attempt (int):
        status (WebhookDeliveryStatusEnum): * `succeeded` - succeeded
            * `failed` - failed
            * `pending` - pending
        response_status (int | None):
        duration_ms (int | None):
        response_body (None | str):
        error (None | str):
        created_at (datetime.datetime):
        next_attempt_at (datetime.datetime | None):
    """

    id: str
    event_id: str
    event_type: WebhookEventTypeEnum
    attempt: int
    status: WebhookDeliveryStatusEnum
    response_status: int | None
    duration_ms: int | None
    response_body: None | str
    error: None | str
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event_id = self.event_id

        event_type = self.event_type.value

        attempt = self.attempt

        status = self.status.value

        response_status: int | None
        response_status = self.response_status

        duration_ms: int | None
        duration_ms = self.duration_ms

        response_body: None | str
        response_body = self.response_body

        error: None | str
        error = self.error

        created_at = self.created_at.isoformat()

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "event_id": event_id,
                "event_type": event_type,
                "attempt": attempt,
                "status": status,
                "response_status": response_status,
                "duration_ms": duration_ms,
                "response_body": response_body,
                "error": error,
                "created_at": created_at,
                "next_attempt_at": next_attempt_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        event_id = d.pop("event_id")

        event_type = WebhookEventTypeEnum(d.pop("event_type"))

        attempt = d.pop("attempt")

        status = WebhookDeliveryStatusEnum(d.pop("status"))

        def _parse_response_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_status = _parse_response_status(d.pop("response_status"))

        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        def _parse_response_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_body = _parse_response_body(d.pop("response_body"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        webhook_delivery = cls(
            id=id,
            event_id=event_id,
            event_type=event_type,
            attempt=attempt,
            status=status,
            response_status=response_status,
            duration_ms=duration_ms,
            response_body=response_body,
            error=error,
            created_at=created_at,
            next_attempt_at=next_attempt_at,
        )

        webhook_delivery.additional_properties = d
        return webhook_delivery

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
