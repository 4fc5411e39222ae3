from contacts.models import Contact, ContactHandle
from conversations.models import Conversation, Message, Trigger
from instantreply.api.errors import lookup
from instantreply.meta import error_codes
from tests.helpers import error_of
from webhooks.models import Event

CHAN_ERR = "chan_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e"


def _conversation(channel, make_contact, livemode=True):
    from conversations.services._common import conversation_get_or_create

    contact = make_contact(livemode=livemode)
    return conversation_get_or_create(channel=channel, contact=contact, livemode=livemode)[0]


def _graph_sends(sim):
    return [r for r in sim.state.requests if r["path"].endswith("/messages")]


def test_an_approved_template_is_sent_with_metas_body_whatever_the_window(
    api_client, channel, make_contact, make_template, sim, django_capture_on_commit_callbacks
):
    template = make_template(status="approved", meta_template_id="42")
    conversation = _conversation(channel, make_contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"/v1/conversations/{conversation.id}/messages",
            {"template": {"id": template.id, "variables": ["#1234", "Friday"]}},
        )
    assert response.status_code == 202, response.json()
    data = response.json()["data"]
    assert data["type"] == "template" and data["trigger_id"].startswith("trg_")
    assert data["template"] == {
        "id": template.id,
        "name": template.name,
        "language": "en_US",
        "variables": ["#1234", "Friday"],
    }
    [sent] = _graph_sends(sim)
    assert sent["body"]["type"] == "template"
    assert sent["body"]["template"] == {
        "name": template.name,
        "language": {"code": "en_US"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "#1234"},
                    {"type": "text", "text": "Friday"},
                ],
            }
        ],
    }
    assert Trigger.objects.get(pk=data["trigger_id"]).template_id == template.id


def test_wrong_variable_count_is_refused_before_any_meta_call(
    api_client, channel, make_contact, make_template, sim
):
    template = make_template(status="approved", meta_template_id="42")
    conversation = _conversation(channel, make_contact)
    response = api_client.post(
        f"/v1/conversations/{conversation.id}/messages",
        {"template": {"id": template.id, "variables": ["#1234"]}},
    )
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [
        {"field": "template.variables", "issue": "must hold exactly 2 value(s); got 1"}
    ]
    assert _graph_sends(sim) == []
    assert not Message.objects.filter(direction="outbound").exists()


def test_a_template_that_is_not_approved_is_explained(
    api_client, channel, make_contact, make_template
):
    conversation = _conversation(channel, make_contact)
    for status, words in (
        ("pending", "still reviewing"),
        ("paused", "132015"),
        ("disabled", "132016"),
        ("draft", "not been submitted"),
    ):
        template = make_template(status=status)
        error = error_of(
            api_client.post(
                f"/v1/conversations/{conversation.id}/messages",
                {"template": {"id": template.id, "variables": ["a", "b"]}},
            )
        )
        assert error["code"] == "TEMPLATE_NOT_APPROVED" and words in error["message"], error
    assert not Message.objects.exists()


def test_another_channels_template_is_refused(
    api_client, workspace, channel, make_contact, make_template
):
    from conversations.services import channel_connect

    second = channel_connect(
        workspace=workspace,
        platform="whatsapp",
        name="Second",
        external_id="109000000000888",
        access_token="t",
        waba_id="209000000000888",
    )
    template = make_template(status="approved", ch=second)
    conversation = _conversation(channel, make_contact)
    error = error_of(
        api_client.post(
            f"/v1/conversations/{conversation.id}/messages",
            {"template": {"id": template.id, "variables": ["a", "b"]}},
        )
    )
    assert error["details"] == [
        {"field": "template.id", "issue": f"belongs to channel {second.id}"}
    ]


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


def test_variable_values_meta_would_refuse_are_422(
    api_client, channel, make_contact, make_template
):
    template = make_template(status="approved")
    conversation = _conversation(channel, make_contact)
    for variables, field, words in (
        (["a\nb", "c"], "template.variables[0]", "new lines"),
        (["a", "x" * 1100], "template.variables", "exceed 1024"),
    ):
        error = error_of(
            api_client.post(
                f"/v1/conversations/{conversation.id}/messages",
                {"template": {"id": template.id, "variables": variables}},
            )
        )
        assert error["details"][0]["field"] == field and words in error["details"][0]["issue"]
