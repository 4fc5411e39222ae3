from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tag_enum import TagEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.simulate_request import SimulateRequest
    from ..models.template_ref_request import TemplateRefRequest


T = TypeVar("T", bound="MessageCreateRequest")


@_attrs_define
class MessageCreateRequest:
    """
    Attributes:
        text (str | Unset):
        template (TemplateRefRequest | Unset):
        agent_id (None | str | Unset):
        tag (None | TagEnum | Unset):
        simulate (SimulateRequest | Unset):
    """

    text: str | Unset = UNSET
    template: TemplateRefRequest | Unset = UNSET
    agent_id: None | str | Unset = UNSET
    tag: None | TagEnum | Unset = UNSET
    simulate: SimulateRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        template: dict[str, Any] | Unset = UNSET
        if not isinstance(self.template, Unset):
            template = self.template.to_dict()

        agent_id: None | str | Unset
        if isinstance(self.agent_id, Unset):
            agent_id = UNSET
        else:
            agent_id = self.agent_id

        tag: None | str | Unset
        if isinstance(self.tag, Unset):
            tag = UNSET
        elif isinstance(self.tag, TagEnum):
            tag = self.tag.value
        else:
            tag = self.tag

        simulate: dict[str, Any] | Unset = UNSET
        if not isinstance(self.simulate, Unset):
            simulate = self.simulate.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if text is not UNSET:
            field_dict["text"] = text
        if template is not UNSET:
            field_dict["template"] = template
        if agent_id is not UNSET:
            field_dict["agent_id"] = agent_id
        if tag is not UNSET:
            field_dict["tag"] = tag
        if simulate is not UNSET:
            field_dict["simulate"] = simulate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simulate_request import SimulateRequest  # noqa: PLC0415
        from ..models.template_ref_request import TemplateRefRequest  # noqa: PLC0415

        d = dict(src_dict)
        text = d.pop("text", UNSET)

        _template = d.pop("template", UNSET)
        template: TemplateRefRequest | Unset
        if isinstance(_template, Unset):
            template = UNSET
        else:
            template = TemplateRefRequest.from_dict(_template)

        def _parse_agent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_id = _parse_agent_id(d.pop("agent_id", UNSET))

        def _parse_tag(data: object) -> None | TagEnum | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tag_type_0 = TagEnum(data)

                return tag_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TagEnum | Unset, data)

        tag = _parse_tag(d.pop("tag", UNSET))

        _simulate = d.pop("simulate", UNSET)
        simulate: SimulateRequest | Unset
        if isinstance(_simulate, Unset):
            simulate = UNSET
        else:
            simulate = SimulateRequest.from_dict(_simulate)

        message_create_request = cls(
            text=text,
            template=template,
            agent_id=agent_id,
            tag=tag,
            simulate=simulate,
        )

        message_create_request.additional_properties = d
        return message_create_request

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
