from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.simulate_request import SimulateRequest
    from ..models.trigger_request_request_metadata import TriggerRequestRequestMetadata


T = TypeVar("T", bound="TriggerRequestRequest")


@_attrs_define
class TriggerRequestRequest:
    """
    Attributes:
        channel_id (str):
        template_id (str):
        phone (str | Unset):
        contact_id (str | Unset):
        variables (list[str] | Unset):
        metadata (TriggerRequestRequestMetadata | Unset):
        simulate (SimulateRequest | Unset):
    """

    channel_id: str
    template_id: str
    phone: str | Unset = UNSET
    contact_id: str | Unset = UNSET
    variables: list[str] | Unset = UNSET
    metadata: TriggerRequestRequestMetadata | Unset = UNSET
    simulate: SimulateRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel_id = self.channel_id

        template_id = self.template_id

        phone = self.phone

        contact_id = self.contact_id

        variables: list[str] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = self.variables

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        simulate: dict[str, Any] | Unset = UNSET
        if not isinstance(self.simulate, Unset):
            simulate = self.simulate.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel_id": channel_id,
                "template_id": template_id,
            }
        )
        if phone is not UNSET:
            field_dict["phone"] = phone
        if contact_id is not UNSET:
            field_dict["contact_id"] = contact_id
        if variables is not UNSET:
            field_dict["variables"] = variables
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if simulate is not UNSET:
            field_dict["simulate"] = simulate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simulate_request import SimulateRequest  # noqa: PLC0415
        from ..models.trigger_request_request_metadata import TriggerRequestRequestMetadata  # noqa: PLC0415

        d = dict(src_dict)
        channel_id = d.pop("channel_id")

        template_id = d.pop("template_id")

        phone = d.pop("phone", UNSET)

        contact_id = d.pop("contact_id", UNSET)

        variables = cast(list[str], d.pop("variables", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: TriggerRequestRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = TriggerRequestRequestMetadata.from_dict(_metadata)

        _simulate = d.pop("simulate", UNSET)
        simulate: SimulateRequest | Unset
        if isinstance(_simulate, Unset):
            simulate = UNSET
        else:
            simulate = SimulateRequest.from_dict(_simulate)

        trigger_request_request = cls(
            channel_id=channel_id,
            template_id=template_id,
            phone=phone,
            contact_id=contact_id,
            variables=variables,
            metadata=metadata,
            simulate=simulate,
        )

        trigger_request_request.additional_properties = d
        return trigger_request_request

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
