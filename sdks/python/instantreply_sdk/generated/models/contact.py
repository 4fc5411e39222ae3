from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lead_stage_enum import LeadStageEnum
from ..models.lead_temperature_enum import LeadTemperatureEnum

if TYPE_CHECKING:
    from ..models.handle import Handle


T = TypeVar("T", bound="Contact")


@_attrs_define
class Contact:
    """
    Attributes:
        id (str):
        name (None | str):
        email (None | str):
        phone (None | str):
        handles (list[Handle]):
        lead_stage (LeadStageEnum): * `new` - new
            * `engaged` - engaged
            * `qualified` - qualified
            * `customer` - customer
            * `lost` - lost
        lead_temperature (LeadTemperatureEnum | None):
        tags (list[str]):
        livemode (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        last_seen_at (datetime.datetime | None):
    """

    id: str
    name: None | str
    email: None | str
    phone: None | str
    handles: list[Handle]
    lead_stage: LeadStageEnum
    lead_temperature: LeadTemperatureEnum | None
    tags: list[str]
    livemode: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_seen_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name: None | str
        name = self.name

        email: None | str
        email = self.email

        phone: None | str
        phone = self.phone

        handles = []
        for handles_item_data in self.handles:
            handles_item = handles_item_data.to_dict()
            handles.append(handles_item)

        lead_stage = self.lead_stage.value

        lead_temperature: None | str
        if isinstance(self.lead_temperature, LeadTemperatureEnum):
            lead_temperature = self.lead_temperature.value
        else:
            lead_temperature = self.lead_temperature

        tags = self.tags

        livemode = self.livemode

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        last_seen_at: None | str
        if isinstance(self.last_seen_at, datetime.datetime):
            last_seen_at = self.last_seen_at.isoformat()
        else:
            last_seen_at = self.last_seen_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "email": email,
                "phone": phone,
                "handles": handles,
                "lead_stage": lead_stage,
                "lead_temperature": lead_temperature,
                "tags": tags,
                "livemode": livemode,
                "created_at": created_at,
                "updated_at": updated_at,
                "last_seen_at": last_seen_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.handle import Handle  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))

        handles = []
        _handles = d.pop("handles")
        for handles_item_data in _handles:
            handles_item = Handle.from_dict(handles_item_data)

            handles.append(handles_item)

        lead_stage = LeadStageEnum(d.pop("lead_stage"))

        def _parse_lead_temperature(data: object) -> LeadTemperatureEnum | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lead_temperature_type_0 = LeadTemperatureEnum(data)

                return lead_temperature_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LeadTemperatureEnum | None, data)

        lead_temperature = _parse_lead_temperature(d.pop("lead_temperature"))

        tags = cast(list[str], d.pop("tags"))

        livemode = d.pop("livemode")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_last_seen_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_seen_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_seen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_seen_at = _parse_last_seen_at(d.pop("last_seen_at"))

        contact = cls(
            id=id,
            name=name,
            email=email,
            phone=phone,
            handles=handles,
            lead_stage=lead_stage,
            lead_temperature=lead_temperature,
            tags=tags,
            livemode=livemode,
            created_at=created_at,
            updated_at=updated_at,
            last_seen_at=last_seen_at,
        )

        contact.additional_properties = d
        return contact

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
