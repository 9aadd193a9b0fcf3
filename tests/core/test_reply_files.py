"""Files with a reply (SPEC M5), on both engines: each checked against the chat's channel before
anything is stored, kept with the reply and shown in the conversation as the customer's are."""

import pytest

from inbox.errors import InvalidInput
from inbox.models import FileKind, MessageKind, Upload
from inbox.services import channel_files, conversation, reads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
MB = 1024 * 1024
SHEET = b"PK\x03\x04 sheet"


def send(world, chat_id, text="", *files):
    return conversation.send_reply(
        world.store, world.anna, chat_id, text, now=world.clock.tick(), files=list(files)
    )


def messages_of(world, chat_id):
    return [(m.kind, m.text) for m in reads.list_messages(world.store, world.anna, chat_id)]


def test_a_reply_keeps_its_files_and_a_manager_who_sees_the_channel_opens_them(world):
    chat_id = world.customer_writes("Do you have it in red?").chat_id
    sent = send(
        world, chat_id, "In red:", Upload(name="red.jpg", mime_type="image/jpeg", body=JPEG),
        Upload(name="C:\\Users\\anna\\price list.xlsx", body=SHEET),
    )  # fmt: skip
    [shown] = [m for m in reads.list_messages(world.store, world.boris, chat_id) if m.id == sent.id]
    assert [(a.kind, a.file_name, a.mime_type, a.size_bytes) for a in shown.attachments] == [
        (FileKind.PHOTO, "red.jpg", "image/jpeg", len(JPEG)),
        (
            FileKind.DOCUMENT,
            "price list.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            len(SHEET),
        ),
    ]
    found, body = channel_files.fetch(world.store, world.boris, shown.attachments[0].id)
    assert body == JPEG and found.file_name == "red.jpg"
    [row] = reads.list_chats(world.store, world.anna, reads.ChatFilter()).rows
    assert row.assignee_id == world.anna.id, "a reply with files makes its sender responsible"


def test_what_a_file_is_comes_from_its_bytes_not_its_name(world):
    chat_id = world.customer_writes("Send the photo").chat_id
    disguised = Upload(name="photo.png", mime_type="image/png", body=b"<html><script>")
    real = Upload(name="scan", mime_type="application/octet-stream", body=PNG)
    sent = send(world, chat_id, "", disguised, real)
    assert [(a.kind, a.mime_type) for a in sent_files(world, sent)] == [
        (FileKind.DOCUMENT, "application/octet-stream"),
        (FileKind.PHOTO, "image/png"),
    ]


def sent_files(world, sent):
    [shown] = [
        m for m in reads.list_messages(world.store, world.anna, sent.chat_id) if m.id == sent.id
    ]
    return shown.attachments


def test_a_picture_too_big_for_a_photo_goes_as_a_document(world):
    chat_id = world.customer_writes("The full size, please").chat_id
    big = Upload(name="full.png", body=PNG + b"\x00" * (10 * MB))
    [attached] = sent_files(world, send(world, chat_id, "", big))
    assert (attached.kind, attached.mime_type) == (FileKind.DOCUMENT, "image/png")


@pytest.mark.parametrize(
    ("files", "refusal"),
    [
        ([Upload(name="empty.txt", body=b"")], "“empty.txt” is empty."),
        (
            [Upload(name="film.mp4", body=b"\x00" * (51 * MB))],
            "“film.mp4” is 51 MB: Telegram takes files of at most 50 MB.",
        ),
        (
            [Upload(name=f"{n}.jpg", body=JPEG) for n in range(10)],
            "Telegram takes at most 10 files with one reply; this one has 11.",
        ),
    ],
)
def test_a_file_the_channel_does_not_take_refuses_the_whole_reply(world, files, refusal):
    chat_id = world.customer_writes("Hello").chat_id
    with pytest.raises(InvalidInput) as refused:
        send(world, chat_id, "Here you are", Upload(name="ok.jpg", body=JPEG), *files)
    assert str(refused.value) == refusal
    assert messages_of(world, chat_id) == [(MessageKind.CUSTOMER, "Hello")], "nothing stored"


def test_a_reply_needs_text_or_a_file(world):
    chat_id = world.customer_writes("Hello").chat_id
    with pytest.raises(InvalidInput, match="A reply cannot be empty"):
        send(world, chat_id, "   ")
