from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.source_enum import SourceEnum

T = TypeVar("T", bound="ErrorExplanation")


@_attrs_define
class ErrorExplanation:
    """
    Attributes:
        code (str):
        source (SourceEnum): * `meta` - meta
            * `platform` - platform
        title (str):
        explanation (str):
        fault (str):
        retryable (bool):
        next_steps (list[str]):
        doc_url (str):
        related_codes (list[str]):
    """

    code: str
    source: SourceEnum
    title: str
    explanation: str
    fault: str
    retryable: bool
    next_steps: list[str]
    doc_url: str
    related_codes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        source = self.source.value

        title = self.title

        explanation = self.explanation

        fault = self.fault

        retryable = self.retryable

        next_steps = self.next_steps

        doc_url = self.doc_url

        related_codes = self.related_codes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "source": source,
                "title": title,
                "explanation": explanation,
                "fault": fault,
                "retryable": retryable,
                "next_steps": next_steps,
                "doc_url": doc_url,
                "related_codes": related_codes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        source = SourceEnum(d.pop("source"))

        title = d.pop("title")

        explanation = d.pop("explanation")

        fault = d.pop("fault")

        retryable = d.pop("retryable")

        next_steps = cast(list[str], d.pop("next_steps"))

        doc_url = d.pop("doc_url")

        related_codes = cast(list[str], d.pop("related_codes"))

        error_explanation = cls(
            code=code,
            source=source,
            title=title,
            explanation=explanation,
            fault=fault,
            retryable=retryable,
            next_steps=next_steps,
            doc_url=doc_url,
            related_codes=related_codes,
        )

        error_explanation.additional_properties = d
        return error_explanation

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
