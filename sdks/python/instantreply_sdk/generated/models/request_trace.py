from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.downstream_call import DownstreamCall
    from ..models.request_trace_query import RequestTraceQuery
    from ..models.trace_http_message import TraceHttpMessage


T = TypeVar("T", bound="RequestTrace")


@_attrs_define
class RequestTrace:
    """
    Attributes:
        id (str):
        method (str):
        path (str):
        query (RequestTraceQuery):
        status (int):
        duration_ms (int):
        api_key_id (None | str):
        idempotency_key (None | str):
        replayed (bool):
        created_at (datetime.datetime):
        request (TraceHttpMessage):
        response (TraceHttpMessage):
        downstream_calls (list[DownstreamCall]):
    """

    id: str
    method: str
    path: str
    query: RequestTraceQuery
    status: int
    duration_ms: int
    api_key_id: None | str
    idempotency_key: None | str
    replayed: bool
    created_at: datetime.datetime
    request: TraceHttpMessage
    response: TraceHttpMessage
    downstream_calls: list[DownstreamCall]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        method = self.method

        path = self.path

        query = self.query.to_dict()

        status = self.status

        duration_ms = self.duration_ms

        api_key_id: None | str
        api_key_id = self.api_key_id

        idempotency_key: None | str
        idempotency_key = self.idempotency_key

        replayed = self.replayed

        created_at = self.created_at.isoformat()

        request = self.request.to_dict()

        response = self.response.to_dict()

        downstream_calls = []
        for downstream_calls_item_data in self.downstream_calls:
            downstream_calls_item = downstream_calls_item_data.to_dict()
            downstream_calls.append(downstream_calls_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "duration_ms": duration_ms,
                "api_key_id": api_key_id,
                "idempotency_key": idempotency_key,
                "replayed": replayed,
                "created_at": created_at,
                "request": request,
                "response": response,
                "downstream_calls": downstream_calls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.downstream_call import DownstreamCall  # noqa: PLC0415
        from ..models.request_trace_query import RequestTraceQuery  # noqa: PLC0415
        from ..models.trace_http_message import TraceHttpMessage  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        method = d.pop("method")

        path = d.pop("path")

        query = RequestTraceQuery.from_dict(d.pop("query"))

        status = d.pop("status")

        duration_ms = d.pop("duration_ms")

        def _parse_api_key_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        api_key_id = _parse_api_key_id(d.pop("api_key_id"))

        def _parse_idempotency_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotency_key"))

        replayed = d.pop("replayed")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        request = TraceHttpMessage.from_dict(d.pop("request"))

        response = TraceHttpMessage.from_dict(d.pop("response"))

        downstream_calls = []
        _downstream_calls = d.pop("downstream_calls")
        for downstream_calls_item_data in _downstream_calls:
            downstream_calls_item = DownstreamCall.from_dict(downstream_calls_item_data)

            downstream_calls.append(downstream_calls_item)

        request_trace = cls(
            id=id,
            method=method,
            path=path,
            query=query,
            status=status,
            duration_ms=duration_ms,
            api_key_id=api_key_id,
            idempotency_key=idempotency_key,
            replayed=replayed,
            created_at=created_at,
            request=request,
            response=response,
            downstream_calls=downstream_calls,
        )

        request_trace.additional_properties = d
        return request_trace

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
