from conversations.models import Message, Trigger
from tests.helpers import error_of


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
