from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.idempotency_info import IdempotencyInfo
    from ..models.pagination_info import PaginationInfo
    from ..models.quotas import Quotas
    from ..models.rate_limit_info import RateLimitInfo
    from ..models.webhook_info import WebhookInfo


T = TypeVar("T", bound="Limits")


@_attrs_define
class Limits:
    """
    Attributes:
        tier (str):
        rate_limit (RateLimitInfo):
        quotas (Quotas):
        pagination (PaginationInfo):
        idempotency (IdempotencyInfo):
        webhooks (WebhookInfo):
    """

    tier: str
    rate_limit: RateLimitInfo
    quotas: Quotas
    pagination: PaginationInfo
    idempotency: IdempotencyInfo
    webhooks: WebhookInfo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tier = self.tier

        rate_limit = self.rate_limit.to_dict()

        quotas = self.quotas.to_dict()

        pagination = self.pagination.to_dict()

        idempotency = self.idempotency.to_dict()

        webhooks = self.webhooks.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tier": tier,
                "rate_limit": rate_limit,
                "quotas": quotas,
                "pagination": pagination,
                "idempotency": idempotency,
                "webhooks": webhooks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.idempotency_info import IdempotencyInfo  # noqa: PLC0415
        from ..models.pagination_info import PaginationInfo  # noqa: PLC0415
        from ..models.quotas import Quotas  # noqa: PLC0415
        from ..models.rate_limit_info import RateLimitInfo  # noqa: PLC0415
        from ..models.webhook_info import WebhookInfo  # noqa: PLC0415

        d = dict(src_dict)
        tier = d.pop("tier")

        rate_limit = RateLimitInfo.from_dict(d.pop("rate_limit"))

        quotas = Quotas.from_dict(d.pop("quotas"))

        pagination = PaginationInfo.from_dict(d.pop("pagination"))

        idempotency = IdempotencyInfo.from_dict(d.pop("idempotency"))

        webhooks = WebhookInfo.from_dict(d.pop("webhooks"))

        limits = cls(
            tier=tier,
            rate_limit=rate_limit,
            quotas=quotas,
            pagination=pagination,
            idempotency=idempotency,
            webhooks=webhooks,
        )

        limits.additional_properties = d
        return limits

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
