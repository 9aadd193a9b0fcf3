"""What a Telegram customer sends besides text: files, edits and their profile photo (SPEC CH2,
C2), against the Bot API stand-in; and a bot that receives by webhook."""

import pytest

from inbox.channels import telegram
from inbox.errors import InvalidInput, NotFound, PermissionDenied
from inbox.models import ChatFilter, FileKind, MessageKind
from inbox.services import channel_files, channel_settings, reads
from tests.channels.telegram_standin import poll

PHOTO = b"\xff\xd8\xff\xe0 a photo of a blue scarf"
TOKEN = "123456789:AAH-real-looking-token-value_1234"


def only_chat(world, user=None):
    [chat] = reads.list_chats(world.store, user or world.anna, ChatFilter(state="all")).rows
    return chat


def customer_messages(world):
    chat = only_chat(world)
    return [
        m
        for m in reads.list_messages(world.store, world.anna, chat.id)
        if m.kind == MessageKind.CUSTOMER
    ]


def test_a_photo_with_a_caption_is_stored_and_fetched_through_our_server(world, bot):
    sizes = bot.photo_sizes(PHOTO)
    bot.customer_sends(501, photo=sizes, caption="This one, in blue?")
    poll(world)
    [message] = customer_messages(world)
    assert message.text == "This one, in blue?"
    [photo] = message.attachments
    assert photo.kind == FileKind.PHOTO and photo.url == f"/api/files/{photo.id}"
    found, body = channel_files.fetch(world.store, world.boris, photo.id)
    assert body == PHOTO, "the largest size, downloaded from Telegram by our server"
    assert found.mime_type == "image/jpeg"
    assert bot.downloads == [bot.files[sizes[-1]["file_id"]][0]]


def test_a_file_is_refused_to_whoever_does_not_see_its_channel(world, bot):
    bot.customer_sends(501, photo=bot.photo_sizes(PHOTO))
    poll(world)
    [photo] = customer_messages(world)[0].attachments
    with pytest.raises(NotFound):
        channel_files.fetch(world.store, world.clara, photo.id)
    with pytest.raises(NotFound):
        channel_files.fetch(world.store, world.anna, photo.id + 1000)
    assert bot.downloads == []


def test_documents_voice_messages_and_stickers_are_attachments_without_text(world, bot):
    pdf = bot.add_file(b"%PDF-1.7", "documents/price-list.pdf")
    voice = bot.add_file(b"OggS", "voice/file_3.oga")
    sticker = bot.add_file(b"RIFF....WEBP", "stickers/file_4.webp")
    bot.customer_sends(
        501,
        document={
            "file_id": pdf,
            "file_name": "price list.pdf",
            "mime_type": "application/pdf",
            "file_size": 8,
        },
    )
    bot.customer_sends(501, voice={"file_id": voice, "mime_type": "audio/ogg", "duration": 3})
    bot.customer_sends(501, sticker={"file_id": sticker, "emoji": "👍", "is_animated": False})
    poll(world)
    found = [(m.text, [(a.kind, a.file_name, a.mime_type) for a in m.attachments])
             for m in customer_messages(world)]  # fmt: skip
    assert found == [
        ("", [(FileKind.DOCUMENT, "price list.pdf", "application/pdf")]),
        ("", [(FileKind.VOICE, None, "audio/ogg")]),
        ("", [(FileKind.STICKER, "👍", "image/webp")]),
    ]
    voice_file = customer_messages(world)[1].attachments[0]
    assert channel_files.fetch(world.store, world.anna, voice_file.id)[1] == b"OggS"


def test_an_edited_message_replaces_the_stored_text_with_a_mark_and_no_new_badge(world, bot):
    sent = bot.customer_writes(501, "Two scarves please")
    poll(world)
    badge = only_chat(world).badge
    bot.customer_edits(sent, "Three scarves please")
    bot.customer_edits({**sent, "message_id": 999}, "an edit of a message we never had")
    poll(world)
    [message] = customer_messages(world)
    assert message.text == "Three scarves please" and message.edited_at is not None
    assert only_chat(world).badge == badge


