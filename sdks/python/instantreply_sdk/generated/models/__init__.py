"""Contains all the data models used in inputs/outputs"""

from .agent import Agent
from .agent_list import AgentList
from .agent_response import AgentResponse
from .agents_list_order import AgentsListOrder
from .analytics_summary import AnalyticsSummary
from .analytics_summary_response import AnalyticsSummaryResponse
from .analytics_summary_retrieve_platform import AnalyticsSummaryRetrievePlatform
from .button import Button
from .button_type_enum import ButtonTypeEnum
from .capabilities import Capabilities
from .capabilities_response import CapabilitiesResponse
from .category_check import CategoryCheck
from .channel import Channel
from .channel_health import ChannelHealth
from .channel_list import ChannelList
from .channel_response import ChannelResponse
from .channel_status_enum import ChannelStatusEnum
from .channels_list_order import ChannelsListOrder
from .channels_list_platform import ChannelsListPlatform
from .channels_list_status import ChannelsListStatus
from .code_enum import CodeEnum
from .component import Component
from .component_type_enum import ComponentTypeEnum
from .contact import Contact
from .contact_list import ContactList
from .contact_response import ContactResponse
from .contacts import Contacts
from .contacts_list_lead_stage import ContactsListLeadStage
from .contacts_list_order import ContactsListOrder
from .contacts_list_platform import ContactsListPlatform
from .conversation import Conversation
from .conversation_contact import ConversationContact
from .conversation_handle import ConversationHandle
from .conversation_list import ConversationList
from .conversation_messages_list_direction import ConversationMessagesListDirection
from .conversation_messages_list_order import ConversationMessagesListOrder
from .conversation_messages_list_status import ConversationMessagesListStatus
from .conversation_response import ConversationResponse
from .conversation_status_enum import ConversationStatusEnum
from .conversations import Conversations
from .conversations_list_order import ConversationsListOrder
from .conversations_list_platform import ConversationsListPlatform
from .conversations_list_status import ConversationsListStatus
from .cost import Cost
from .day import Day
from .day_count import DayCount
from .delivery_error import DeliveryError
from .delivery_error_fault_enum import DeliveryErrorFaultEnum
from .direction_enum import DirectionEnum
from .downstream_call import DownstreamCall
from .endpoint_info import EndpointInfo
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .error_envelope import ErrorEnvelope
from .error_explanation import ErrorExplanation
from .error_explanation_list import ErrorExplanationList
from .error_explanation_response import ErrorExplanationResponse
from .event import Event
from .event_data import EventData
from .event_list import EventList
from .event_previous_attributes import EventPreviousAttributes
from .event_response import EventResponse
from .events_enum import EventsEnum
from .events_list_order import EventsListOrder
from .events_list_type import EventsListType
from .features import Features
from .first_response import FirstResponse
from .flagged_phrase import FlaggedPhrase
from .format_enum import FormatEnum
from .handle import Handle
from .id_enum import IdEnum
from .idempotency_info import IdempotencyInfo
from .key_info import KeyInfo
from .lead_stage_enum import LeadStageEnum
from .lead_temperature_enum import LeadTemperatureEnum
from .limits import Limits
from .limits_response import LimitsResponse
from .message import Message
from .message_create_request import MessageCreateRequest
from .message_list import MessageList
from .message_response import MessageResponse
from .message_status_enum import MessageStatusEnum
from .message_template import MessageTemplate
from .message_type_enum import MessageTypeEnum
from .messages import Messages
from .messaging_window import MessagingWindow
from .mode_enum import ModeEnum
from .onboarding import Onboarding
from .onboarding_response import OnboardingResponse
from .onboarding_step import OnboardingStep
from .pagination import Pagination
from .pagination_info import PaginationInfo
from .patched_contact_update_request import PatchedContactUpdateRequest
from .patched_conversation_update_request import PatchedConversationUpdateRequest
from .patched_template_update_request import PatchedTemplateUpdateRequest
from .patched_template_update_request_components_item import (
    PatchedTemplateUpdateRequestComponentsItem,
)
from .patched_webhook_update_request import PatchedWebhookUpdateRequest
from .platform import Platform
from .platform_enum import PlatformEnum
from .problem import Problem
from .quality_enum import QualityEnum
from .quotas import Quotas
from .rate_limit_info import RateLimitInfo
from .request_trace import RequestTrace
from .request_trace_query import RequestTraceQuery
from .request_trace_response import RequestTraceResponse
from .resend_request import ResendRequest
from .review_enum import ReviewEnum
from .sender import Sender
from .sender_type_enum import SenderTypeEnum
from .service_enum import ServiceEnum
from .simulate_inbound_request import SimulateInboundRequest
from .simulate_request import SimulateRequest
from .simulate_template_request import SimulateTemplateRequest
from .simulated_sender_request import SimulatedSenderRequest
from .source_enum import SourceEnum
from .state_enum import StateEnum
from .tag_enum import TagEnum
from .template import Template
from .template_category_enum import TemplateCategoryEnum
from .template_create_request import TemplateCreateRequest
from .template_create_request_components_item import TemplateCreateRequestComponentsItem
from .template_list import TemplateList
from .template_ref_request import TemplateRefRequest
from .template_response import TemplateResponse
from .template_status_enum import TemplateStatusEnum
from .template_submit_request import TemplateSubmitRequest
from .template_submitted import TemplateSubmitted
from .template_submitted_response import TemplateSubmittedResponse
from .templates_list_category import TemplatesListCategory
from .templates_list_order import TemplatesListOrder
from .templates_list_status import TemplatesListStatus
from .timeline_entry import TimelineEntry
from .trace_http_message import TraceHttpMessage
from .trace_http_message_headers import TraceHttpMessageHeaders
from .trigger import Trigger
from .trigger_fault_enum import TriggerFaultEnum
from .trigger_metadata import TriggerMetadata
from .trigger_request_request import TriggerRequestRequest
from .trigger_request_request_metadata import TriggerRequestRequestMetadata
from .trigger_response import TriggerResponse
from .troubleshooting_errors_list_order import TroubleshootingErrorsListOrder
from .usage import Usage
from .usage_messages import UsageMessages
from .usage_period import UsagePeriod
from .usage_rate_limit import UsageRateLimit
from .usage_requests import UsageRequests
from .usage_response import UsageResponse
from .validation_report import ValidationReport
from .validation_report_response import ValidationReportResponse
from .webhook_create_request import WebhookCreateRequest
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_list import WebhookDeliveryList
from .webhook_delivery_response import WebhookDeliveryResponse
from .webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_response import WebhookEndpointResponse
from .webhook_endpoint_status_enum import WebhookEndpointStatusEnum
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret
from .webhook_endpoint_with_secret_response import WebhookEndpointWithSecretResponse
from .webhook_event_type_enum import WebhookEventTypeEnum
from .webhook_info import WebhookInfo
from .webhook_update_status_enum import WebhookUpdateStatusEnum
from .webhooks_deliveries_list_order import WebhooksDeliveriesListOrder
from .webhooks_deliveries_list_status import WebhooksDeliveriesListStatus
from .webhooks_list_order import WebhooksListOrder
from .webhooks_list_status import WebhooksListStatus
from .workspace_info import WorkspaceInfo

