import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from instantreply.api.errors import ApiError
from instantreply.core.models import DownstreamCall
from templates_app import selectors, services, tasks
from templates_app.models import Template, TemplateHistory
from templates_app.simulation import post_template_status
from tests.helpers import error_of
from webhooks.models import Event


def _events(template):
    return list(
        Event.objects.filter(type="template.status_updated", object_id=template.id).order_by(
            "created_at", "id"
        )
    )


def _meta_submissions(sim):
    return [
        r
        for r in sim.state.requests
        if r["method"] == "POST" and r["path"].endswith("/message_templates")
    ]


def test_a_test_mode_submission_is_simulated_and_approved(
    test_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(livemode=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = test_client.post(f"/v1/templates/{template.id}/submit")
    assert response.status_code == 202, response.json()
    data = response.json()["data"]
    assert data["status"] == "submitting" and data["submitted_at"] is not None
    template.refresh_from_db()
    assert template.status == "approved" and template.meta_template_id.startswith("sim_")
    assert [e.data["status"] for e in _events(template)] == ["submitting", "pending", "approved"]
    assert all(e.livemode is False for e in _events(template))
    assert [h.to_status for h in template.history.all()] == [
        "draft",
        "submitting",
        "pending",
        "approved",
    ]
    assert not DownstreamCall.objects.exists()


def test_a_test_mode_submission_can_simulate_a_rejection(
    test_client, make_template, django_capture_on_commit_callbacks
):
    template = make_template(livemode=False)
    with django_capture_on_commit_callbacks(execute=True):
        test_client.post(
            f"/v1/templates/{template.id}/submit",
            {"simulate": {"review": "rejected", "reason": "PROMOTIONAL"}},
        )
    template.refresh_from_db()
    assert template.status == "rejected"
    assert template.rejection_reason.startswith("PROMOTIONAL: Promotional content")


def test_simulate_is_refused_with_a_live_key(api_client, make_template):
    template = make_template()
    error = error_of(
        api_client.post(f"/v1/templates/{template.id}/submit", {"simulate": {"review": "approved"}})
    )
    assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == "simulate"
    assert Template.objects.get(pk=template.pk).status == "draft"


def test_submit_twice_with_one_idempotency_key_calls_meta_once(
    api_client, make_template, sim, django_capture_on_commit_callbacks
):
    template = make_template()
    headers = {"Idempotency-Key": "5f0c8b7e-submit-once"}
    with django_capture_on_commit_callbacks(execute=True):
        first = api_client.post(f"/v1/templates/{template.id}/submit", headers=headers)
    with django_capture_on_commit_callbacks(execute=True):
        second = api_client.post(f"/v1/templates/{template.id}/submit", headers=headers)
    assert first.status_code == second.status_code == 202
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    calls = _meta_submissions(sim)
    assert len(calls) == 1
    assert calls[0]["path"] == f"/{template.channel.waba_id}/message_templates"
    assert calls[0]["body"] == {
        "name": template.name,
        "language": "en_US",
        "category": "UTILITY",
        "components": [
            {
                "type": "BODY",
                "text": template.body_text,
                "example": {"body_text": [["#1234", "Friday"]]},
            }
        ],
    }
    template.refresh_from_db()
    assert template.status == "pending" and template.meta_template_id
    # Traced under the request that caused it, token redacted.
    traced = DownstreamCall.objects.get(subject_id=template.id)
    assert traced.request_id == first["X-Request-Id"] and traced.status == 200
    assert "EAAG-secret" not in json.dumps(traced.request_body)
    # Without a key a second submit is refused: it is no longer a draft.
    assert (
        error_of(api_client.post(f"/v1/templates/{template.id}/submit"))["code"]
        == "TEMPLATE_NOT_EDITABLE"
    )
    assert len(_meta_submissions(sim)) == 1


@pytest.mark.parametrize("status", ["submitting", "pending", "approved", "paused", "disabled"])
def test_submit_of_a_template_not_in_draft_or_rejected_is_409(api_client, make_template, status):
    template = make_template(status=status)
    error = error_of(api_client.post(f"/v1/templates/{template.id}/submit"))
    assert error["code"] == "TEMPLATE_NOT_EDITABLE" and status in error["message"]
    assert Template.objects.get(pk=template.pk).status == status


def test_two_submits_cannot_both_win_and_a_duplicate_task_run_does_nothing(
    make_template, sim, django_capture_on_commit_callbacks
):
    template = make_template()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.template_submit(template=template)
        with pytest.raises(ApiError) as refused:
            services.template_submit(template=template)
    assert refused.value.code == "TEMPLATE_NOT_EDITABLE"
    assert len([c for c in callbacks if "template_submit" in c.__qualname__]) == 1
    assert tasks.submit_template.apply(args=[template.id]).get() == "pending"
    assert tasks.submit_template.apply(args=[template.id]).get() == "not-claimed"
    assert len(_meta_submissions(sim)) == 1


def test_a_resubmission_after_rejection_is_allowed(
    api_client, make_template, sim, django_capture_on_commit_callbacks
):
    template = make_template(status="rejected", rejection_reason="PROMOTIONAL: …")
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(f"/v1/templates/{template.id}/submit").status_code == 202
    template.refresh_from_db()
    assert template.status == "pending" and template.rejection_reason is None


def test_meta_refusing_at_once_is_stored_with_its_explanation(
    api_client, make_template, sim, django_capture_on_commit_callbacks
):
    sim.state.configure(
        {
            "error": {
                "code": 100,
                "subcode": 2388299,
                "http_status": 400,
                "message": "(#100) Variables can't be at the start or end of the template.",
            }
        }
    )
    template = make_template()
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"/v1/templates/{template.id}/submit")
    template.refresh_from_db()
    assert template.status == "rejected"
    assert "100.2388299" in template.rejection_reason
    assert "start or end" in template.rejection_reason
    assert [e.data["status"] for e in _events(template)] == ["submitting", "rejected"]


def test_a_meta_5xx_is_retried_and_then_accepted(
    api_client, make_template, sim, django_capture_on_commit_callbacks, monkeypatch
):
    # Eager tasks re-run a retry inline only when they do not propagate errors.
    monkeypatch.setitem(tasks.submit_template.app.conf, "task_eager_propagates", False)
    sim.state.configure({"fail_next": 1})
    template = make_template()
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"/v1/templates/{template.id}/submit")
    template.refresh_from_db()
    assert template.status == "pending"
    assert len(_meta_submissions(sim)) == 2


