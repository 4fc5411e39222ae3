from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.onboarding_step import OnboardingStep


T = TypeVar("T", bound="Onboarding")


@_attrs_define
class Onboarding:
    """
    Attributes:
        steps (list[OnboardingStep]):
        completed (int):
        total (int):
        next_step (None | str): The id of the first undone step; null when all are done.
    """

    steps: list[OnboardingStep]
    completed: int
    total: int
    next_step: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        completed = self.completed

        total = self.total

        next_step: None | str
        next_step = self.next_step

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "steps": steps,
                "completed": completed,
                "total": total,
                "next_step": next_step,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.onboarding_step import OnboardingStep  # noqa: PLC0415

        d = dict(src_dict)
        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = OnboardingStep.from_dict(steps_item_data)

            steps.append(steps_item)

        completed = d.pop("completed")

        total = d.pop("total")

        def _parse_next_step(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_step = _parse_next_step(d.pop("next_step"))

        onboarding = cls(
            steps=steps,
            completed=completed,
            total=total,
            next_step=next_step,
        )

        onboarding.additional_properties = d
        return onboarding

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
