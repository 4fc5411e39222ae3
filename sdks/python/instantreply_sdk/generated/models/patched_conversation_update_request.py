from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.conversation_status_enum import ConversationStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedConversationUpdateRequest")


@_attrs_define
class PatchedConversationUpdateRequest:
    """
    Attributes:
        status (ConversationStatusEnum | Unset): * `active` - active
            * `pending` - pending
            * `closed` - closed
        assignee_id (None | str | Unset):
        tags (list[str] | Unset):
        add_tags (list[str] | Unset):
        remove_tags (list[str] | Unset):
    """

    status: ConversationStatusEnum | Unset = UNSET
    assignee_id: None | str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    add_tags: list[str] | Unset = UNSET
    remove_tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        assignee_id: None | str | Unset
        if isinstance(self.assignee_id, Unset):
            assignee_id = UNSET
        else:
            assignee_id = self.assignee_id

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        add_tags: list[str] | Unset = UNSET
        if not isinstance(self.add_tags, Unset):
            add_tags = self.add_tags

        remove_tags: list[str] | Unset = UNSET
        if not isinstance(self.remove_tags, Unset):
            remove_tags = self.remove_tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if assignee_id is not UNSET:
            field_dict["assignee_id"] = assignee_id
        if tags is not UNSET:
            field_dict["tags"] = tags
        if add_tags is not UNSET:
            field_dict["add_tags"] = add_tags
        if remove_tags is not UNSET:
            field_dict["remove_tags"] = remove_tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: ConversationStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ConversationStatusEnum(_status)

        def _parse_assignee_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        add_tags = cast(list[str], d.pop("add_tags", UNSET))

        remove_tags = cast(list[str], d.pop("remove_tags", UNSET))

        patched_conversation_update_request = cls(
            status=status,
            assignee_id=assignee_id,
            tags=tags,
            add_tags=add_tags,
            remove_tags=remove_tags,
        )

        patched_conversation_update_request.additional_properties = d
        return patched_conversation_update_request

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
