"""Messaging services: every write to channels, conversations, messages and
triggers goes through one of these keyword-only functions. The package keeps the
public import path ``conversations.services.<name>``."""

from .channels import channel_connect, channel_set_status
from .conversations import conversation_mark_read, conversation_update
from .delivery import (
    message_claim_for_sending,
    message_mark_failed,
    message_mark_sent,
    message_status_apply,
)
from .inbound import inbound_message_receive, inbound_messages_receive, outbound_echo_record
from .sending import message_send, outbound_quota_reserve
from .triggers import trigger_send

__all__ = [
    "channel_connect",
    "channel_set_status",
    "conversation_mark_read",
    "conversation_update",
    "inbound_message_receive",
    "inbound_messages_receive",
    "message_claim_for_sending",
    "message_mark_failed",
    "message_mark_sent",
    "message_send",
    "message_status_apply",
    "outbound_echo_record",
    "outbound_quota_reserve",
    "trigger_send",
]
