"""Changes people make to a conversation: status, assignee, tags, read state."""

from django.db import transaction

from instantreply.api.errors import ApiError
from instantreply.api.tags import tags_after_changes
from instantreply.core.models import Agent
from instantreply.core.timeutil import now

from ..models import Conversation
from ._common import conversation_for_event, emit_conversation

_TRACKED = {"status": "status", "assignee_id": "assignee_id", "tags": "tags"}


@transaction.atomic
def conversation_update(*, conversation: Conversation, changes: dict) -> Conversation:
    """Apply a validated PATCH. The row is locked, so concurrent add_tags and
    remove_tags from two clients compose instead of overwriting each other; only
    a real change emits conversation.updated."""
    if "assignee_id" in changes and changes["assignee_id"] is not None:
        agent_id = changes["assignee_id"]
        if not Agent.objects.filter(workspace_id=conversation.workspace_id, pk=agent_id).exists():
            raise ApiError(
                "VALIDATION_ERROR",
                f"assignee_id '{agent_id}' is not an agent of this workspace (see GET /v1/agents).",
                details=[
                    {
                        "field": "assignee_id",
                        "issue": f"no agent with id '{agent_id}' in this workspace",
                    }
                ],
            )
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    before = {name: getattr(locked, attr) for name, attr in _TRACKED.items()}
    if "status" in changes and changes["status"] != locked.status:
        locked.status = changes["status"]
        locked.closed_at = now() if locked.status == "closed" else None
    if "assignee_id" in changes:
        locked.assignee_id = changes["assignee_id"]
    locked.tags = tags_after_changes(locked.tags, changes, noun="conversation")
    previous = {
        name: before[name]
        for name, attr in _TRACKED.items()
        if getattr(locked, attr) != before[name]
    }
    if previous:
        locked.updated_at = now()
        locked.save(update_fields=["status", "closed_at", "assignee", "tags", "updated_at"])
        emit_conversation(conversation_for_event(locked.pk), "conversation.updated", previous)
    return locked


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation) -> Conversation:
    updated = Conversation.objects.filter(pk=conversation.pk, unread_count__gt=0).update(
        unread_count=0, updated_at=now()
    )
    if updated:
        conversation.refresh_from_db()
    return conversation
