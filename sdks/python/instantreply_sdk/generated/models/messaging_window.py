from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MessagingWindow")


@_attrs_define
class MessagingWindow:
    """
    Attributes:
        open_ (bool):
        closes_at (datetime.datetime | None):
        human_agent_closes_at (datetime.datetime | None):
        requires_template (bool):
    """

    open_: bool
    closes_at: datetime.datetime | None
    human_agent_closes_at: datetime.datetime | None
    requires_template: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        open_ = self.open_

        closes_at: None | str
        if isinstance(self.closes_at, datetime.datetime):
            closes_at = self.closes_at.isoformat()
        else:
            closes_at = self.closes_at

        human_agent_closes_at: None | str
        if isinstance(self.human_agent_closes_at, datetime.datetime):
            human_agent_closes_at = self.human_agent_closes_at.isoformat()
        else:
            human_agent_closes_at = self.human_agent_closes_at

        requires_template = self.requires_template

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "open": open_,
                "closes_at": closes_at,
                "human_agent_closes_at": human_agent_closes_at,
                "requires_template": requires_template,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        open_ = d.pop("open")

        def _parse_closes_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closes_at_type_0 = datetime.datetime.fromisoformat(data)

                return closes_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closes_at = _parse_closes_at(d.pop("closes_at"))

        def _parse_human_agent_closes_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                human_agent_closes_at_type_0 = datetime.datetime.fromisoformat(data)

                return human_agent_closes_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        human_agent_closes_at = _parse_human_agent_closes_at(d.pop("human_agent_closes_at"))

        requires_template = d.pop("requires_template")

        messaging_window = cls(
            open_=open_,
            closes_at=closes_at,
            human_agent_closes_at=human_agent_closes_at,
            requires_template=requires_template,
        )

        messaging_window.additional_properties = d
        return messaging_window

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
