from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.code_enum import CodeEnum

if TYPE_CHECKING:
    from ..models.error_detail import ErrorDetail


T = TypeVar("T", bound="ErrorBody")


@_attrs_define
class ErrorBody:
    """
    Attributes:
        code (CodeEnum): * `AUTHENTICATION_REQUIRED` - AUTHENTICATION_REQUIRED
            * `CHANNEL_UNAVAILABLE` - CHANNEL_UNAVAILABLE
            * `IDEMPOTENCY_KEY_IN_USE` - IDEMPOTENCY_KEY_IN_USE
            * `IDEMPOTENCY_KEY_REUSED` - IDEMPOTENCY_KEY_REUSED
            * `INSUFFICIENT_SCOPE` - INSUFFICIENT_SCOPE
            * `INTERNAL_ERROR` - INTERNAL_ERROR
            * `INVALID_API_KEY` - INVALID_API_KEY
            * `INVALID_CURSOR` - INVALID_CURSOR
            * `INVALID_DATE_RANGE` - INVALID_DATE_RANGE
            * `INVALID_IDEMPOTENCY_KEY` - INVALID_IDEMPOTENCY_KEY
            * `INVALID_JSON` - INVALID_JSON
            * `INVALID_PLATFORM` - INVALID_PLATFORM
            * `INVALID_SIGNATURE` - INVALID_SIGNATURE
            * `INVALID_VERIFY_TOKEN` - INVALID_VERIFY_TOKEN
            * `INVALID_WEBHOOK_URL` - INVALID_WEBHOOK_URL
            * `LIMIT_EXCEEDED` - LIMIT_EXCEEDED
            * `METHOD_NOT_ALLOWED` - METHOD_NOT_ALLOWED
            * `OUTSIDE_MESSAGING_WINDOW` - OUTSIDE_MESSAGING_WINDOW
            * `PAYLOAD_TOO_LARGE` - PAYLOAD_TOO_LARGE
            * `RATE_LIMITED` - RATE_LIMITED
            * `RESOURCE_NOT_FOUND` - RESOURCE_NOT_FOUND
            * `ROUTE_NOT_FOUND` - ROUTE_NOT_FOUND
            * `SERVICE_UNAVAILABLE` - SERVICE_UNAVAILABLE
            * `TEMPLATE_NAME_TAKEN` - TEMPLATE_NAME_TAKEN
            * `TEMPLATE_NOT_APPROVED` - TEMPLATE_NOT_APPROVED
            * `TEMPLATE_NOT_EDITABLE` - TEMPLATE_NOT_EDITABLE
            * `TEST_MODE_ONLY` - TEST_MODE_ONLY
            * `UNKNOWN_ERROR_CODE` - UNKNOWN_ERROR_CODE
            * `UNSUPPORTED_MEDIA_TYPE` - UNSUPPORTED_MEDIA_TYPE
            * `VALIDATION_ERROR` - VALIDATION_ERROR
        message (str):
        doc_url (str):
        request_id (str):
        details (list[ErrorDetail]):
    """

    code: CodeEnum
    message: str
    doc_url: str
    request_id: str
    details: list[ErrorDetail]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        message = self.message

        doc_url = self.doc_url

        request_id = self.request_id

        details = []
        for details_item_data in self.details:
            details_item = details_item_data.to_dict()
            details.append(details_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "doc_url": doc_url,
                "request_id": request_id,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_detail import ErrorDetail  # noqa: PLC0415

        d = dict(src_dict)
        code = CodeEnum(d.pop("code"))

        message = d.pop("message")

        doc_url = d.pop("doc_url")

        request_id = d.pop("request_id")

        details = []
        _details = d.pop("details")
        for details_item_data in _details:
            details_item = ErrorDetail.from_dict(details_item_data)

            details.append(details_item)

        error_body = cls(
            code=code,
            message=message,
            doc_url=doc_url,
            request_id=request_id,
            details=details,
        )

        error_body.additional_properties = d
        return error_body

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
