from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform_enum import PlatformEnum
from ..models.state_enum import StateEnum
from ..models.trigger_fault_enum import TriggerFaultEnum

if TYPE_CHECKING:
    from ..models.delivery_error import DeliveryError
    from ..models.timeline_entry import TimelineEntry
    from ..models.trigger_metadata import TriggerMetadata


T = TypeVar("T", bound="Trigger")


@_attrs_define
class Trigger:
    """
    Attributes:
        id (str):
        message_id (str):
        conversation_id (str):
        contact_id (str):
        channel_id (str):
        platform (PlatformEnum): * `whatsapp` - whatsapp
            * `instagram` - instagram
            * `messenger` - messenger
        template_id (None | str):
        metadata (TriggerMetadata):
        state (StateEnum): * `queued` - queued
            * `sending` - sending
            * `sent` - sent
            * `delivered` - delivered
            * `read` - read
            * `failed` - failed
        summary (str):
        fault (TriggerFaultEnum): * `none` - none
            * `instantreply` - instantreply
            * `meta` - meta
            * `business` - business
            * `recipient` - recipient
            * `unknown` - unknown
        next_step (None | str):
        retryable (bool):
        error (DeliveryError | None):
        timeline (list[TimelineEntry]):
        status_url (str):
        livemode (bool):
        created_at (datetime.datetime):
    """

    id: str
    message_id: str
    conversation_id: str
    contact_id: str
    channel_id: str
    platform: PlatformEnum
    template_id: None | str
    metadata: TriggerMetadata
    state: StateEnum
    summary: str
    fault: TriggerFaultEnum
    next_step: None | str
    retryable: bool
    error: DeliveryError | None
    timeline: list[TimelineEntry]
    status_url: str
    livemode: bool
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        id = self.id

        message_id = self.message_id

        conversation_id = self.conversation_id

        contact_id = self.contact_id

        channel_id = self.channel_id

        platform = self.platform.value

        template_id: None | str
        template_id = self.template_id

        metadata = self.metadata.to_dict()

        state = self.state.value

        summary = self.summary

        fault = self.fault.value

        next_step: None | str
        next_step = self.next_step

        retryable = self.retryable

        error: dict[str, Any] | None
        if isinstance(self.error, DeliveryError):
            error = self.error.to_dict()
        else:
            error = self.error

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)

        status_url = self.status_url

        livemode = self.livemode

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "message_id": message_id,
                "conversation_id": conversation_id,
                "contact_id": contact_id,
                "channel_id": channel_id,
                "platform": platform,
                "template_id": template_id,
                "metadata": metadata,
                "state": state,
                "summary": summary,
                "fault": fault,
                "next_step": next_step,
                "retryable": retryable,
                "error": error,
                "timeline": timeline,
                "status_url": status_url,
                "livemode": livemode,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415
        from ..models.trigger_metadata import TriggerMetadata  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        message_id = d.pop("message_id")

        conversation_id = d.pop("conversation_id")

        contact_id = d.pop("contact_id")

        channel_id = d.pop("channel_id")

        platform = PlatformEnum(d.pop("platform"))

        def _parse_template_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        template_id = _parse_template_id(d.pop("template_id"))

        metadata = TriggerMetadata.from_dict(d.pop("metadata"))

        state = StateEnum(d.pop("state"))

        summary = d.pop("summary")

        fault = TriggerFaultEnum(d.pop("fault"))

        def _parse_next_step(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_step = _parse_next_step(d.pop("next_step"))

        retryable = d.pop("retryable")

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

        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in _timeline:
            timeline_item = TimelineEntry.from_dict(timeline_item_data)

            timeline.append(timeline_item)

        status_url = d.pop("status_url")

        livemode = d.pop("livemode")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        trigger = cls(
            id=id,
            message_id=message_id,
            conversation_id=conversation_id,
            contact_id=contact_id,
            channel_id=channel_id,
            platform=platform,
            template_id=template_id,
            metadata=metadata,
            state=state,
            summary=summary,
            fault=fault,
            next_step=next_step,
            retryable=retryable,
            error=error,
            timeline=timeline,
            status_url=status_url,
            livemode=livemode,
            created_at=created_at,
        )

        trigger.additional_properties = d
        return trigger

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
