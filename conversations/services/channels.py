from django.db import IntegrityError, transaction

from instantreply.core.models import Workspace
from instantreply.core.services import ServiceError
from instantreply.core.timeutil import now
from webhooks.events import emit

from ..models import CHANNEL_STATUSES, PLATFORMS, Channel
from ..serializers import channel_data


@transaction.atomic
def channel_connect(
    *,
    workspace: Workspace,
    platform: str,
    name: str,
    external_id: str,
    access_token: str,
    waba_id: str | None = None,
    display_handle: str | None = None,
) -> Channel:
    if platform not in PLATFORMS:
        raise ServiceError(f"platform must be one of {', '.join(PLATFORMS)}; got '{platform}'")
    if platform == "whatsapp" and not waba_id:
        raise ServiceError("a WhatsApp channel needs --waba-id (its WhatsApp Business Account id)")
    if not access_token:
        raise ServiceError("an access token is required")
    try:
        with transaction.atomic():
            return Channel.objects.create(
                workspace=workspace,
                platform=platform,
                name=name,
                external_id=external_id,
                access_token=access_token,
                waba_id=waba_id,
                display_handle=display_handle,
                status="connected",
                connected_at=now(),
            )
    except IntegrityError:
        raise ServiceError(
            f"a {platform} channel with external id {external_id} is already connected; "
            "disconnect it first"
        )


@transaction.atomic
def channel_set_status(
    *,
    channel: Channel,
    status: str,
    error_code: str | None = None,
    error_message: str | None = None,
) -> Channel:
    """Move a channel between connected/disconnected/error and announce it."""
    if status not in CHANNEL_STATUSES:
        raise ServiceError(f"status must be one of {', '.join(CHANNEL_STATUSES)}; got '{status}'")
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    previous = {"status": locked.status}
    if locked.status == status and error_code is None:
        return locked
    locked.status = status
    locked.updated_at = now()
    if status == "connected":
        locked.connected_at = now()
        locked.last_error_code = None
        locked.last_error_message = None
    elif status == "error":
        locked.last_error_code = error_code
        locked.last_error_message = error_message
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ServiceError(
            f"another channel with external id {locked.external_id} is connected; "
            "disconnect it before reconnecting this one"
        )
    for livemode in (True, False):
        emit(
            workspace_id=locked.workspace_id,
            livemode=livemode,
            type="channel.status_updated",
            data=channel_data(locked),
            object_id=locked.id,
            previous_attributes=previous,
        )
    return locked