def _pending_live(make_template, sim, api_client, capture):
    template = make_template()
    with capture(execute=True):
        api_client.post(f"/v1/templates/{template.id}/submit")
    template.refresh_from_db()
    assert template.status == "pending"
    return template


def test_an_approved_webhook_makes_it_sendable_and_emits_the_event(
    api_client, make_template, sim, channel, django_capture_on_commit_callbacks
):
    template = _pending_live(make_template, sim, api_client, django_capture_on_commit_callbacks)
    with pytest.raises(ApiError) as refused:
        selectors.template_for_send(
            channel=channel, template_id=template.id, variables=["#1", "Fri"], livemode=True
        )
    assert refused.value.code == "TEMPLATE_NOT_APPROVED"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_template_status(Client(), template, event="APPROVED")
    assert response.status_code == 200
    template.refresh_from_db()
    assert template.status == "approved"
    event = _events(template)[-1]
    assert event.data["status"] == "approved" and event.previous_attributes == {"status": "pending"}
    assert selectors.template_for_send(
        channel=channel, template_id=template.id, variables=["#1", "Fri"], livemode=True
    ) == {"id": template.id, "name": template.name, "language": "en_US", "variables": ["#1", "Fri"]}
    # Meta redelivers webhooks: nothing changes, nothing is emitted twice.
    count = len(_events(template))
    with django_capture_on_commit_callbacks(execute=True):
        post_template_status(Client(), template, event="APPROVED")
    assert len(_events(template)) == count
    assert TemplateHistory.objects.filter(template=template, source="meta_webhook").count() == 1


