from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lead_stage_enum import LeadStageEnum
from ..models.lead_temperature_enum import LeadTemperatureEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedContactUpdateRequest")


@_attrs_define
class PatchedContactUpdateRequest:
    """
    Attributes:
        name (None | str | Unset):
        email (None | str | Unset):
        lead_stage (LeadStageEnum | Unset): * `new` - new
            * `engaged` - engaged
            * `qualified` - qualified
            * `customer` - customer
            * `lost` - lost
        lead_temperature (LeadTemperatureEnum | None | Unset):
        tags (list[str] | Unset):
        add_tags (list[str] | Unset):
        remove_tags (list[str] | Unset):
    """

    name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    lead_stage: LeadStageEnum | Unset = UNSET
    lead_temperature: LeadTemperatureEnum | None | Unset = UNSET
    tags: list[str] | Unset = UNSET
    add_tags: list[str] | Unset = UNSET
    remove_tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        lead_stage: str | Unset = UNSET
        if not isinstance(self.lead_stage, Unset):
            lead_stage = self.lead_stage.value

        lead_temperature: None | str | Unset
        if isinstance(self.lead_temperature, Unset):
            lead_temperature = UNSET
        elif isinstance(self.lead_temperature, LeadTemperatureEnum):
            lead_temperature = self.lead_temperature.value
        else:
            lead_temperature = self.lead_temperature

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        add_tags: list[str] | Unset = UNSET
        if not isinstance(self.add_tags, Unset):
            add_tags = self.add_tags

        remove_tags: list[str] | Unset = UNSET
        if not isinstance(self.remove_tags, Unset):
            remove_tags = self.remove_tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email
        if lead_stage is not UNSET:
            field_dict["lead_stage"] = lead_stage
        if lead_temperature is not UNSET:
            field_dict["lead_temperature"] = lead_temperature
        if tags is not UNSET:
            field_dict["tags"] = tags
        if add_tags is not UNSET:
            field_dict["add_tags"] = add_tags
        if remove_tags is not UNSET:
            field_dict["remove_tags"] = remove_tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        _lead_stage = d.pop("lead_stage", UNSET)
        lead_stage: LeadStageEnum | Unset
        if isinstance(_lead_stage, Unset):
            lead_stage = UNSET
        else:
            lead_stage = LeadStageEnum(_lead_stage)

        def _parse_lead_temperature(data: object) -> LeadTemperatureEnum | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lead_temperature_type_0 = LeadTemperatureEnum(data)

                return lead_temperature_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LeadTemperatureEnum | None | Unset, data)

        lead_temperature = _parse_lead_temperature(d.pop("lead_temperature", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        add_tags = cast(list[str], d.pop("add_tags", UNSET))

        remove_tags = cast(list[str], d.pop("remove_tags", UNSET))

        patched_contact_update_request = cls(
            name=name,
            email=email,
            lead_stage=lead_stage,
            lead_temperature=lead_temperature,
            tags=tags,
            add_tags=add_tags,
            remove_tags=remove_tags,
        )

        patched_contact_update_request.additional_properties = d
        return patched_contact_update_request

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
