from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quality_enum import QualityEnum
from ..models.template_category_enum import TemplateCategoryEnum
from ..models.template_status_enum import TemplateStatusEnum

if TYPE_CHECKING:
    from ..models.component import Component


T = TypeVar("T", bound="Template")


@_attrs_define
class Template:
    """
    Attributes:
        id (str):
        channel_id (str):
        name (str):
        language (str):
        category (TemplateCategoryEnum): * `marketing` - marketing
            * `utility` - utility
            * `authentication` - authentication
        status (TemplateStatusEnum): * `draft` - draft
            * `submitting` - submitting
            * `pending` - pending
            * `approved` - approved
            * `rejected` - rejected
            * `paused` - paused
            * `disabled` - disabled
        components (list[Component]):
        examples (list[str]): Example values of the body variables.
        variable_count (int):
        rejection_reason (None | str):
        meta_template_id (None | str):
        quality (QualityEnum): * `high` - high
            * `medium` - medium
            * `low` - low
            * `unknown` - unknown
        submitted_at (datetime.datetime | None):
        pause_on_category_change (bool): Cost guard: when Meta moves the approved template to a costlier category
            (utility or authentication to marketing), pause it until POST /v1/templates/{id}/resume accepts the new
            category.
        previous_category (None | TemplateCategoryEnum): The category before Meta's last change of it (at review or
            later).

            * `marketing` - marketing
            * `utility` - utility
            * `authentication` - authentication
        category_changed_at (datetime.datetime | None): When Meta last changed the category.
        paused_reason (None | str): Why the template is paused: category_changed (the cost guard), or Meta's own reason
            (e.g. low_quality); null unless paused.
        livemode (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    channel_id: str
    name: str
    language: str
    category: TemplateCategoryEnum
    status: TemplateStatusEnum
    components: list[Component]
    examples: list[str]
    variable_count: int
    rejection_reason: None | str
    meta_template_id: None | str
    quality: QualityEnum
    submitted_at: datetime.datetime | None
    pause_on_category_change: bool
    previous_category: None | TemplateCategoryEnum
    category_changed_at: datetime.datetime | None
    paused_reason: None | str
    livemode: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        channel_id = self.channel_id

        name = self.name

        language = self.language

        category = self.category.value

        status = self.status.value

        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)

        examples = self.examples

        variable_count = self.variable_count

        rejection_reason: None | str
        rejection_reason = self.rejection_reason

        meta_template_id: None | str
        meta_template_id = self.meta_template_id

        quality = self.quality.value

        submitted_at: None | str
        if isinstance(self.submitted_at, datetime.datetime):
            submitted_at = self.submitted_at.isoformat()
        else:
            submitted_at = self.submitted_at

        pause_on_category_change = self.pause_on_category_change

        previous_category: None | str
        if isinstance(self.previous_category, TemplateCategoryEnum):
            previous_category = self.previous_category.value
        else:
            previous_category = self.previous_category

        category_changed_at: None | str
        if isinstance(self.category_changed_at, datetime.datetime):
            category_changed_at = self.category_changed_at.isoformat()
        else:
            category_changed_at = self.category_changed_at

        paused_reason: None | str
        paused_reason = self.paused_reason

        livemode = self.livemode

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "channel_id": channel_id,
                "name": name,
                "language": language,
                "category": category,
                "status": status,
                "components": components,
                "examples": examples,
                "variable_count": variable_count,
                "rejection_reason": rejection_reason,
                "meta_template_id": meta_template_id,
                "quality": quality,
                "submitted_at": submitted_at,
                "pause_on_category_change": pause_on_category_change,
                "previous_category": previous_category,
                "category_changed_at": category_changed_at,
                "paused_reason": paused_reason,
                "livemode": livemode,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.component import Component  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        channel_id = d.pop("channel_id")

        name = d.pop("name")

        language = d.pop("language")

        category = TemplateCategoryEnum(d.pop("category"))

        status = TemplateStatusEnum(d.pop("status"))

        components = []
        _components = d.pop("components")
        for components_item_data in _components:
            components_item = Component.from_dict(components_item_data)

            components.append(components_item)

        examples = cast(list[str], d.pop("examples"))

        variable_count = d.pop("variable_count")

        def _parse_rejection_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rejection_reason = _parse_rejection_reason(d.pop("rejection_reason"))

        def _parse_meta_template_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        meta_template_id = _parse_meta_template_id(d.pop("meta_template_id"))

        quality = QualityEnum(d.pop("quality"))

        def _parse_submitted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                submitted_at_type_0 = datetime.datetime.fromisoformat(data)

                return submitted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        submitted_at = _parse_submitted_at(d.pop("submitted_at"))

        pause_on_category_change = d.pop("pause_on_category_change")

        def _parse_previous_category(data: object) -> None | TemplateCategoryEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_category_type_0 = TemplateCategoryEnum(data)

                return previous_category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateCategoryEnum, data)

        previous_category = _parse_previous_category(d.pop("previous_category"))

        def _parse_category_changed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_changed_at_type_0 = datetime.datetime.fromisoformat(data)

                return category_changed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        category_changed_at = _parse_category_changed_at(d.pop("category_changed_at"))

        def _parse_paused_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        paused_reason = _parse_paused_reason(d.pop("paused_reason"))

        livemode = d.pop("livemode")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        template = cls(
            id=id,
            channel_id=channel_id,
            name=name,
            language=language,
            category=category,
            status=status,
            components=components,
            examples=examples,
            variable_count=variable_count,
            rejection_reason=rejection_reason,
            meta_template_id=meta_template_id,
            quality=quality,
            submitted_at=submitted_at,
            pause_on_category_change=pause_on_category_change,
            previous_category=previous_category,
            category_changed_at=category_changed_at,
            paused_reason=paused_reason,
            livemode=livemode,
            created_at=created_at,
            updated_at=updated_at,
        )

        template.additional_properties = d
        return template

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