def test_the_customers_profile_photo_becomes_the_leads_photo(world, bot):
    face = bot.add_file(b"a face", "profile_photos/file_9.jpg")
    bot.profile_photos[501] = face
    bot.customer_writes(501, "Hi")
    bot.customer_writes(502, "No photo here", first_name="Ivo")
    poll(world)
    rows = {r.name: r for r in reads.list_chats(world.store, world.anna, ChatFilter()).rows}
    assert rows["Ivo"].avatar_url is None
    url = rows["Maria"].avatar_url
    card = reads.customer_card(world.store, world.anna, rows["Maria"].id)
    assert card.contact.avatar_url == url and url.startswith("/api/files/")
    file_id = int(url.rsplit("/", 1)[1])
    assert channel_files.fetch(world.store, world.anna, file_id)[1] == b"a face"
    with pytest.raises(NotFound):
        channel_files.fetch(world.store, world.clara, file_id)


# --- webhook mode ------------------------------------------------------------------------------


@pytest.fixture
def public_url(monkeypatch):
    monkeypatch.setenv("INBOX_PUBLIC_URL", "https://inbox.example.com")


def receive_by(world, mode: str) -> None:
    channel_settings.change_setting(world.store, world.olga, world.telegram.id, "mode", mode)


def set_token(world, token: str) -> None:
    channel_settings.change_setting(world.store, world.olga, world.telegram.id, "token", token)


def switch_to_webhook(world, bot) -> str:
    receive_by(world, telegram.WEBHOOK)
    return bot.webhook["secret_token"]


def test_switching_to_webhook_registers_it_with_a_secret_and_stops_polling(world, bot, public_url):
    secret = switch_to_webhook(world, bot)
    assert (
        bot.webhook["url"] == f"https://inbox.example.com/api/channels/{world.telegram.id}/telegram"
    )
    assert len(secret) >= 32 and "edited_message" in bot.webhook["allowed_updates"]
    assert world.telegram.id not in telegram.polled_channels(world.store)
    [status] = [
        s for s in channel_settings.overview(world.store, world.olga) if s.id == world.telegram.id
    ]
    assert f"Telegram posts messages to {bot.webhook['url']}" in status.lines
    assert secret not in status.model_dump_json(), "the webhook secret is never shown"

    receive_by(world, "polling")
    assert bot.webhook is None and world.telegram.id in telegram.polled_channels(world.store)


def test_webhook_updates_need_the_secret_and_one_sent_twice_is_stored_once(world, bot, public_url):
    secret = switch_to_webhook(world, bot)
    update = {"update_id": 7, "message": bot.customer_writes(501, "Hello from a webhook")}
    with pytest.raises(PermissionDenied):
        telegram.receive_webhook(world.store, world.telegram.id, "guess", update)
    with pytest.raises(PermissionDenied):
        telegram.receive_webhook(world.store, world.telegram.id, None, update)
    with pytest.raises(NotFound):
        telegram.receive_webhook(world.store, world.website.id, secret, update)
    assert reads.list_chats(world.store, world.anna, ChatFilter()).rows == []
    telegram.receive_webhook(world.store, world.telegram.id, secret, update)
    telegram.receive_webhook(world.store, world.telegram.id, secret, update)
    assert [m.text for m in customer_messages(world)] == ["Hello from a webhook"]


def test_a_polling_bot_refuses_webhook_posts_even_with_the_old_secret(world, bot, public_url):
    secret = switch_to_webhook(world, bot)
    receive_by(world, "polling")
    update = {"update_id": 8, "message": bot.customer_writes(501, "late")}
    with pytest.raises(PermissionDenied):
        telegram.receive_webhook(world.store, world.telegram.id, secret, update)


def test_webhook_mode_needs_the_public_address(world, bot):
    with pytest.raises(InvalidInput, match="INBOX_PUBLIC_URL"):
        receive_by(world, telegram.WEBHOOK)
    assert bot.webhook is None


def test_a_token_is_checked_with_telegram_and_the_bot_named(world, bot):
    bot.token = TOKEN
    set_token(world, TOKEN)
    [status] = [
        s for s in channel_settings.overview(world.store, world.olga) if s.id == world.telegram.id
    ]
    assert "Connected as @shop_bot" in status.lines
    bot.token = "999:other"
    with pytest.raises(InvalidInput, match="Telegram did not accept this token"):
        set_token(world, TOKEN[:-1] + "x")
