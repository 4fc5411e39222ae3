from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_category_enum import TemplateCategoryEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.patched_template_update_request_components_item import (
        PatchedTemplateUpdateRequestComponentsItem,
    )


T = TypeVar("T", bound="PatchedTemplateUpdateRequest")


@_attrs_define
class PatchedTemplateUpdateRequest:
    """
    Attributes:
        name (str | Unset):
        language (str | Unset):
        category (TemplateCategoryEnum | Unset): * `marketing` - marketing
            * `utility` - utility
            * `authentication` - authentication
        components (list[PatchedTemplateUpdateRequestComponentsItem] | Unset):
        examples (list[Any] | Unset):
        pause_on_category_change (bool | Unset):
    """

    name: str | Unset = UNSET
    language: str | Unset = UNSET
    category: TemplateCategoryEnum | Unset = UNSET
    components: list[PatchedTemplateUpdateRequestComponentsItem] | Unset = UNSET
    examples: list[Any] | Unset = UNSET
    pause_on_category_change: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        language = self.language

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value

        components: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.components, Unset):
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
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if language is not UNSET:
            field_dict["language"] = language
        if category is not UNSET:
            field_dict["category"] = category
        if components is not UNSET:
            field_dict["components"] = components
        if examples is not UNSET:
            field_dict["examples"] = examples
        if pause_on_category_change is not UNSET:
            field_dict["pause_on_category_change"] = pause_on_category_change

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.patched_template_update_request_components_item import (
            PatchedTemplateUpdateRequestComponentsItem,  # noqa: PLC0415
        )

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        language = d.pop("language", UNSET)

        _category = d.pop("category", UNSET)
        category: TemplateCategoryEnum | Unset
        if isinstance(_category, Unset):
            category = UNSET
        else:
            category = TemplateCategoryEnum(_category)

        _components = d.pop("components", UNSET)
        components: list[PatchedTemplateUpdateRequestComponentsItem] | Unset = UNSET
        if _components is not UNSET:
            components = []
            for components_item_data in _components:
                components_item = PatchedTemplateUpdateRequestComponentsItem.from_dict(
                    components_item_data
                )

                components.append(components_item)

        examples = cast(list[Any], d.pop("examples", UNSET))

        pause_on_category_change = d.pop("pause_on_category_change", UNSET)

        patched_template_update_request = cls(
            name=name,
            language=language,
            category=category,
            components=components,
            examples=examples,
            pause_on_category_change=pause_on_category_change,
        )

        patched_template_update_request.additional_properties = d
        return patched_template_update_request

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
