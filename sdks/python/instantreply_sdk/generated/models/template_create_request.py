from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_category_enum import TemplateCategoryEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_create_request_components_item import TemplateCreateRequestComponentsItem


T = TypeVar("T", bound="TemplateCreateRequest")


@_attrs_define
class TemplateCreateRequest:
    """
    Attributes:
        channel_id (str):
        name (str):
        language (str):
        category (TemplateCategoryEnum): * `marketing` - marketing
            * `utility` - utility
            * `authentication` - authentication
        components (list[TemplateCreateRequestComponentsItem]):
        examples (list[Any] | Unset):
        pause_on_category_change (bool | Unset):
    """

    channel_id: str
    name: str
    language: str
    category: TemplateCategoryEnum
    components: list[TemplateCreateRequestComponentsItem]
    examples: list[Any] | Unset = UNSET
    pause_on_category_change: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel_id = self.channel_id

        name = self.name

        language = self.language

        category = self.category.value

        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)

        examples: list[Any] | Unset = UNSET
        if not isinstance(self.examples, Unset):
            examples = self.examples

        pause_on_category_change = self.pause_on_category_change

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel_id": channel_id,
                "name": name,
                "language": language,
                "category": category,
                "components": components,
            }
        )
        if examples is not UNSET:
            field_dict["examples"] = examples
        if pause_on_category_change is not UNSET:
            field_dict["pause_on_category_change"] = pause_on_category_change

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_create_request_components_item import (
            TemplateCreateRequestComponentsItem,  # noqa: PLC0415
        )

        d = dict(src_dict)
        channel_id = d.pop("channel_id")

        name = d.pop("name")

        language = d.pop("language")

        category = TemplateCategoryEnum(d.pop("category"))

        components = []
        _components = d.pop("components")
        for components_item_data in _components:
            components_item = TemplateCreateRequestComponentsItem.from_dict(components_item_data)

            components.append(components_item)

        examples = cast(list[Any], d.pop("examples", UNSET))

        pause_on_category_change = d.pop("pause_on_category_change", UNSET)

        template_create_request = cls(
            channel_id=channel_id,
            name=name,
            language=language,
            category=category,
            components=components,
            examples=examples,
            pause_on_category_change=pause_on_category_change,
        )

        template_create_request.additional_properties = d
        return template_create_request

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
