from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.button_type_enum import ButtonTypeEnum

T = TypeVar("T", bound="Button")


@_attrs_define
class Button:
    """
    Attributes:
        type_ (ButtonTypeEnum): * `quick_reply` - quick_reply
            * `url` - url
            * `phone_number` - phone_number
        text (str):
        url (None | str):
        phone_number (None | str):
    """

    type_: ButtonTypeEnum
    text: str
    url: None | str
    phone_number: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text

        url: None | str
        url = self.url

        phone_number: None | str
        phone_number = self.phone_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "text": text,
                "url": url,
                "phone_number": phone_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = ButtonTypeEnum(d.pop("type"))

        text = d.pop("text")

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        def _parse_phone_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_number = _parse_phone_number(d.pop("phone_number"))

        button = cls(
            type_=type_,
            text=text,
            url=url,
            phone_number=phone_number,
        )

        button.additional_properties = d
        return button

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
