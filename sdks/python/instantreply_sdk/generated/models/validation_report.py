from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_category_enum import TemplateCategoryEnum

if TYPE_CHECKING:
    from ..models.cost import Cost
    from ..models.flagged_phrase import FlaggedPhrase
    from ..models.problem import Problem


T = TypeVar("T", bound="ValidationReport")


@_attrs_define
class ValidationReport:
    """
    Attributes:
        template_id (str):
        requested_category (TemplateCategoryEnum): * `marketing` - marketing
            * `utility` - utility
            * `authentication` - authentication
        predicted_category (TemplateCategoryEnum): * `marketing` - marketing
            * `utility` - utility
            * `authentication` - authentication
        fits (bool):
        confidence (float):
        flagged_phrases (list[FlaggedPhrase]):
        coaching (list[str]):
        problems (list[Problem]): What submit would refuse, as the details of its 422 VALIDATION_ERROR (e.g. examples
            that do not match the body's variables yet); empty when ready.
        cost (Cost):
    """

    template_id: str
    requested_category: TemplateCategoryEnum
    predicted_category: TemplateCategoryEnum
    fits: bool
    confidence: float
    flagged_phrases: list[FlaggedPhrase]
    coaching: list[str]
    problems: list[Problem]
    cost: Cost
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        template_id = self.template_id

        requested_category = self.requested_category.value

        predicted_category = self.predicted_category.value

        fits = self.fits

        confidence = self.confidence

        flagged_phrases = []
        for flagged_phrases_item_data in self.flagged_phrases:
            flagged_phrases_item = flagged_phrases_item_data.to_dict()
            flagged_phrases.append(flagged_phrases_item)

        coaching = self.coaching

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        cost = self.cost.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "template_id": template_id,
                "requested_category": requested_category,
                "predicted_category": predicted_category,
                "fits": fits,
                "confidence": confidence,
                "flagged_phrases": flagged_phrases,
                "coaching": coaching,
                "problems": problems,
                "cost": cost,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cost import Cost  # noqa: PLC0415
        from ..models.flagged_phrase import FlaggedPhrase  # noqa: PLC0415
        from ..models.problem import Problem  # noqa: PLC0415

        d = dict(src_dict)
        template_id = d.pop("template_id")

        requested_category = TemplateCategoryEnum(d.pop("requested_category"))

        predicted_category = TemplateCategoryEnum(d.pop("predicted_category"))

        fits = d.pop("fits")

        confidence = d.pop("confidence")

        flagged_phrases = []
        _flagged_phrases = d.pop("flagged_phrases")
        for flagged_phrases_item_data in _flagged_phrases:
            flagged_phrases_item = FlaggedPhrase.from_dict(flagged_phrases_item_data)

            flagged_phrases.append(flagged_phrases_item)

        coaching = cast(list[str], d.pop("coaching"))

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = Problem.from_dict(problems_item_data)

            problems.append(problems_item)

        cost = Cost.from_dict(d.pop("cost"))

        validation_report = cls(
            template_id=template_id,
            requested_category=requested_category,
            predicted_category=predicted_category,
            fits=fits,
            confidence=confidence,
            flagged_phrases=flagged_phrases,
            coaching=coaching,
            problems=problems,
            cost=cost,
        )

        validation_report.additional_properties = d
        return validation_report

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
