"""Files with a reply through the Telegram connector, against a Bot API stand-in (SPEC M5):
a picture with sendPhoto, anything else with sendDocument, a short text as the caption, and a
retry that goes on from the part that failed."""

import pytest

from inbox.errors import InvalidInput
from inbox.models import DeliveryState, FileKind, MessageKind, Upload
from inbox.services import channel_files, conversation, reads
from tests.channels.telegram_standin import BLOCKED, SERVER_ERROR, poll
from tests.scenario import deliver, shown

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def maria_chat(world, bot) -> int:
    bot.customer_writes(501, "Can you send the size chart?")
    poll(world)
    [chat] = reads.list_chats(world.store, world.anna, reads.ChatFilter()).rows
    return chat.id


def reply(world, chat_id, text, *files, reply_to_id=None):
    return conversation.send_reply(
        world.store, world.anna, chat_id, text, reply_to_id=reply_to_id,
        now=world.clock.tick(), files=list(files),
    )  # fmt: skip


def test_a_short_text_goes_as_the_photos_caption_and_a_document_follows(world, bot):
    chat_id = maria_chat(world, bot)
    [question] = reads.list_messages(world.store, world.anna, chat_id)
    sent = reply(
        world, chat_id, "Here it is", Upload(name="chart.png", mime_type="image/png", body=PNG),
        Upload(name="Розміри.pdf", mime_type="application/pdf", body=PDF),
        reply_to_id=question.id,
    )  # fmt: skip
    deliver(world)
    photo, document = bot.sent
    assert photo["method"] == "photo" and photo["caption"] == "Here it is"
    assert photo["photo"]["body"] == PNG and photo["photo"]["mime_type"] == "image/png"
    assert photo["reply_parameters"]["message_id"] == question_id(question)
    assert document["method"] == "document" and "caption" not in document
    assert "reply_parameters" not in document, "only the first part quotes"
    assert document["document"]["file_name"] == "Розміри.pdf"
    assert document["document"]["body"] == PDF
    found = shown(world, sent)
    assert found.delivery_state == DeliveryState.SENT
    assert found.external_id == "2", "the first part's id"
    assert [(a.kind, a.file_name, a.size_bytes) for a in found.attachments] == [
        (FileKind.PHOTO, "chart.png", len(PNG)),
        (FileKind.DOCUMENT, "Розміри.pdf", len(PDF)),
    ]


def question_id(question) -> int:
    return int(question.external_id)


def test_a_long_text_goes_first_and_the_files_alone_then(world, bot):
    chat_id = maria_chat(world, bot)
    text = "Our size chart. " * 100  # longer than a caption may be
    reply(world, chat_id, text, Upload(name="chart.png", body=PNG))
    deliver(world)
    message, photo = bot.sent
    assert message["text"] == text.strip() and "caption" not in photo


def test_a_reply_of_files_alone_is_sent_and_shown_with_them(world, bot):
    chat_id = maria_chat(world, bot)
    sent = reply(world, chat_id, "  ", Upload(name="chart.png", body=PNG))
    deliver(world)
    [photo] = bot.sent
    assert photo["method"] == "photo" and "caption" not in photo
    found = shown(world, sent)
    assert found.text == "" and found.kind == MessageKind.MANAGER
    file_id = found.attachments[0].id
    _, body = channel_files.fetch(world.store, world.anna, file_id)
    assert body == PNG, "the manager opens the file from our server"


def test_a_retry_goes_on_from_the_file_that_failed_and_sends_none_twice(world, bot):
    chat_id = maria_chat(world, bot)
    sent = reply(world, chat_id, "", Upload(name="c.png", body=PNG), Upload(name="d.pdf", body=PDF))
    bot.file_failures["document"] = SERVER_ERROR
    deliver(world)
    assert [s["method"] for s in bot.sent] == ["photo"], "the photo went out"
    found = shown(world, sent)
    assert found.delivery_state == DeliveryState.PENDING
    assert found.external_id == "2", "kept from the part that went out"
    del bot.file_failures["document"]
    deliver(world, 2)
    names = [s.get("photo", s.get("document"))["file_name"] for s in bot.sent]
    assert names == ["c.png", "d.pdf"], "the photo is not sent again"
    assert shown(world, sent).delivery_state == DeliveryState.SENT
    assert shown(world, sent).external_id == "2"


def test_a_refused_file_fails_the_reply_and_retry_sends_only_what_is_left(world, bot):
    chat_id = maria_chat(world, bot)
    sent = reply(world, chat_id, "", Upload(name="a.png", body=PNG), Upload(name="b.pdf", body=PDF))
    bot.file_failures["document"] = BLOCKED
    deliver(world)
    found = shown(world, sent)
    assert found.delivery_state == DeliveryState.FAILED
    assert found.delivery_error == "Telegram: Forbidden: bot was blocked by the user"
    del bot.file_failures["document"]
    conversation.retry_delivery(world.store, world.anna, sent.id, now=world.clock.current)
    deliver(world, 1)
    assert [s["method"] for s in bot.sent] == ["photo", "document"]
    assert shown(world, sent).delivery_state == DeliveryState.SENT


def test_a_file_over_telegrams_limit_is_refused_before_anything_is_stored(world, bot):
    chat_id = maria_chat(world, bot)
    big = Upload(name="video.mov", mime_type="video/quicktime", body=b"\x00" * (51 * 2**20))
    refused = r"“video.mov” is 51 MB: Telegram takes files of at most 50 MB"
    with pytest.raises(InvalidInput, match=refused):
        reply(world, chat_id, "The video", Upload(name="a.png", body=PNG), big)
    assert [m.kind for m in reads.list_messages(world.store, world.anna, chat_id)] == [
        MessageKind.CUSTOMER
    ], "nothing stored, nothing sent"
    deliver(world)
    assert bot.sent == []
