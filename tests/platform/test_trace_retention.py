"""§7 retention at read time: on PostgreSQL an expired trace row stays stored until
its whole day partition is dropped (core/partitions.py), so every read path hides
rows older than their cutoff (``retained()``): the trace endpoint, the admin list,
search and trace page, ``manage.py trace``, and a trace's downstream calls. The
same filter runs on SQLite, where the purge deletes the rows anyway."""

import datetime as dt
import io
import json
import uuid

import pytest
from django.contrib.admin.utils import quote
from django.core.management import CommandError, call_command
from django.db import connection

from instantreply.api.tracing import flush_request_logs
from instantreply.core import partitions
from instantreply.core.models import DownstreamCall, RequestLog, retention_cutoffs
from tests.helpers import error_of

CHANGELIST = "/admin/core/requestlog/"
TRACE = "/v1/developer/requests/{}"
JUST = dt.timedelta(minutes=5)


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.REQUEST_LOG_RETENTION_DAYS = 30
    settings.REQUEST_LOG_GET_RETENTION_DAYS = 7


def _move(model, pk: str, at: dt.datetime) -> None:
    """Stamp a stored row at ``at``, its day partition made first (PostgreSQL), as
    rows of a day not dropped yet sit."""
    flush_request_logs()
    partitions.ensure_days(at.date(), at.date())
    assert model.objects.filter(pk=pk).update(created_at=at) == 1
    if partitions.enabled():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT tableoid::regclass::text FROM {model._meta.db_table} WHERE id = %s", [pk]
            )
            assert cursor.fetchone()[0].startswith(
                partitions.partition_name(model._meta.db_table, at.date())
            )


def _stored(model, pk: str) -> bool:
    return model.objects.filter(pk=pk).exists()


def _link(request_id: str) -> str:
    return f"{CHANGELIST}{quote(request_id)}/change/"


