from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.endpoint_info import EndpointInfo
    from ..models.features import Features
    from ..models.key_info import KeyInfo
    from ..models.workspace_info import WorkspaceInfo


T = TypeVar("T", bound="Capabilities")


@_attrs_define
class Capabilities:
    """
    Attributes:
        key (KeyInfo):
        workspace (WorkspaceInfo):
        tier (str):
        scopes (list[str]):
        features (Features):
        endpoints (list[EndpointInfo]):
    """

    key: KeyInfo
    workspace: WorkspaceInfo
    tier: str
    scopes: list[str]
    features: Features
    endpoints: list[EndpointInfo]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.to_dict()

        workspace = self.workspace.to_dict()

        tier = self.tier

        scopes = self.scopes

        features = self.features.to_dict()

        endpoints = []
        for endpoints_item_data in self.endpoints:
            endpoints_item = endpoints_item_data.to_dict()
            endpoints.append(endpoints_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "workspace": workspace,
                "tier": tier,
                "scopes": scopes,
                "features": features,
                "endpoints": endpoints,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.endpoint_info import EndpointInfo  # noqa: PLC0415
        from ..models.features import Features  # noqa: PLC0415
        from ..models.key_info import KeyInfo  # noqa: PLC0415
        from ..models.workspace_info import WorkspaceInfo  # noqa: PLC0415

        d = dict(src_dict)
        key = KeyInfo.from_dict(d.pop("key"))

        workspace = WorkspaceInfo.from_dict(d.pop("workspace"))

        tier = d.pop("tier")

        scopes = cast(list[str], d.pop("scopes"))

        features = Features.from_dict(d.pop("features"))

        endpoints = []
        _endpoints = d.pop("endpoints")
        for endpoints_item_data in _endpoints:
            endpoints_item = EndpointInfo.from_dict(endpoints_item_data)

            endpoints.append(endpoints_item)

        capabilities = cls(
            key=key,
            workspace=workspace,
            tier=tier,
            scopes=scopes,
            features=features,
            endpoints=endpoints,
        )

        capabilities.additional_properties = d
        return capabilities

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
