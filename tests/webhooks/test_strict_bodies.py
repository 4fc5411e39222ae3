import pytest

from tests.helpers import error_of
from webhooks.models import WebhookEndpoint


def test_it_rejects_a_number_as_description(api_client):
    response = api_client.post(
        "/v1/webhooks", {"url": "https://hooks.example.com/in", "events": ["*"], "description": 42}
    )
    error = error_of(response)
    assert response.status_code == 422
    assert error["details"] == [{"field": "description", "issue": "must be a string, got int"}]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("action", ["rotate_secret", "test"])
def test_bodyless_actions_refuse_fields_they_do_not_use(api_client, make_endpoint, action):
    endpoint = make_endpoint()
    response = api_client.post(f"/v1/webhooks/{endpoint.id}/{action}", {"secret": "mine"})
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == "secret"
    assert "mine" not in response.content.decode()
