"""Every /v1 route. Apps expose viewsets; this router is the one registry that the
capabilities endpoint reads."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from contacts.api import ContactViewSet
from conversations.analytics_api import AnalyticsSummaryView
from conversations.api import (
    AgentViewSet,
    ChannelViewSet,
    ConversationViewSet,
    MessageViewSet,
    TriggerStatusView,
    TriggerView,
)
from developer import api as developer
from developer.onboarding import OnboardingView
from developer.simulate import SimulateInboundView
from developer.troubleshooting import TroubleshootingErrorListView, TroubleshootingErrorView
from templates_app.api import TemplateViewSet
from webhooks.api import EventViewSet, WebhookViewSet

router = SimpleRouter(trailing_slash=False)
router.register("channels", ChannelViewSet, basename="channel")
router.register("contacts", ContactViewSet, basename="contact")
router.register("agents", AgentViewSet, basename="agent")
router.register("conversations", ConversationViewSet, basename="conversation")
router.register("messages", MessageViewSet, basename="message")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("events", EventViewSet, basename="event")
router.register("templates", TemplateViewSet, basename="template")

urlpatterns = [
    *router.urls,
    path("usage", developer.UsageView.as_view()),
    path("developer/capabilities", developer.CapabilitiesView.as_view()),
    path("developer/limits", developer.LimitsView.as_view()),
    path("developer/onboarding", OnboardingView.as_view()),
    path("analytics/summary", AnalyticsSummaryView.as_view()),
    path("developer/requests/<str:request_id>", developer.RequestTraceView.as_view()),
    path("trigger", TriggerView.as_view()),
    path("trigger/status/<str:trigger_id>", TriggerStatusView.as_view()),
    path("developer/troubleshooting/errors", TroubleshootingErrorListView.as_view()),
    path("developer/troubleshooting/errors/<str:code>", TroubleshootingErrorView.as_view()),
    path("developer/simulate/inbound", SimulateInboundView.as_view()),
]
