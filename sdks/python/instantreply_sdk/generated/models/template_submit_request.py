from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.simulate_template_request import SimulateTemplateRequest


T = TypeVar("T", bound="TemplateSubmitRequest")


@_attrs_define
class TemplateSubmitRequest:
    """
    Attributes:
        simulate (SimulateTemplateRequest | Unset):
    """

    simulate: SimulateTemplateRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        simulate: dict[str, Any] | Unset = UNSET
        if not isinstance(self.simulate, Unset):
            simulate = self.simulate.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if simulate is not UNSET:
            field_dict["simulate"] = simulate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simulate_template_request import SimulateTemplateRequest  # noqa: PLC0415

        d = dict(src_dict)
        _simulate = d.pop("simulate", UNSET)
        simulate: SimulateTemplateRequest | Unset
        if isinstance(_simulate, Unset):
            simulate = UNSET
        else:
            simulate = SimulateTemplateRequest.from_dict(_simulate)

        template_submit_request = cls(
            simulate=simulate,
        )

        template_submit_request.additional_properties = d
        return template_submit_request

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
