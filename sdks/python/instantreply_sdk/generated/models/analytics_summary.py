from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.contacts import Contacts
    from ..models.conversations import Conversations
    from ..models.day import Day
    from ..models.first_response import FirstResponse
    from ..models.messages import Messages
    from ..models.platform import Platform


T = TypeVar("T", bound="AnalyticsSummary")


@_attrs_define
class AnalyticsSummary:
    """
    Attributes:
        start_date (datetime.date):
        end_date (datetime.date):
        timezone (str):
        conversations (Conversations):
        messages (Messages):
        contacts (Contacts):
        first_response_seconds (FirstResponse | None): From an inbound message that opened or re-opened a conversation
            to the first outbound reply; null when there were no replies.
        by_day (list[Day]):
        by_platform (list[Platform]):
    """

    start_date: datetime.date
    end_date: datetime.date
    timezone: str
    conversations: Conversations
    messages: Messages
    contacts: Contacts
    first_response_seconds: FirstResponse | None
    by_day: list[Day]
    by_platform: list[Platform]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.first_response import FirstResponse  # noqa: PLC0415

        start_date = self.start_date.isoformat()

        end_date = self.end_date.isoformat()

        timezone = self.timezone

        conversations = self.conversations.to_dict()

        messages = self.messages.to_dict()

        contacts = self.contacts.to_dict()

        first_response_seconds: dict[str, Any] | None
        if isinstance(self.first_response_seconds, FirstResponse):
            first_response_seconds = self.first_response_seconds.to_dict()
        else:
            first_response_seconds = self.first_response_seconds

        by_day = []
        for by_day_item_data in self.by_day:
            by_day_item = by_day_item_data.to_dict()
            by_day.append(by_day_item)

        by_platform = []
        for by_platform_item_data in self.by_platform:
            by_platform_item = by_platform_item_data.to_dict()
            by_platform.append(by_platform_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start_date": start_date,
                "end_date": end_date,
                "timezone": timezone,
                "conversations": conversations,
                "messages": messages,
                "contacts": contacts,
                "first_response_seconds": first_response_seconds,
                "by_day": by_day,
                "by_platform": by_platform,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contacts import Contacts  # noqa: PLC0415
        from ..models.conversations import Conversations  # noqa: PLC0415
        from ..models.day import Day  # noqa: PLC0415
        from ..models.first_response import FirstResponse  # noqa: PLC0415
        from ..models.messages import Messages  # noqa: PLC0415
        from ..models.platform import Platform  # noqa: PLC0415

        d = dict(src_dict)
        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        end_date = datetime.date.fromisoformat(d.pop("end_date"))

        timezone = d.pop("timezone")

        conversations = Conversations.from_dict(d.pop("conversations"))

        messages = Messages.from_dict(d.pop("messages"))

        contacts = Contacts.from_dict(d.pop("contacts"))

        def _parse_first_response_seconds(data: object) -> FirstResponse | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_response_seconds_type_1 = FirstResponse.from_dict(data)

                return first_response_seconds_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FirstResponse | None, data)

        first_response_seconds = _parse_first_response_seconds(d.pop("first_response_seconds"))

        by_day = []
        _by_day = d.pop("by_day")
        for by_day_item_data in _by_day:
            by_day_item = Day.from_dict(by_day_item_data)

            by_day.append(by_day_item)

        by_platform = []
        _by_platform = d.pop("by_platform")
        for by_platform_item_data in _by_platform:
            by_platform_item = Platform.from_dict(by_platform_item_data)

            by_platform.append(by_platform_item)

        analytics_summary = cls(
            start_date=start_date,
            end_date=end_date,
            timezone=timezone,
            conversations=conversations,
            messages=messages,
            contacts=contacts,
            first_response_seconds=first_response_seconds,
            by_day=by_day,
            by_platform=by_platform,
        )

        analytics_summary.additional_properties = d
        return analytics_summary

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
