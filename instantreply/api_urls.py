"""Every /v1 route. Apps expose viewsets; this router is the one registry that the
capabilities endpoint reads."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from contacts.api import ContactViewSet
from conversations.api import ChannelViewSet
from developer import api as developer

router = SimpleRouter(trailing_slash=False)
router.register("channels", ChannelViewSet, basename="channel")
router.register("contacts", ContactViewSet, basename="contact")

urlpatterns = [
    *router.urls,
    path("usage", developer.UsageView.as_view()),
    path("developer/capabilities", developer.CapabilitiesView.as_view()),
    path("developer/limits", developer.LimitsView.as_view()),
    path("developer/requests/<str:request_id>", developer.RequestTraceView.as_view()),
]
