from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.simulated_sender_request import SimulatedSenderRequest


T = TypeVar("T", bound="SimulateInboundRequest")


@_attrs_define
class SimulateInboundRequest:
    """
    Attributes:
        text (str):
        channel_id (str | Unset):
        conversation_id (str | Unset):
        from_ (SimulatedSenderRequest | Unset):
    """

    text: str
    channel_id: str | Unset = UNSET
    conversation_id: str | Unset = UNSET
    from_: SimulatedSenderRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        channel_id = self.channel_id

        conversation_id = self.conversation_id

        from_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.from_, Unset):
            from_ = self.from_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
            }
        )
        if channel_id is not UNSET:
            field_dict["channel_id"] = channel_id
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
        if from_ is not UNSET:
            field_dict["from"] = from_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simulated_sender_request import SimulatedSenderRequest  # noqa: PLC0415

        d = dict(src_dict)
        text = d.pop("text")

        channel_id = d.pop("channel_id", UNSET)

        conversation_id = d.pop("conversation_id", UNSET)

        _from_ = d.pop("from", UNSET)
        from_: SimulatedSenderRequest | Unset
        if isinstance(_from_, Unset):
            from_ = UNSET
        else:
            from_ = SimulatedSenderRequest.from_dict(_from_)

        simulate_inbound_request = cls(
            text=text,
            channel_id=channel_id,
            conversation_id=conversation_id,
            from_=from_,
        )

        simulate_inbound_request.additional_properties = d
        return simulate_inbound_request

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
