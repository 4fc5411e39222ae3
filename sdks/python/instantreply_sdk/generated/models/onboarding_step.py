from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.id_enum import IdEnum

T = TypeVar("T", bound="OnboardingStep")


@_attrs_define
class OnboardingStep:
    """
    Attributes:
        id (IdEnum): * `create_api_key` - create_api_key
            * `first_authenticated_request` - first_authenticated_request
            * `connect_channel` - connect_channel
            * `register_webhook` - register_webhook
            * `first_webhook_delivered` - first_webhook_delivered
            * `send_first_message` - send_first_message
            * `use_idempotency_key` - use_idempotency_key
            * `submit_template` - submit_template
        title (str):
        done (bool):
        completed_at (datetime.datetime | None):
        how (str): The next action, in one sentence.
        doc_url (str): The section of the getting-started guide.
    """

    id: IdEnum
    title: str
    done: bool
    completed_at: datetime.datetime | None
    how: str
    doc_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id.value

        title = self.title

        done = self.done

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        how = self.how

        doc_url = self.doc_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "done": done,
                "completed_at": completed_at,
                "how": how,
                "doc_url": doc_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = IdEnum(d.pop("id"))

        title = d.pop("title")

        done = d.pop("done")

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        how = d.pop("how")

        doc_url = d.pop("doc_url")

        onboarding_step = cls(
            id=id,
            title=title,
            done=done,
            completed_at=completed_at,
            how=how,
            doc_url=doc_url,
        )

        onboarding_step.additional_properties = d
        return onboarding_step

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