@pytest.mark.parametrize(
    "start, event, reason, status, quality, rejection",
    [
        ("pending", "APPROVED", "NONE", "approved", "unknown", None),
        (
            "pending",
            "REJECTED",
            "INCORRECT_CATEGORY",
            "rejected",
            "unknown",
            "INCORRECT_CATEGORY: The content",
        ),
        ("approved", "FLAGGED", None, "approved", "low", None),
        ("rejected", "IN_APPEAL", None, "pending", "unknown", None),
        ("approved", "PAUSED", None, "paused", "unknown", None),
        ("approved", "ARCHIVED", None, "disabled", "unknown", None),
        ("approved", "PENDING_DELETION", None, "disabled", "unknown", None),
        ("paused", "DISABLED", None, "disabled", "unknown", None),
    ],
)
def test_meta_statuses_map_onto_ours(
    make_template, start, event, reason, status, quality, rejection
):
    template = make_template(status=start, meta_template_id="1234567890")
    result = services.template_status_from_meta(
        waba_id=template.channel.waba_id,
        meta_template_id="1234567890",
        name=template.name,
        language=template.language,
        event=event,
        reason=reason,
    )
    assert [t.id for t in result] == [template.id]
    template.refresh_from_db()
    assert (template.status, template.quality) == (status, quality)
    if rejection:
        assert template.rejection_reason.startswith(rejection)
    else:
        assert template.rejection_reason is None
    event_row = _events(template)[-1]
    assert event_row.data["status"] == status and event_row.data["quality"] == quality


def test_a_category_update_changes_the_category(make_template):
    template = make_template(status="approved", meta_template_id="555")
    services.template_status_from_meta(
        waba_id=template.channel.waba_id,
        meta_template_id="555",
        name=template.name,
        language=template.language,
        event="CATEGORY_UPDATE",
        new_category="MARKETING",
    )
    template.refresh_from_db()
    assert (template.status, template.category) == ("approved", "marketing")
    assert template.previous_category == "utility" and template.category_changed_at is not None
    assert _events(template)[-1].previous_attributes == {
        "category": "utility",
        "previous_category": None,
        "category_changed_at": None,
    }


def test_an_unknown_template_or_another_waba_is_not_matched(make_template):
    template = make_template(status="pending", meta_template_id="777")
    assert (
        services.template_status_from_meta(
            waba_id="999",
            meta_template_id="777",
            name=template.name,
            language="en_US",
            event="APPROVED",
        )
        is None
    )
    assert (
        services.template_status_from_meta(
            waba_id=template.channel.waba_id,
            meta_template_id="778",
            name="nope",
            language="en_US",
            event="APPROVED",
        )
        is None
    )
    test_template = make_template(livemode=False, status="pending", meta_template_id="779")
    assert (
        services.template_status_from_meta(
            waba_id=test_template.channel.waba_id,
            meta_template_id="779",
            name=test_template.name,
            language="en_US",
            event="APPROVED",
        )
        is None
    )


def test_sync_templates_follows_metas_paging(channel, make_template, sim):
    make_template(status="pending", meta_template_id="1001")  # tpl_1, already known
    for index in range(5):
        sim.state.templates.append(
            {
                "id": str(1001 + index),
                "name": f"tpl_{index + 1}" if index == 0 else f"imported_{index}",
                "language": "en_US",
                "category": "UTILITY" if index % 2 else "MARKETING",
                "status": "APPROVED" if index != 4 else "REJECTED",
                "components": [
                    {
                        "type": "BODY",
                        "text": "Your order {{1}} is ready.",
                        "example": {"body_text": [["#1"]]},
                    },
                    {
                        "type": "BUTTONS",
                        "buttons": [
                            {"type": "URL", "text": "Track", "url": "https://t.example.com"}
                        ],
                    },
                ],
                "quality_score": {"score": "GREEN" if index == 1 else "UNKNOWN"},
                "waba_id": channel.waba_id,
            }
        )
    sim.state.configure({"template_review": None})
    result = services.template_sync(channel=channel, page_size=2)
    assert result["pages"] == 3
    assert (result["created"], result["updated"]) == (4, 1)
    imported = Template.objects.get(name="imported_1")
    assert (imported.status, imported.category, imported.quality, imported.variable_count) == (
        "approved",
        "utility",
        "high",
        1,
    )
    assert imported.components[1]["buttons"][0] == {
        "type": "url",
        "text": "Track",
        "url": "https://t.example.com",
        "phone_number": None,
    }
    assert imported.examples == ["#1"] and imported.livemode is True
    assert Template.objects.get(name="imported_4").status == "rejected"
    out = io.StringIO()
    call_command("sync_templates", channel.id, "--json", stdout=out)
    again = json.loads(out.getvalue())
    assert again["id"] == channel.id and again["unchanged"] == 5 and again["created"] == 0


