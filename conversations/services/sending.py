"""Replies: the rules checked before a message is queued (§8), the daily quota
(§6, §11) and the hand-off to the send worker."""

import datetime as dt
import logging
import math

from django.conf import settings
from django.db import transaction
from django.db.models import F
from kombu.exceptions import OperationalError as KombuOperationalError

from instantreply.api.errors import ApiError, field_error, lookup
from instantreply.core.models import Agent
from instantreply.core.timeutil import format_ts, now
from instantreply.meta.error_codes import DELIVERY_ERRORS
from templates_app.selectors import template_for_send

from ..models import Channel, Conversation, DailyOutboundCount, Message, Trigger
from ..serializers import PLATFORM_NAMES, TEXT_LIMITS, window_closes_at
from ._common import preview_of

logger = logging.getLogger("instantreply.conversations")


# -- daily outbound quota -----------------------------------------------------------
def _next_midnight(at: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(at.date() + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)


def outbound_quota_reserve(*, workspace, livemode: bool) -> None:
    """Count one live outbound message against today's quota, or raise 422
    LIMIT_EXCEEDED. Must run in the transaction that creates the message: the
    conditional UPDATE holds the counter row until commit, and a parallel
    reservation re-reads the committed count before deciding."""
    if not livemode:
        return
    at = now()
    day = at.astimezone(dt.UTC).date()
    quota = settings.TIERS[workspace.tier]["outbound_messages_per_day"]
    DailyOutboundCount.objects.bulk_create(
        [DailyOutboundCount(workspace_id=workspace.pk, day=day, count=0)], ignore_conflicts=True
    )
    reserved = DailyOutboundCount.objects.filter(
        workspace_id=workspace.pk, day=day, count__lt=quota
    ).update(count=F("count") + 1)
    if not reserved:
        resets = _next_midnight(at)
        wait = max(1, math.ceil((resets - at).total_seconds()))
        raise ApiError(
            "LIMIT_EXCEEDED",
            f"This workspace's {workspace.tier} plan allows {quota:,} outbound messages per UTC "
            f"day and today's are used up; sending resumes at {format_ts(resets)} "
            f"(in {wait} seconds). Upgrade the plan for a higher quota.",
            headers={"Retry-After": str(wait)},
        )


def outbound_count_today(workspace) -> int:
    day = now().astimezone(dt.UTC).date()
    row = DailyOutboundCount.objects.filter(workspace=workspace, day=day).first()
    return row.count if row else 0


# -- the rules checked before queueing -----------------------------------------------
def _check_window(conversation: Conversation, platform: str, tag: str | None) -> None:
    at = now()
    name = PLATFORM_NAMES[platform]
    last = conversation.last_inbound_at
    if last is None:
        if platform == "whatsapp":
            how = 'send an approved template instead ({"template": {"id": "tpl_…", "variables": [...]}}).'
        else:
            how = f"wait for the customer to message you on {name} first."
        raise ApiError(
            "OUTSIDE_MESSAGING_WINDOW",
            f"The customer has never messaged this {name} channel, so no customer-service "
            f"window is open for free-form text; {how}",
        )
    standard = window_closes_at(platform, last)
    human = window_closes_at(platform, last, human_agent=True)
    if at < standard or (tag == "human_agent" and at < human):
        return
    since = f"The customer's last message was at {format_ts(last)}"
    if platform == "whatsapp":
        raise ApiError(
            "OUTSIDE_MESSAGING_WINDOW",
            f"WhatsApp's 24-hour customer-service window closed at {format_ts(standard)}. "
            f"{since}. Send an approved template instead "
            '({"template": {"id": "tpl_…", "variables": [...]}}); it is allowed at any time '
            "and the window re-opens when the customer replies.",
        )
    if at < human:
        raise ApiError(
            "OUTSIDE_MESSAGING_WINDOW",
            f"{name}'s 24-hour messaging window closed at {format_ts(standard)}. {since}. "
            f'A human agent may still reply until {format_ts(human)} by adding "tag": '
            '"human_agent" to the request; automated messages must wait for the customer '
            "to write again.",
        )
    raise ApiError(
        "OUTSIDE_MESSAGING_WINDOW",
        f"{name}'s messaging window closed at {format_ts(standard)}, and the 7-day "
        f"human_agent window at {format_ts(human)}. {since}. No message can be sent until the "
        "customer writes again.",
    )


def _check_text(platform: str, text: str) -> None:
    if not text.strip():
        raise field_error(
            "text", "must not be blank", "text must contain at least one visible character."
        )
    limit = TEXT_LIMITS[platform]
    if len(text) > limit:
        raise field_error(
            "text",
            f"must be at most {limit} characters on {platform}; got {len(text)}",
            f"text is {len(text):,} characters; {PLATFORM_NAMES[platform]} accepts at most "
            f"{limit:,} Unicode characters per message.",
        )


def _resolve_agent(workspace_id: str, agent_id: str | None) -> Agent | None:
    if agent_id is None:
        return None
    agent = Agent.objects.filter(workspace_id=workspace_id, pk=agent_id).first()
    if agent is None:
        raise field_error(
            "agent_id",
            f"no agent with id '{agent_id}' in this workspace",
            f"agent_id '{agent_id}' is not an agent of this workspace (see GET /v1/agents).",
        )
    return agent


def _resolve_template(*, conversation: Conversation, template: dict, livemode: bool):
    """Turn a ``{"id", "variables"}`` reference into (message.template JSON, template
    id), or raise the contract's 422s (unknown template, TEMPLATE_NOT_APPROVED, wrong
    variable count)."""
    data = template_for_send(
        channel=conversation.channel,
        template_id=template["id"],
        variables=list(template.get("variables") or []),
        livemode=livemode,
    )
    return data, data["id"]


def _check_simulate(code: str | None, livemode: bool) -> str | None:
    if code is None:
        return None
    if livemode:
        raise field_error(
            "simulate",
            "is only accepted with test keys",
            "simulate is only accepted with ir_test_ keys; live sends always go to Meta.",
        )
    spec = lookup(code)
    if spec is None or not (spec.source == "meta" or code in DELIVERY_ERRORS):
        raise field_error(
            "simulate.error_code",
            f"unknown delivery error code '{code}'",
            f"simulate.error_code '{code}' is not in the error catalogue; see GET "
            "/v1/developer/troubleshooting/errors.",
        )
    return code


# -- the send ------------------------------------------------------------------------
@transaction.atomic
def message_send(
    *,
    conversation: Conversation,
    api_key,
    text: str | None = None,
    template: dict | None = None,
    agent_id: str | None = None,
    tag: str | None = None,
    simulate_error_code: str | None = None,
    metadata: dict | None = None,
) -> Message:
    """Queue a reply in a conversation and hand it to the send worker after commit.
    Checks, in contract order: fields (422), the window (422), the quota (422),
    then the channel (409). Any refusal leaves nothing behind."""
    channel = conversation.channel
    platform = channel.platform
    livemode = conversation.livemode
    if (text is None) == (template is None):
        field = "template" if text is not None else "text"
        raise field_error(
            field,
            "send exactly one of text or template",
            "Send exactly one of text or template in the message body.",
        )
    if tag is not None and platform == "whatsapp":
        raise field_error(
            "tag",
            "is only for instagram and messenger",
            "tag is only valid on Instagram and Messenger; on WhatsApp use a template outside "
            "the 24-hour window.",
        )
    agent = _resolve_agent(conversation.workspace_id, agent_id)
    simulate_error_code = _check_simulate(simulate_error_code, livemode)

    template_json = None
    template_id = None
    if text is not None:
        _check_text(platform, text)
        _check_window(conversation, platform, tag)
    else:
        if platform != "whatsapp":
            raise field_error(
                "template",
                "templates are only for whatsapp",
                f"Templates can only be sent on WhatsApp; this conversation is on "
                f"{PLATFORM_NAMES[platform]}.",
            )
        template_json, template_id = _resolve_template(
            conversation=conversation, template=template, livemode=livemode
        )

    outbound_quota_reserve(workspace=api_key.workspace, livemode=livemode)

    current = Channel.objects.filter(pk=channel.pk).values_list("status", flat=True).first()
    if current != "connected":
        raise ApiError(
            "CHANNEL_UNAVAILABLE",
            f"Channel {channel.id} is {current}, so nothing can be sent through it; check "
            f"GET /v1/channels/{channel.id} for the reason and reconnect it.",
        )

    at = now()
    message = Message.objects.create(
        workspace_id=conversation.workspace_id,
        livemode=livemode,
        conversation=conversation,
        channel=channel,
        direction="outbound",
        type="text" if text is not None else "template",
        text=text,
        template=template_json,
        status="queued",
        sender_type="agent" if agent else "api",
        sender_id=agent.id if agent else api_key.id,
        tag=tag,
        simulate_error_code=simulate_error_code,
        created_at=at,
        status_updated_at=at,
    )
    Trigger.objects.create(
        workspace_id=conversation.workspace_id,
        livemode=livemode,
        message=message,
        conversation=conversation,
        contact_id=conversation.contact_id,
        channel=channel,
        template_id=template_id,
        metadata=metadata or {},
        timeline=[{"state": "queued", "at": format_ts(at), "detail": None}],
        created_at=at,
    )
    preview = preview_of(message.type, text or (template_json or {}).get("name"))
    Conversation.objects.filter(pk=conversation.pk).update(
        message_count=F("message_count") + 1,
        last_message_at=at,
        last_message_preview=preview,
        updated_at=at,
    )
    transaction.on_commit(lambda: enqueue_send(message.id))
    return message


def enqueue_send(message_id: str) -> None:
    """Hand a committed message to the send worker. A lost enqueue (broker down) is
    picked up by the periodic sweeper, so a failure here is only logged."""
    # Inherent cycle: the send task calls back into these services.
    from conversations.tasks import send_message

    try:
        send_message.delay(message_id)
    except (KombuOperationalError, OSError):
        logger.exception("enqueue of message %s failed; the sweeper will retry it", message_id)
