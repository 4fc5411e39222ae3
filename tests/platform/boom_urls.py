"""Test-only URLconf: the product's URLs plus views that fail on purpose, to prove
the envelope on unexpected errors and that a 5xx rolls back and releases an
Idempotency-Key. Used with ``@pytest.mark.urls("tests.platform.boom_urls")``."""

import time
import uuid

from django.urls import path

from contacts.models import Contact
from instantreply.api.views import ApiView, respond
from instantreply.urls import urlpatterns as product_urlpatterns
from webhooks.events import emit

# Tests flip this to make the next POST /v1/test-only/contacts raise after writing.
FAIL_NEXT = {"value": False}


def plain_django_boom(request):
    raise RuntimeError("a plain Django view failed")


class WriteThenMaybeFail(ApiView):
    write_scope = "contacts:write"

    def post(self, request):
        contact = Contact.objects.create(
            workspace_id=self.workspace.id,
            livemode=self.api_key.livemode,
            name=request.data["name"],
        )
        emit(
            workspace_id=contact.workspace_id,
            livemode=contact.livemode,
            type="contact.created",
            data={"id": contact.id},
            object_id=contact.id,
        )
        # Long enough for concurrent requests with the same key to overlap.
        time.sleep(float(request.data.get("sleep", 0)))
        if FAIL_NEXT["value"]:
            FAIL_NEXT["value"] = False
            raise RuntimeError("failed after writing")
        return respond({"id": contact.id, "name": contact.name}, status=201)


class CreateSecret(ApiView):
    """Answers with a freshly made secret, as webhook endpoint creation does."""

    write_scope = "webhooks:write"

    def post(self, request):
        response = respond({"id": "wh_test", "secret": f"whsec_{uuid.uuid4().hex}"}, status=201)
        response.holds_secret = True
        return response


urlpatterns = [
    path("v1/test-only/secrets", CreateSecret.as_view()),
    path("v1/test-only/boom", plain_django_boom),
    path("meta/test-only/boom", plain_django_boom),
    path("v1/test-only/contacts", WriteThenMaybeFail.as_view()),
    *product_urlpatterns,
]