def _trace_command(request_id: str) -> dict:
    out = io.StringIO()
    call_command("trace", request_id, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_get_just_past_seven_days_is_a_404_like_an_unknown_id(api_client):
    request_id = api_client.get("/v1/contacts")["X-Request-Id"]
    reads_cutoff, _ = retention_cutoffs()
    _move(RequestLog, request_id, reads_cutoff + JUST)
    assert api_client.get(TRACE.format(request_id)).status_code == 200

    _move(RequestLog, request_id, reads_cutoff - JUST)
    assert _stored(RequestLog, request_id)
    response = api_client.get(TRACE.format(request_id))
    unknown = api_client.get(TRACE.format("req_" + "0" * 32))
    assert response.status_code == unknown.status_code == 404
    assert error_of(response)["code"] == error_of(unknown)["code"] == "RESOURCE_NOT_FOUND"
    assert error_of(response)["message"] == error_of(unknown)["message"].replace(
        "req_" + "0" * 32, request_id
    )


def test_a_mutation_keeps_its_thirty_days_past_the_get_cutoff(api_client):
    request_id = api_client.patch("/v1/contacts/cont_" + "0" * 32, {})["X-Request-Id"]
    reads_cutoff, cutoff = retention_cutoffs()
    _move(RequestLog, request_id, reads_cutoff - dt.timedelta(days=1))
    assert api_client.get(TRACE.format(request_id)).status_code == 200
    assert _trace_command(request_id)["method"] == "PATCH"

    _move(RequestLog, request_id, cutoff - JUST)
    assert _stored(RequestLog, request_id)
    assert api_client.get(TRACE.format(request_id)).status_code == 404
    with pytest.raises(CommandError, match=f"no request with id {request_id}"):
        _trace_command(request_id)


def test_manage_py_trace_hides_an_expired_get(api_client):
    request_id = api_client.get("/v1/contacts")["X-Request-Id"]
    assert _trace_command(request_id)["id"] == request_id
    _move(RequestLog, request_id, retention_cutoffs()[0] - JUST)
    with pytest.raises(CommandError, match=f"no request with id {request_id}"):
        _trace_command(request_id)


def _id_at(prefix: str, at: dt.datetime, n: int) -> str:
    """A UUIDv7-shaped id whose time is ``at`` (as the middleware's ids are)."""
    ms = int(at.timestamp() * 1000)
    return f"{prefix}_{uuid.UUID(int=(ms << 80) | (0x7 << 76) | n).hex}"


def _old_mutation_with_calls(api_key, at: dt.datetime) -> tuple[RequestLog, list[DownstreamCall]]:
    """A PATCH logged at ``at`` (its id's time too) and two calls made for it, the
    first stamped 10 minutes before the log (a clock stepped back between the two),
    the second 10 minutes after."""
    log = RequestLog.objects.create(
        id=_id_at("req", at, 1),
        workspace_id=api_key.workspace_id,
        api_key=api_key,
        method="PATCH",
        path="/v1/contacts/cont_" + "0" * 32,
        status=200,
        created_at=at,
    )
    calls = []
    for n, offset in enumerate((-2 * JUST, 2 * JUST)):
        partitions.ensure_days((at + offset).date(), (at + offset).date())
        calls.append(
            DownstreamCall.objects.create(
                id=_id_at("dc", at + offset, n),
                request_id=log.id,
                service="webhook",
                method="POST",
                url=f"https://hooks.example/{n}",
                status=200,
                created_at=at + offset,
            )
        )
    return log, calls


def test_a_trace_shows_only_its_downstream_calls_within_retention(api_key, api_client):
    _, cutoff = retention_cutoffs()
    partitions.ensure_days(cutoff.date(), cutoff.date())
    log, (expired, kept) = _old_mutation_with_calls(api_key[0], cutoff + JUST)
    assert _stored(DownstreamCall, expired.id)

    trace = api_client.get(TRACE.format(log.id))
    assert trace.status_code == 200
    assert [c["id"] for c in trace.json()["data"]["downstream_calls"]] == [kept.id]
    assert [c["id"] for c in _trace_command(log.id)["downstream_calls"]] == [kept.id]


def test_the_admin_hides_an_expired_request_in_its_list_search_and_trace_page(
    api_client, admin_client
):
    expired = api_client.get("/v1/contacts")["X-Request-Id"]
    kept = api_client.get("/v1/contacts")["X-Request-Id"]
    _move(RequestLog, expired, retention_cutoffs()[0] - JUST)
    assert _stored(RequestLog, expired)

    listing = admin_client.get(CHANGELIST).content.decode()
    assert _link(kept) in listing and _link(expired) not in listing
    assert _link(expired) not in admin_client.get(CHANGELIST, {"q": expired}).content.decode()
    assert _link(kept) in admin_client.get(CHANGELIST, {"q": kept}).content.decode()
    page = admin_client.get(f"{CHANGELIST}{quote(expired)}/change/")
    unknown = admin_client.get(f"{CHANGELIST}{quote('req_' + '0' * 32)}/change/")
    assert page.status_code == unknown.status_code == 302
    assert page["Location"] == unknown["Location"]
    assert admin_client.get(f"{CHANGELIST}{quote(kept)}/change/").status_code == 200


def test_the_admin_search_by_object_id_leaves_out_expired_requests(
    api_client, admin_client, conversation
):
    from webhooks.models import Event

    response = api_client.post(f"/v1/conversations/{conversation.id}/messages", {"text": "hi"})
    message_id, sent = response.json()["data"]["id"], response["X-Request-Id"]
    read = api_client.get(f"/v1/messages/{message_id}")["X-Request-Id"]
    # A worker's Meta call about the message, recorded under the send (found by the
    # message id whatever the send's time).
    DownstreamCall.objects.create(
        request_id=sent,
        service="meta_graph",
        method="POST",
        url="https://graph/x",
        subject_id=message_id,
    )
    closed = api_client.patch(f"/v1/conversations/{conversation.id}", {"status": "closed"})
    event = Event.objects.get(request_id=closed["X-Request-Id"])
    closed = closed["X-Request-Id"]
    searches = {message_id: sent, conversation.id: closed, event.id: closed}
    for term, request_id in searches.items():
        assert _link(request_id) in admin_client.get(CHANGELIST, {"q": term}).content.decode()

    _, cutoff = retention_cutoffs()
    for request_id in (sent, closed):
        _move(RequestLog, request_id, cutoff - JUST)
        assert _stored(RequestLog, request_id)
    page = admin_client.get(CHANGELIST, {"q": message_id}).content.decode()
    assert _link(read) in page and _link(sent) not in page
    for term, request_id in searches.items():
        assert _link(request_id) not in admin_client.get(CHANGELIST, {"q": term}).content.decode()


def test_the_admin_trace_page_and_call_list_show_only_calls_within_retention(api_key, admin_client):
    _, cutoff = retention_cutoffs()
    partitions.ensure_days(cutoff.date(), cutoff.date())
    log, (expired, kept) = _old_mutation_with_calls(api_key[0], cutoff + JUST)
    page = admin_client.get(f"{CHANGELIST}{quote(log.id)}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert kept.url in html and expired.url not in html
    listing = admin_client.get("/admin/core/downstreamcall/").content.decode()
    assert kept.id in listing and expired.id not in listing


def test_usage_counts_no_expired_request(api_client):
    reads_cutoff, _ = retention_cutoffs()
    kept_get, expired_get, kept_patch = (
        api_client.get("/v1/contacts")["X-Request-Id"],
        api_client.get("/v1/contacts")["X-Request-Id"],
        api_client.patch("/v1/contacts/cont_" + "0" * 32, {})["X-Request-Id"],
    )
    # Around the GET cutoff: one GET just within, one just past, and a mutation
    # just past the GET cutoff (within its own 30 days).
    _move(RequestLog, kept_get, reads_cutoff + JUST)
    _move(RequestLog, expired_get, reads_cutoff - JUST)
    _move(RequestLog, kept_patch, reads_cutoff - JUST)
    data = api_client.get("/v1/usage", {"days": 30}).json()["data"]["requests"]
    assert (data["this_period"], data["today"]) == (2, 0)
