from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FlaggedPhrase")


@_attrs_define
class FlaggedPhrase:
    """
    Attributes:
        phrase (str):
        start (int): Offset of the first character in the component's text.
        end (int): Offset just past the last character.
        component (str): header, body, footer or buttons[i]
        signal (str):
        reason (str):
        suggestion (str):
    """

    phrase: str
    start: int
    end: int
    component: str
    signal: str
    reason: str
    suggestion: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        phrase = self.phrase

        start = self.start

        end = self.end

        component = self.component

        signal = self.signal

        reason = self.reason

        suggestion = self.suggestion

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "phrase": phrase,
                "start": start,
                "end": end,
                "component": component,
                "signal": signal,
                "reason": reason,
                "suggestion": suggestion,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        phrase = d.pop("phrase")

        start = d.pop("start")

        end = d.pop("end")

        component = d.pop("component")

        signal = d.pop("signal")

        reason = d.pop("reason")

        suggestion = d.pop("suggestion")

        flagged_phrase = cls(
            phrase=phrase,
            start=start,
            end=end,
            component=component,
            signal=signal,
            reason=reason,
            suggestion=suggestion,
        )

        flagged_phrase.additional_properties = d
        return flagged_phrase

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
