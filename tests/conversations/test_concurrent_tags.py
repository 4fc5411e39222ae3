import threading

import pytest
from django.db import connection

from conversations.models import Conversation
from tests.helpers import ApiClient


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_add_and_remove_tags_lose_nothing(api_key, channel, receive):
    conversation = receive(channel).conversation
    Conversation.objects.filter(pk=conversation.pk).update(tags=["old-1", "old-2"])
    url = f"/v1/conversations/{conversation.id}"
    rounds = 8
    barrier = threading.Barrier(2)
    failures = []

    def worker(name, body_for):
        client = ApiClient(api_key[1])
        try:
            for i in range(rounds):
                barrier.wait(timeout=10)
                response = client.patch(url, body_for(i))
                if response.status_code != 200:
                    failures.append((name, response.status_code, response.content))
        finally:
            connection.close()

    adder = threading.Thread(target=worker, args=("a", lambda i: {"add_tags": [f"a{i}"]}))
    mixer = threading.Thread(
        target=worker,
        args=("b", lambda i: {"add_tags": [f"b{i}"], "remove_tags": ["old-1"] if i == 0 else []}),
    )
    adder.start()
    mixer.start()
    adder.join(timeout=60)
    mixer.join(timeout=60)
    assert failures == []
    tags = Conversation.objects.get(pk=conversation.pk).tags
    expected = {"old-2"} | {f"a{i}" for i in range(rounds)} | {f"b{i}" for i in range(rounds)}
    assert set(tags) == expected and len(tags) == len(expected)
