from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_error_fault_enum import DeliveryErrorFaultEnum
from ..models.source_enum import SourceEnum

T = TypeVar("T", bound="DeliveryError")


@_attrs_define
class DeliveryError:
    """
    Attributes:
        source (SourceEnum): * `meta` - meta
            * `platform` - platform
        code (str):
        title (str):
        message (str):
        fault (DeliveryErrorFaultEnum): * `instantreply` - instantreply
            * `meta` - meta
            * `business` - business
            * `recipient` - recipient
            * `unknown` - unknown
        doc_url (str):
    """

    source: SourceEnum
    code: str
    title: str
    message: str
    fault: DeliveryErrorFaultEnum
    doc_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source.value

        code = self.code

        title = self.title

        message = self.message

        fault = self.fault.value

        doc_url = self.doc_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "code": code,
                "title": title,
                "message": message,
                "fault": fault,
                "doc_url": doc_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = SourceEnum(d.pop("source"))

        code = d.pop("code")

        title = d.pop("title")

        message = d.pop("message")

        fault = DeliveryErrorFaultEnum(d.pop("fault"))

        doc_url = d.pop("doc_url")

        delivery_error = cls(
            source=source,
            code=code,
            title=title,
            message=message,
            fault=fault,
            doc_url=doc_url,
        )

        delivery_error.additional_properties = d
        return delivery_error

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
