"""The Graph API client against the simulator over real HTTP."""

import socket

import pytest

from instantreply.api.tracing import redact_url
from instantreply.core.models import DownstreamCall
from instantreply.meta import client

pytestmark = pytest.mark.django_db


def requests_to(sim, path=None):
    return [r for r in sim.state.requests if path is None or r["path"] == path]


def test_a_whatsapp_text_goes_out_with_the_documented_body_and_bearer_token(sim, wa_channel):
    result = client.send_whatsapp_text(
        channel=wa_channel, to="14155550123", text="Hello Ana", subject_id="msg_1"
    )
    assert result.external_id.startswith("wamid.")
    [request] = requests_to(sim)
    assert request["path"] == f"/{wa_channel.external_id}/messages"
    assert request["authorization"] == "Bearer EAAG-secret-token-whatsapp"
    assert request["body"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "14155550123",
        "type": "text",
        "text": {"body": "Hello Ana"},
    }


def test_every_call_is_recorded_without_the_token(sim, wa_channel):
    from instantreply.api.request_ids import set_request_id

    set_request_id("req_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e")
    try:
        client.send_whatsapp_text(channel=wa_channel, to="1415", text="x", subject_id="msg_abc")
    finally:
        set_request_id(None)
    call = DownstreamCall.objects.get()
    assert call.service == "meta_graph"
    assert call.subject_id == "msg_abc"
    assert call.request_id == "req_0192f5c8e1a47c3a9d0e6b1f2a3c4d5e"
    assert call.workspace_id == wa_channel.workspace_id
    assert call.status == 200
    assert call.url == f"{sim.graph_url}/{wa_channel.external_id}/messages"
    assert call.request_body["text"] == {"body": "x"}
    assert call.response_body["messages"][0]["id"].startswith("wamid.")
    stored = str(call.__dict__)
    assert "EAAG-secret-token-whatsapp" not in stored


def test_a_template_send_has_the_documented_body(sim, wa_channel):
    client.send_whatsapp_template(
        channel=wa_channel,
        to="14155550123",
        name="order_update",
        language="en_US",
        variables=["Ana", "#1234"],
    )
    assert requests_to(sim)[0]["body"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "14155550123",
        "type": "template",
        "template": {
            "name": "order_update",
            "language": {"code": "en_US"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Ana"},
                        {"type": "text", "text": "#1234"},
                    ],
                }
            ],
        },
    }


@pytest.mark.parametrize("human_agent", [False, True])
def test_instagram_and_messenger_sends_use_the_send_api_shape(
    sim, ig_channel, fb_channel, human_agent
):
    ig = client.send_messaging_text(
        channel=ig_channel, recipient_id="5511", text="Hi", human_agent=human_agent
    )
    fb = client.send_messaging_text(
        channel=fb_channel, recipient_id="2401", text="Hi", human_agent=human_agent
    )
    assert ig.external_id.startswith("m_") and fb.external_id.startswith("m_")
    ig_request, fb_request = requests_to(sim)
    assert ig_request["path"] == f"/{ig_channel.external_id}/messages"
    assert fb_request["path"] == f"/{fb_channel.external_id}/messages"
    expected_type = (
        {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        if human_agent
        else {"messaging_type": "RESPONSE"}
    )
    assert ig_request["body"] == {
        "recipient": {"id": "5511"},
        **expected_type,
        "message": {"text": "Hi"},
    }
    assert fb_request["authorization"] == "Bearer EAAG-secret-token-messenger"


def test_a_meta_500_cannot_have_been_sent(sim, wa_channel):
    sim.state.configure({"fail_next": 1})
    with pytest.raises(client.MetaNotSentError) as caught:
        client.send_whatsapp_text(channel=wa_channel, to="1415", text="x")
    assert caught.value.http_status == 500
    assert caught.value.code == 131000
    assert DownstreamCall.objects.get().status == 500


@pytest.mark.parametrize("code", [4, 80007, 130429, 131056])
def test_throttling_codes_cannot_have_been_sent(sim, wa_channel, code):
    sim.state.configure({"error": {"code": code, "http_status": 400}})
    with pytest.raises(client.MetaNotSentError) as caught:
        client.send_whatsapp_text(channel=wa_channel, to="1415", text="x")
    assert caught.value.code == code


def test_a_request_error_carries_metas_code_subcode_and_trace_id(sim, ig_channel):
    sim.state.configure(
        {
            "error": {
                "code": 10,
                "subcode": 2534022,
                "http_status": 400,
                "message": "This message is sent outside of allowed window.",
            }
        }
    )
    with pytest.raises(client.MetaRequestError) as caught:
        client.send_messaging_text(channel=ig_channel, recipient_id="5511", text="late")
    error = caught.value
    assert (error.code, error.subcode, error.catalogue_code) == (10, 2534022, "10.2534022")
    assert error.message == "This message is sent outside of allowed window."
    assert error.fbtrace_id
    assert DownstreamCall.objects.get().error == "This message is sent outside of allowed window."


def test_token_errors_are_flagged(sim, wa_channel):
    sim.state.configure({"error": {"code": 190, "http_status": 401}})
    with pytest.raises(client.MetaRequestError) as caught:
        client.send_whatsapp_text(channel=wa_channel, to="1415", text="x")
    assert caught.value.is_token_error


def test_a_read_timeout_after_sending_is_an_unknown_outcome(sim, wa_channel, monkeypatch):
    monkeypatch.setattr(client, "READ_TIMEOUT", 0.3)
    sim.state.configure({"delay_next": 1.0})
    with pytest.raises(client.MetaUnknownOutcomeError):
        client.send_whatsapp_text(channel=wa_channel, to="1415", text="x")
    assert len(requests_to(sim)) == 1
    call = DownstreamCall.objects.get()
    assert call.status is None and "Timeout" in call.error


def test_a_refused_connection_cannot_have_been_sent(settings, wa_channel):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.META_GRAPH_API_URL = f"http://127.0.0.1:{port}/v24.0"
    with pytest.raises(client.MetaNotSentError):
        client.send_whatsapp_text(channel=wa_channel, to="1415", text="x")
    assert DownstreamCall.objects.get().status is None


def test_template_submission_and_listing_with_paging(sim, wa_channel):
    created = [
        client.submit_template(
            channel=wa_channel,
            name=f"order_update_{i}",
            language="en_US",
            category="utility",
            components=[{"type": "BODY", "text": "Order {{1}} shipped today, thanks"}],
            subject_id="tpl_x",
        )
        for i in range(3)
    ]
    assert all(c["status"] == "PENDING" and c["category"] == "UTILITY" for c in created)
    request = requests_to(sim, f"/{wa_channel.waba_id}/message_templates")[0]
    assert request["body"] == {
        "name": "order_update_0",
        "language": "en_US",
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Order {{1}} shipped today, thanks"}],
    }
    first = client.list_templates(channel=wa_channel, limit=2)
    assert [t["name"] for t in first["data"]] == ["order_update_0", "order_update_1"]
    assert "next" in first["paging"]
    rest = client.list_templates(
        channel=wa_channel, limit=2, after=first["paging"]["cursors"]["after"]
    )
    assert [t["name"] for t in rest["data"]] == ["order_update_2"]
    assert "next" not in rest["paging"]


def test_tokens_in_urls_are_redacted():
    assert redact_url("https://graph/x?limit=2&access_token=EAAGabc&after=9") == (
        "https://graph/x?limit=2&access_token=[REDACTED]&after=9"
    )
