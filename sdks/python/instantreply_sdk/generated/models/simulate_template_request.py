from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.review_enum import ReviewEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="SimulateTemplateRequest")


@_attrs_define
class SimulateTemplateRequest:
    """
    Attributes:
        review (ReviewEnum): * `approved` - approved
            * `rejected` - rejected
        reason (str | Unset):
    """

    review: ReviewEnum
    reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        review = self.review.value

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "review": review,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        review = ReviewEnum(d.pop("review"))

        reason = d.pop("reason", UNSET)

        simulate_template_request = cls(
            review=review,
            reason=reason,
        )

        simulate_template_request.additional_properties = d
        return simulate_template_request

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
