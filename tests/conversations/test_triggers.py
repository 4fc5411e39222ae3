from contacts.models import Contact, ContactHandle
from conversations.models import Conversation, Message
from instantreply.api.errors import lookup
from instantreply.meta import error_codes
from tests.helpers import error_of
from webhooks.models import Event

CHAN_ERR = "chan_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e"


def test_trigger_to_a_new_phone_creates_contact_conversation_and_a_queued_template_message(
    test_client, channel, make_template, django_capture_on_commit_callbacks
):
    template = make_template(status="approved", livemode=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = test_client.post(
            "/v1/trigger",
            {
                "channel_id": channel.id,
                "phone": "+14155550123",
                "template_id": template.id,
                "variables": ["#1234", "Friday"],
                "metadata": {"order": "1234", "source": "shopify"},
                "simulate": {"error_code": "132001"},
            },
        )
    assert response.status_code == 202, response.json()
    trigger = response.json()["data"]
    assert trigger["state"] == "queued" and trigger["template_id"] == template.id
    assert trigger["metadata"] == {"order": "1234", "source": "shopify"}
    assert trigger["livemode"] is False and trigger["platform"] == "whatsapp"
    contact = Contact.objects.get(pk=trigger["contact_id"])
    assert contact.livemode is False and contact.phone == "+14155550123"
    assert ContactHandle.objects.get(contact=contact).external_id == "14155550123"
    conversation = Conversation.objects.get(pk=trigger["conversation_id"])
    assert (conversation.channel_id, conversation.contact_id, conversation.livemode) == (
        channel.id,
        contact.id,
        False,
    )
    message = Message.objects.get(pk=trigger["message_id"])
    assert (message.type, message.status, message.direction) == ("template", "queued", "outbound")
    types = set(Event.objects.filter(livemode=False).values_list("type", flat=True))
    assert {"contact.created", "conversation.created"} <= types

    for callback in callbacks:
        callback()
    status = test_client.get(f"/v1/trigger/status/{trigger['id']}").json()["data"]
    spec = lookup("132001")
    assert spec is error_codes.META_ERRORS["132001"]
    assert status["state"] == "failed"
    assert status["error"]["code"] == "132001" and status["error"]["source"] == "meta"
    assert status["fault"] == spec.fault and status["retryable"] is spec.retryable
    assert status["next_step"] == " ".join(spec.next_steps)
    assert "132001" in status["summary"]


def test_trigger_again_reuses_the_contact_and_conversation(
    test_client, channel, make_template, django_capture_on_commit_callbacks
):
    template = make_template(status="approved", livemode=False)
    body = {
        "channel_id": channel.id,
        "phone": "+14155550123",
        "template_id": template.id,
        "variables": ["1", "2"],
    }
    first = test_client.post("/v1/trigger", body).json()["data"]
    second = test_client.post("/v1/trigger", body).json()["data"]
    assert first["conversation_id"] == second["conversation_id"]
    assert first["contact_id"] == second["contact_id"] and first["id"] != second["id"]


def test_trigger_to_a_contact_id(api_client, channel, make_contact, make_template):
    template = make_template(status="approved")
    contact = make_contact()
    response = api_client.post(
        "/v1/trigger",
        {
            "channel_id": channel.id,
            "contact_id": contact.id,
            "template_id": template.id,
            "variables": ["a", "b"],
        },
    )
    assert response.status_code == 202, response.json()
    assert response.json()["data"]["contact_id"] == contact.id


def test_trigger_refusals_write_nothing(
    api_client, test_client, workspace, channel, make_template, make_contact
):
    from conversations.services import channel_connect

    live = make_template(status="approved")
    ig = channel_connect(
        workspace=workspace, platform="instagram", name="IG", external_id="1784", access_token="t"
    )
    test_contact = make_contact(livemode=False)
    base = {
        "channel_id": channel.id,
        "phone": "+14155550123",
        "template_id": live.id,
        "variables": ["a", "b"],
    }
    cases = [
        ({"phone": "4155550123"}, "VALIDATION_ERROR", "phone"),
        ({"variables": ["a"]}, "VALIDATION_ERROR", "variables"),
        ({"channel_id": ig.id}, "VALIDATION_ERROR", "channel_id"),
        ({"channel_id": CHAN_ERR}, "VALIDATION_ERROR", "channel_id"),
        ({"template_id": "tpl_" + "0" * 32}, "VALIDATION_ERROR", "template_id"),
        ({"contact_id": test_contact.id, "phone": None}, "VALIDATION_ERROR", "contact_id"),
        ({"metadata": "x"}, "VALIDATION_ERROR", "metadata"),
    ]
    for change, code, field in cases:
        body = {**base, **change}
        body = {k: v for k, v in body.items() if v is not None}
        error = error_of(api_client.post("/v1/trigger", body))
        assert (error["code"], error["details"][0]["field"]) == (code, field), (change, error)
    # Both phone and contact_id, or neither.
    assert (
        error_of(api_client.post("/v1/trigger", {**base, "contact_id": test_contact.id}))["code"]
        == "VALIDATION_ERROR"
    )
    # A live template is unknown to a test key.
    error = error_of(test_client.post("/v1/trigger", base))
    assert error["details"][0]["field"] == "template_id"
    assert not Contact.objects.filter(livemode=True).exists()
    assert not Message.objects.exists() and not Conversation.objects.exists()


def test_trigger_with_an_unapproved_template_is_422(api_client, channel, make_template):
    template = make_template(status="paused")
    error = error_of(
        api_client.post(
            "/v1/trigger",
            {
                "channel_id": channel.id,
                "phone": "+14155550123",
                "template_id": template.id,
                "variables": ["a", "b"],
            },
        )
    )
    assert error["code"] == "TEMPLATE_NOT_APPROVED" and "132015" in error["message"]
    assert not Contact.objects.exists()


def test_trigger_needs_messages_write_and_other_workspaces_see_nothing(
    client_with_scopes, other_client, channel, make_template
):
    template = make_template(status="approved")
    body = {
        "channel_id": channel.id,
        "phone": "+14155550123",
        "template_id": template.id,
        "variables": ["a", "b"],
    }
    reader = client_with_scopes("templates:write", "conversations:write")
    assert error_of(reader.post("/v1/trigger", body))["code"] == "INSUFFICIENT_SCOPE"
    error = error_of(other_client.post("/v1/trigger", body))
    assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == "channel_id"
    writer = client_with_scopes("messages:write")
    assert writer.post("/v1/trigger", body).status_code == 202


def test_trigger_is_idempotent(api_client, channel, make_template):
    template = make_template(status="approved")
    body = {
        "channel_id": channel.id,
        "phone": "+14155550123",
        "template_id": template.id,
        "variables": ["a", "b"],
    }
    headers = {"Idempotency-Key": "trigger-once-1"}
    first = api_client.post("/v1/trigger", body, headers=headers)
    second = api_client.post("/v1/trigger", body, headers=headers)
    assert first.status_code == 202 and second.content == first.content
    assert Message.objects.count() == 1
