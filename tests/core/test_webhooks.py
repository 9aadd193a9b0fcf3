"""The generic HTTP channel's inbound messages (SPEC CH3)."""

import pytest

from inbox.channels import http as webhooks
from inbox.errors import InvalidInput, NotFound, PermissionDenied
from inbox.models import InboundMessage
from inbox.services import reads


def message(world, channel, message_id="w-1", text="Hello from the widget"):
    return InboundMessage(
        channel_id=channel.id,
        external_user_id="visitor-1",
        display_name="Visitor",
        external_message_id=message_id,
        text=text,
    )


def test_a_message_with_the_right_secret_is_stored_once(world):
    result = webhooks.receive_http_message(
        world.store, world.website.id, "s3", message(world, world.website)
    )
    again = webhooks.receive_http_message(
        world.store, world.website.id, "s3", message(world, world.website)
    )
    assert result.created and not again.created
    assert [m.text for m in reads.list_messages(world.store, world.anna, result.chat_id)] == [
        "Hello from the widget"
    ]


@pytest.mark.parametrize("secret", [None, "", "S3", "s3 ", "wrong"])
def test_a_wrong_secret_is_refused_and_nothing_is_stored(world, secret):
    with pytest.raises(PermissionDenied):
        webhooks.receive_http_message(
            world.store, world.website.id, secret, message(world, world.website)
        )
    assert reads.count_visible_chats(world.store, world.olga) == 0


def test_only_http_channels_take_webhook_messages(world):
    with pytest.raises(NotFound):
        webhooks.receive_http_message(
            world.store, world.telegram.id, "secret", message(world, world.telegram)
        )
    with pytest.raises(NotFound):
        webhooks.receive_http_message(world.store, 999, "s3", message(world, world.website))


@pytest.mark.parametrize("text", ["", "   ", "\n\t \u00a0"])
def test_a_message_without_text_is_refused_and_nothing_is_stored(world, text):
    with pytest.raises(InvalidInput, match="needs some text"):
        webhooks.receive_http_message(
            world.store, world.website.id, "s3", message(world, world.website, text=text)
        )
    assert reads.count_visible_chats(world.store, world.olga) == 0
