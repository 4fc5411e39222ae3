from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_category_enum import TemplateCategoryEnum

T = TypeVar("T", bound="CategoryCheck")


@_attrs_define
class CategoryCheck:
    """
    Attributes:
        fits (bool): The content reads as the requested category.
        predicted_category (TemplateCategoryEnum): * `marketing` - marketing
            * `utility` - utility
            * `authentication` - authentication
        confidence (float):
    """

    fits: bool
    predicted_category: TemplateCategoryEnum
    confidence: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fits = self.fits

        predicted_category = self.predicted_category.value

        confidence = self.confidence

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fits": fits,
                "predicted_category": predicted_category,
                "confidence": confidence,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fits = d.pop("fits")

        predicted_category = TemplateCategoryEnum(d.pop("predicted_category"))

        confidence = d.pop("confidence")

        category_check = cls(
            fits=fits,
            predicted_category=predicted_category,
            confidence=confidence,
        )

        category_check.additional_properties = d
        return category_check

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
