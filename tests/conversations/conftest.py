import pytest

from conversations.services import channel_connect


@pytest.fixture
def ig_channel(workspace):
    return channel_connect(
        workspace=workspace,
        platform="instagram",
        name="Shop Instagram",
        external_id="17841400000000777",
        access_token="EAAG-secret-token-instagram",
        display_handle="@acme",
    )


@pytest.fixture
def messenger_channel(workspace):
    return channel_connect(
        workspace=workspace,
        platform="messenger",
        name="Acme Page",
        external_id="104000000000777",
        access_token="EAAG-secret-token-messenger",
    )


@pytest.fixture
def send(api_key, make_key, workspace):
    """A queued outbound text through the real send service."""
    from conversations.services import message_send

    test_key = {}

    def make(conversation, text="Thanks!", **kwargs):
        key = api_key[0]
        if not conversation.livemode:
            test_key.setdefault("key", make_key(workspace, mode="test")[0])
            key = test_key["key"]
        return message_send(conversation=conversation, api_key=key, text=text, **kwargs)

    return make