__all__ = (
    "Agent",
    "AgentList",
    "AgentResponse",
    "AgentsListOrder",
    "AnalyticsSummary",
    "AnalyticsSummaryResponse",
    "AnalyticsSummaryRetrievePlatform",
    "Button",
    "ButtonTypeEnum",
    "Capabilities",
    "CapabilitiesResponse",
    "CategoryCheck",
    "Channel",
    "ChannelHealth",
    "ChannelList",
    "ChannelResponse",
    "ChannelsListOrder",
    "ChannelsListPlatform",
    "ChannelsListStatus",
    "ChannelStatusEnum",
    "CodeEnum",
    "Component",
    "ComponentTypeEnum",
    "Contact",
    "ContactList",
    "ContactResponse",
    "Contacts",
    "ContactsListLeadStage",
    "ContactsListOrder",
    "ContactsListPlatform",
    "Conversation",
    "ConversationContact",
    "ConversationHandle",
    "ConversationList",
    "ConversationMessagesListDirection",
    "ConversationMessagesListOrder",
    "ConversationMessagesListStatus",
    "ConversationResponse",
    "Conversations",
    "ConversationsListOrder",
    "ConversationsListPlatform",
    "ConversationsListStatus",
    "ConversationStatusEnum",
    "Cost",
    "Day",
    "DayCount",
    "DeliveryError",
    "DeliveryErrorFaultEnum",
    "DirectionEnum",
    "DownstreamCall",
    "EndpointInfo",
    "ErrorBody",
    "ErrorDetail",
    "ErrorEnvelope",
    "ErrorExplanation",
    "ErrorExplanationList",
    "ErrorExplanationResponse",
    "Event",
    "EventData",
    "EventList",
    "EventPreviousAttributes",
    "EventResponse",
    "EventsEnum",
    "EventsListOrder",
    "EventsListType",
    "Features",
    "FirstResponse",
    "FlaggedPhrase",
    "FormatEnum",
    "Handle",
    "IdempotencyInfo",
    "IdEnum",
    "KeyInfo",
    "LeadStageEnum",
    "LeadTemperatureEnum",
    "Limits",
    "LimitsResponse",
    "Message",
    "MessageCreateRequest",
    "MessageList",
    "MessageResponse",
    "Messages",
    "MessageStatusEnum",
    "MessageTemplate",
    "MessageTypeEnum",
    "MessagingWindow",
    "ModeEnum",
    "Onboarding",
    "OnboardingResponse",
    "OnboardingStep",
    "Pagination",
    "PaginationInfo",
    "PatchedContactUpdateRequest",
    "PatchedConversationUpdateRequest",
    "PatchedTemplateUpdateRequest",
    "PatchedTemplateUpdateRequestComponentsItem",
    "PatchedWebhookUpdateRequest",
    "Platform",
    "PlatformEnum",
    "Problem",
    "QualityEnum",
    "Quotas",
    "RateLimitInfo",
    "RequestTrace",
    "RequestTraceQuery",
    "RequestTraceResponse",
    "ResendRequest",
    "ReviewEnum",
    "Sender",
    "SenderTypeEnum",
    "ServiceEnum",
    "SimulatedSenderRequest",
    "SimulateInboundRequest",
    "SimulateRequest",
    "SimulateTemplateRequest",
    "SourceEnum",
    "StateEnum",
    "TagEnum",
    "Template",
    "TemplateCategoryEnum",
    "TemplateCreateRequest",
    "TemplateCreateRequestComponentsItem",
    "TemplateList",
    "TemplateRefRequest",
    "TemplateResponse",
    "TemplatesListCategory",
    "TemplatesListOrder",
    "TemplatesListStatus",
    "TemplateStatusEnum",
    "TemplateSubmitRequest",
    "TemplateSubmitted",
    "TemplateSubmittedResponse",
    "TimelineEntry",
    "TraceHttpMessage",
    "TraceHttpMessageHeaders",
    "Trigger",
    "TriggerFaultEnum",
    "TriggerMetadata",
    "TriggerRequestRequest",
    "TriggerRequestRequestMetadata",
    "TriggerResponse",
    "TroubleshootingErrorsListOrder",
    "Usage",
    "UsageMessages",
    "UsagePeriod",
    "UsageRateLimit",
    "UsageRequests",
    "UsageResponse",
    "ValidationReport",
    "ValidationReportResponse",
    "WebhookCreateRequest",
    "WebhookDelivery",
    "WebhookDeliveryList",
    "WebhookDeliveryResponse",
    "WebhookDeliveryStatusEnum",
    "WebhookEndpoint",
    "WebhookEndpointList",
    "WebhookEndpointResponse",
    "WebhookEndpointStatusEnum",
    "WebhookEndpointWithSecret",
    "WebhookEndpointWithSecretResponse",
    "WebhookEventTypeEnum",
    "WebhookInfo",
    "WebhooksDeliveriesListOrder",
    "WebhooksDeliveriesListStatus",
    "WebhooksListOrder",
    "WebhooksListStatus",
    "WebhookUpdateStatusEnum",
    "WorkspaceInfo",
)
