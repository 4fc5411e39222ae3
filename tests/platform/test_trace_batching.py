"""§7 with the request log off the request's path (instantreply/api/tracing.py,
``_LogWriter``): in production each web process queues its request logs and one
thread writes them in batches. Every request is still stored; a trace read in the
same process right after its request is found; one bad row costs only itself."""

import time

import pytest

from instantreply.api import tracing
from instantreply.core import services
from instantreply.core.models import ApiKey, RequestLog
from tests.helpers import ApiClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer(monkeypatch, settings):
    """A fresh writer of its own, so no other test's queue or thread is involved."""
    fresh = tracing._LogWriter()
    monkeypatch.setattr(tracing, "_writer", fresh)
    yield fresh
    fresh.stop()


def _key(name: str) -> tuple[ApiKey, str]:
    workspace = services.workspace_create(name=name, tier="scale")
    return services.api_key_create(workspace=workspace, scopes=["*"], name=name)


def _stored(request_id: str) -> bool:
    return RequestLog.objects.filter(pk=request_id).exists()


def test_the_writer_thread_stores_every_request_without_being_asked(writer, settings):
    settings.REQUEST_LOG_FLUSH_MS = 20
    _, raw = _key("Batch")
    client = ApiClient(raw)
    ids = [client.get("/v1/contacts", {"limit": 2})["X-Request-Id"] for _ in range(5)]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and RequestLog.objects.filter(pk__in=ids).count() < 5:
        time.sleep(0.02)
    logs = RequestLog.objects.filter(pk__in=ids)
    assert sorted(log.id for log in logs) == sorted(ids)
    assert {log.status for log in logs} == {200}


def test_a_trace_read_right_after_its_request_is_found(writer, settings):
    # A flush interval no test outlives: only the trace endpoint's flush writes it.
    settings.REQUEST_LOG_FLUSH_MS = 600_000
    _, raw = _key("Read")
    client = ApiClient(raw)
    request_id = client.get("/v1/contacts", {"limit": 2, "access_token": "q-1"})["X-Request-Id"]
    assert not _stored(request_id)
    trace = client.get(f"/v1/developer/requests/{request_id}")
    assert trace.status_code == 200
    assert trace.json()["data"]["query"] == {"limit": "2", "access_token": tracing.REDACTED}


def test_usage_counts_the_requests_still_queued(writer, settings):
    settings.REQUEST_LOG_FLUSH_MS = 600_000
    _, raw = _key("Usage")
    client = ApiClient(raw)
    for _ in range(3):
        client.get("/v1/contacts")
    usage = client.get("/v1/usage").json()["data"]
    # The three lists; the usage request itself is logged after it answers.
    assert usage["requests"]["today"] == 3


def test_a_row_the_database_refuses_costs_only_itself(writer, settings, caplog):
    settings.REQUEST_LOG_FLUSH_MS = 600_000
    _, kept_raw = _key("Kept")
    kept = ApiClient(kept_raw).get("/v1/contacts")["X-Request-Id"]
    # A row PostgreSQL refuses (a method longer than its column) in the same
    # batch: the batch is written again row by row.
    refused = tracing.log_values(
        request_id="req_refused",
        method="G" * 20,
        path="/v1/contacts",
        query=None,
        request_headers={},
        raw_body=b"",
        status=200,
        response_headers={},
        response_body=(None, False),
        duration_ms=0,
    )
    writer.add(tracing.log_insert(refused)[1])
    tracing.flush_request_logs()
    assert _stored(kept) and not _stored("req_refused")
    assert "could not store request log req_refused" in caplog.text


def test_a_row_whose_key_was_deleted_behind_the_queue_is_still_stored(writer, settings):
    """The request log has no foreign-key constraint in the database (core 0005):
    a key deleted between its request and the batch's write does not cost the
    row; the row keeps the key's id."""
    settings.REQUEST_LOG_FLUSH_MS = 600_000
    gone_key, gone_raw = _key("Gone")
    gone = ApiClient(gone_raw).get("/v1/contacts")["X-Request-Id"]
    ApiKey.objects.filter(pk=gone_key.pk)._raw_delete(ApiKey.objects.db)
    tracing.flush_request_logs()
    assert RequestLog.objects.get(pk=gone).api_key_id == gone_key.pk


def test_deleting_a_key_nulls_its_logs_and_deleting_a_workspace_removes_them(writer, settings):
    """Without database constraints, Django's on_delete still applies."""
    settings.REQUEST_LOG_FLUSH_MS = 600_000
    key, raw = _key("Cascade")
    request_id = ApiClient(raw).get("/v1/contacts")["X-Request-Id"]
    tracing.flush_request_logs()
    key.delete()
    assert RequestLog.objects.get(pk=request_id).api_key_id is None
    key.workspace.delete()
    assert not _stored(request_id)


def test_the_batch_commits_without_changing_the_connections_durability(writer, settings):
    from django.db import connection

    settings.REQUEST_LOG_FLUSH_MS = 600_000
    _, raw = _key("Durable")
    request_id = ApiClient(raw).get("/v1/contacts")["X-Request-Id"]
    tracing.flush_request_logs()
    assert _stored(request_id)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_a_batch_stores_backslashes_quotes_and_non_ascii_text_exactly(writer, settings):
    settings.REQUEST_LOG_FLUSH_MS = 600_000
    _, raw = _key("Copy")
    note = 'back\\slash "quoted" \\N tab\\t é ✓'
    response = ApiClient(raw).get(
        "/v1/contacts", {"limit": 1, "note": note}, headers={"X-Note": note}
    )
    tracing.flush_request_logs()
    log = RequestLog.objects.get(pk=response["X-Request-Id"])
    assert log.query == {"limit": "1", "note": note}
    assert log.request_headers["X-Note"] == note
    assert log.response_body == response.json()
    assert (log.replayed, log.request_body, log.idempotency_key) == (False, None, None)
