from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.conversation_handle import ConversationHandle


T = TypeVar("T", bound="ConversationContact")


@_attrs_define
class ConversationContact:
    """
    Attributes:
        id (str):
        name (None | str):
        handle (ConversationHandle | None):
    """

    id: str
    name: None | str
    handle: ConversationHandle | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.conversation_handle import ConversationHandle  # noqa: PLC0415

        id = self.id

        name: None | str
        name = self.name

        handle: dict[str, Any] | None
        if isinstance(self.handle, ConversationHandle):
            handle = self.handle.to_dict()
        else:
            handle = self.handle

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "handle": handle,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversation_handle import ConversationHandle  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_handle(data: object) -> ConversationHandle | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                handle_type_1 = ConversationHandle.from_dict(data)

                return handle_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConversationHandle | None, data)

        handle = _parse_handle(d.pop("handle"))

        conversation_contact = cls(
            id=id,
            name=name,
            handle=handle,
        )

        conversation_contact.additional_properties = d
        return conversation_contact

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