def test_no_answer_from_meta_is_never_resent_and_is_looked_up(
    api_client, make_template, sim, monkeypatch, django_capture_on_commit_callbacks
):
    from instantreply.meta import client

    monkeypatch.setattr(client, "READ_TIMEOUT", 0.2)
    template = make_template()
    # Meta already holds it (e.g. it acted on the request before the answer was lost).
    sim.state.templates.append(
        {
            "id": "9001",
            "name": template.name,
            "language": "en_US",
            "category": "UTILITY",
            "status": "PENDING",
            "components": [],
            "waba_id": template.channel.waba_id,
        }
    )
    sim.state.configure({"delay_next": 0.6, "template_review": None})
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"/v1/templates/{template.id}/submit")
    template.refresh_from_db()
    assert (template.status, template.meta_template_id) == ("pending", "9001")
    assert len(_meta_submissions(sim)) == 1


def test_no_answer_and_nothing_found_is_explained(
    api_client, make_template, sim, monkeypatch, django_capture_on_commit_callbacks
):
    from instantreply.meta import client

    monkeypatch.setattr(client, "READ_TIMEOUT", 0.2)
    sim.state.configure({"delay_next": 0.6})
    template = make_template()
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"/v1/templates/{template.id}/submit")
    template.refresh_from_db()
    assert template.status == "rejected"
    assert "did not answer" in template.rejection_reason
    assert "review webhook will still update" in template.rejection_reason
    assert len(_meta_submissions(sim)) == 1


def test_a_rejected_webhook_through_meta_webhook_stores_the_reason(
    api_client, make_template, sim, django_capture_on_commit_callbacks
):
    template = _pending_live(make_template, sim, api_client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        post_template_status(Client(), template, event="REJECTED", reason="PROMOTIONAL")
    template.refresh_from_db()
    assert template.status == "rejected"
    assert template.rejection_reason.startswith("PROMOTIONAL: Promotional content")
    assert _events(template)[-1].previous_attributes == {
        "status": "pending",
        "rejection_reason": None,
    }
    # Rejected templates can be edited and submitted again.
    assert (
        api_client.patch(f"/v1/templates/{template.id}", {"category": "marketing"}).status_code
        == 200
    )


def test_a_pause_first_seen_by_sync_says_it_is_metas_and_a_known_reason_is_kept(
    channel, make_template, sim
):
    from templates_app.models import CATEGORY_CHANGED, META_PAUSE_REASON

    held = make_template(
        name="held",
        status="paused",
        category="marketing",
        meta_template_id="2002",
        paused_reason=CATEGORY_CHANGED,
    )
    body = {
        "type": "BODY",
        "text": "Your order {{1}} is ready.",
        "example": {"body_text": [["#1"]]},
    }
    for meta_id, name, category in (
        ("2001", "imported_paused", "UTILITY"),
        ("2002", "held", "MARKETING"),
    ):
        sim.state.templates.append(
            {
                "id": meta_id,
                "name": name,
                "language": "en_US",
                "category": category,
                "status": "PAUSED",
                "components": [body],
                "quality_score": {"score": "RED"},
                "waba_id": channel.waba_id,
            }
        )
    sim.state.configure({"template_review": None})
    services.template_sync(channel=channel)
    imported = Template.objects.get(name="imported_paused")
    assert (imported.status, imported.paused_reason) == ("paused", META_PAUSE_REASON)
    held.refresh_from_db()
    assert (held.status, held.paused_reason) == ("paused", CATEGORY_CHANGED)
