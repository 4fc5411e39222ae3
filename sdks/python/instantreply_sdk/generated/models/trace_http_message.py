from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.trace_http_message_headers import TraceHttpMessageHeaders


T = TypeVar("T", bound="TraceHttpMessage")


@_attrs_define
class TraceHttpMessage:
    """
    Attributes:
        headers (TraceHttpMessageHeaders):
        body (Any):
        body_truncated (bool):
    """

    headers: TraceHttpMessageHeaders
    body: Any
    body_truncated: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        headers = self.headers.to_dict()

        body = self.body

        body_truncated = self.body_truncated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "headers": headers,
                "body": body,
                "body_truncated": body_truncated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trace_http_message_headers import TraceHttpMessageHeaders  # noqa: PLC0415

        d = dict(src_dict)
        headers = TraceHttpMessageHeaders.from_dict(d.pop("headers"))

        body = d.pop("body")

        body_truncated = d.pop("body_truncated")

        trace_http_message = cls(
            headers=headers,
            body=body,
            body_truncated=body_truncated,
        )

        trace_http_message.additional_properties = d
        return trace_http_message

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
