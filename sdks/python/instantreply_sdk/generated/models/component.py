from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.component_type_enum import ComponentTypeEnum
from ..models.format_enum import FormatEnum

if TYPE_CHECKING:
    from ..models.button import Button


T = TypeVar("T", bound="Component")


@_attrs_define
class Component:
    """
    Attributes:
        type_ (ComponentTypeEnum): * `header` - header
            * `body` - body
            * `footer` - footer
            * `buttons` - buttons
        text (None | str):
        format_ (FormatEnum | None):
        buttons (list[Button]):
    """

    type_: ComponentTypeEnum
    text: None | str
    format_: FormatEnum | None
    buttons: list[Button]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text: None | str
        text = self.text

        format_: None | str
        if isinstance(self.format_, FormatEnum):
            format_ = self.format_.value
        else:
            format_ = self.format_

        buttons = []
        for buttons_item_data in self.buttons:
            buttons_item = buttons_item_data.to_dict()
            buttons.append(buttons_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "text": text,
                "format": format_,
                "buttons": buttons,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.button import Button  # noqa: PLC0415

        d = dict(src_dict)
        type_ = ComponentTypeEnum(d.pop("type"))

        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))

        def _parse_format_(data: object) -> FormatEnum | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                format_type_0 = FormatEnum(data)

                return format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FormatEnum | None, data)

        format_ = _parse_format_(d.pop("format"))

        buttons = []
        _buttons = d.pop("buttons")
        for buttons_item_data in _buttons:
            buttons_item = Button.from_dict(buttons_item_data)

            buttons.append(buttons_item)

        component = cls(
            type_=type_,
            text=text,
            format_=format_,
            buttons=buttons,
        )

        component.additional_properties = d
        return component

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
