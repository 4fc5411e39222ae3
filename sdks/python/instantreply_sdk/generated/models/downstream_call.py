from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.service_enum import ServiceEnum

T = TypeVar("T", bound="DownstreamCall")


@_attrs_define
class DownstreamCall:
    """
    Attributes:
        id (str):
        service (ServiceEnum): * `meta_graph` - meta_graph
            * `webhook` - webhook
        method (str):
        url (str):
        status (int | None):
        duration_ms (int | None):
        error (None | str):
        created_at (datetime.datetime):
        request_body (Any):
        response_body (Any):
    """

    id: str
    service: ServiceEnum
    method: str
    url: str
    status: int | None
    duration_ms: int | None
    error: None | str
    created_at: datetime.datetime
    request_body: Any
    response_body: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        service = self.service.value

        method = self.method

        url = self.url

        status: int | None
        status = self.status

        duration_ms: int | None
        duration_ms = self.duration_ms

        error: None | str
        error = self.error

        created_at = self.created_at.isoformat()

        request_body = self.request_body

        response_body = self.response_body

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "service": service,
                "method": method,
                "url": url,
                "status": status,
                "duration_ms": duration_ms,
                "error": error,
                "created_at": created_at,
                "request_body": request_body,
                "response_body": response_body,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        service = ServiceEnum(d.pop("service"))

        method = d.pop("method")

        url = d.pop("url")

        def _parse_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status = _parse_status(d.pop("status"))

        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        request_body = d.pop("request_body")

        response_body = d.pop("response_body")

        downstream_call = cls(
            id=id,
            service=service,
            method=method,
            url=url,
            status=status,
            duration_ms=duration_ms,
            error=error,
            created_at=created_at,
            request_body=request_body,
            response_body=response_body,
        )

        downstream_call.additional_properties = d
        return downstream_call

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
