from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.usage_messages import UsageMessages
    from ..models.usage_period import UsagePeriod
    from ..models.usage_rate_limit import UsageRateLimit
    from ..models.usage_requests import UsageRequests


T = TypeVar("T", bound="Usage")


@_attrs_define
class Usage:
    """
    Attributes:
        tier (str):
        period (UsagePeriod):
        requests (UsageRequests):
        rate_limit (UsageRateLimit):
        messages (UsageMessages):
    """

    tier: str
    period: UsagePeriod
    requests: UsageRequests
    rate_limit: UsageRateLimit
    messages: UsageMessages
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tier = self.tier

        period = self.period.to_dict()

        requests = self.requests.to_dict()

        rate_limit = self.rate_limit.to_dict()

        messages = self.messages.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tier": tier,
                "period": period,
                "requests": requests,
                "rate_limit": rate_limit,
                "messages": messages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_messages import UsageMessages  # noqa: PLC0415
        from ..models.usage_period import UsagePeriod  # noqa: PLC0415
        from ..models.usage_rate_limit import UsageRateLimit  # noqa: PLC0415
        from ..models.usage_requests import UsageRequests  # noqa: PLC0415

        d = dict(src_dict)
        tier = d.pop("tier")

        period = UsagePeriod.from_dict(d.pop("period"))

        requests = UsageRequests.from_dict(d.pop("requests"))

        rate_limit = UsageRateLimit.from_dict(d.pop("rate_limit"))

        messages = UsageMessages.from_dict(d.pop("messages"))

        usage = cls(
            tier=tier,
            period=period,
            requests=requests,
            rate_limit=rate_limit,
            messages=messages,
        )

        usage.additional_properties = d
        return usage

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
