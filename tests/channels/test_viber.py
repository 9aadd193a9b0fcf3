"""Viber against a REST bot API stand-in over real HTTP: signed callbacks stored once, files
and the avatar kept on arrival, locations and contacts as text, replies sent as Viber documents
them, delivered / seen / failed moving a reply's ticks, Viber's statuses shown or retried, and
Settings connecting the bot and setting its webhook."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from inbox.channels import delivery, viber
from inbox.channels.registry import CONNECTORS
from inbox.clock import utc_now
from inbox.errors import InvalidInput, NotFound, PermissionDenied
from inbox.models import ChatFilter, DeliveryState, FileKind, MessageKind, Upload
from inbox.services import accounts, channel_files, channel_settings, conversation, reads
from inbox.store import channels
from tests.channels.standin_http import JsonHandler, LocalServer
from tests.channels.viber_standin import (
    TOKEN,
    ViberStandIn,
    event,
    message_event,
    refused,
    signed,
    status_event,
)

CUSTOMER = "01234567890A="


@pytest.fixture
def standin():
    found = ViberStandIn()
    yield found
    found.close()


@pytest.fixture
def bot(world, standin):
    """A Viber channel Anna may see, talking to the stand-in."""
    settings = {"auth_token": TOKEN, "account_name": "Woolly Fox", "api_url": standin.base_url}
    channel = accounts.create_channel(world.store, world.olga, "viber", "Viber", "💜", settings)
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    return channel


def post(world, bot, body: bytes, signature: str | None = "sign"):
    given = signed(body) if signature == "sign" else signature
    received = viber.receive(world.store, bot.id, given, body)
    if received is not None:
        viber.follow_up(world.store, bot.id, received)
    return received


def rows(world):
    return reads.list_chats(world.store, world.anna, ChatFilter(state="all")).rows


def shown(world, chat_id):
    return reads.list_messages(world.store, world.anna, chat_id)


def deliver(world):
    world.delivered = getattr(world, "delivered", 0) + 1
    later = utc_now() + timedelta(seconds=2 * world.delivered)
    return delivery.deliver_due(world.store, CONNECTORS, now=later)


def state_of(world, chat_id, message_id):
    found = next(m for m in shown(world, chat_id) if m.id == message_id)
    return found.delivery_state, found.delivery_error


def replied(world, bot, words="Hello"):
    post(world, bot, message_event(CUSTOMER, 1001, text="Hi"))
    [row] = rows(world)
    reply = conversation.send_reply(world.store, world.anna, row.id, words)
    deliver(world)
    return row, reply


def test_a_callback_without_the_right_signature_is_refused_and_stores_nothing(world, bot):
    body = message_event(CUSTOMER, 1001, text="Hello")
    for wrong in (None, "", "0" * 64, signed(body, "another-token-0123456789"), signed(b"{}")):
        with pytest.raises(PermissionDenied, match="X-Viber-Content-Signature"):
            viber.receive(world.store, bot.id, wrong, body)
    assert rows(world) == []
    for _ in range(2):  # Viber posts again until it gets a 200
        post(world, bot, body)
    [row] = rows(world)
    assert (row.name, row.badge) == ("Maria Koval", 1)
    assert [m.text for m in shown(world, row.id)] == ["Hello"]


def test_viber_s_check_and_events_it_does_not_keep_are_acknowledged_and_store_nothing(world, bot):
    assert post(world, bot, event("webhook", message_token=1), signature=None) is None
    user = {"id": CUSTOMER, "name": "Maria Koval"}
    post(world, bot, event("subscribed", user=user, message_token=2))
    opened = post(world, bot, event("conversation_started", user=user, type="open"))
    assert opened.answer == {"status": 0}, "no greeting set: nothing shown"
    post(world, bot, event("unsubscribed", user_id=CUSTOMER, message_token=3))
    post(world, bot, message_event(CUSTOMER, 1002, "rich_media", rich_media={}))
    assert rows(world) == [], "nobody wrote: no chat"
    for broken in (message_event(CUSTOMER, 1003, text=42), event("message", sender={}),
                   event("seen", message_token=5), b"[1, 2]", b"{not json"):  # fmt: skip
        with pytest.raises(InvalidInput):
            post(world, bot, broken)
    post(world, bot, message_event(CUSTOMER, 1004, text="Привіт 👋 <b>not bold</b> *x*"))
    [row] = rows(world)
    assert [m.text for m in shown(world, row.id)] == ["Привіт 👋 <b>not bold</b> *x*"]


def test_files_and_the_avatar_are_kept_on_arrival_and_served_by_access(world, bot, standin):
    standin.media |= {"rose.jpg": b"\xff\xd8 roses", "invoice.pdf": b"%PDF an invoice",
                      "face.jpg": b"\xff\xd8 a face"}  # fmt: skip
    media = f"{standin.base_url}/media"
    post(
        world,
        bot,
        message_event(
            CUSTOMER,
            1001,
            "picture",
            text="This one?",
            media=f"{media}/rose.jpg",
            avatar=f"{media}/face.jpg",
        ),
    )
    post(world, bot, message_event(CUSTOMER, 1002, "file", media=f"{media}/invoice.pdf",
                                   file_name="invoice-42.pdf", size=15))  # fmt: skip
    assert sorted(standin.downloads) == ["face.jpg", "invoice.pdf", "rose.jpg"]
    standin.media.clear()  # Viber's addresses expire
    [row] = rows(world)
    photo, invoice = shown(world, row.id)
    assert photo.text == "This one?" and invoice.text == ""
    found = [(a.kind, a.file_name) for m in (photo, invoice) for a in m.attachments]
    assert found == [(FileKind.PHOTO, None), (FileKind.DOCUMENT, "invoice-42.pdf")]
    file_id = invoice.attachments[0].id
    assert channel_files.fetch(world.store, world.anna, file_id)[1] == b"%PDF an invoice"
    with pytest.raises(Exception, match="No such file"):
        channel_files.fetch(world.store, world.boris, file_id)
    assert row.avatar_url and "face.jpg" not in row.avatar_url  # served by the inbox


def test_locations_contacts_and_links_show_as_text(world, bot):
    post(world, bot, message_event(CUSTOMER, 1, "location",
                                   location={"lat": 50.45, "lon": 30.52}))  # fmt: skip
    post(world, bot, message_event(CUSTOMER, 2, "contact",
                                   contact={"name": "Ivan Petrenko",
                                            "phone_number": "+380670000001"}))  # fmt: skip
    post(world, bot, message_event(CUSTOMER, 3, "url", media="https://woollyfox.example/p/7"))
    [row] = rows(world)
    assert [m.text for m in shown(world, row.id)] == [
        "📍 Location: 50.45, 30.52",
        "👤 Contact: Ivan Petrenko +380670000001",
        "https://woollyfox.example/p/7",
    ]
    assert row.badge == 3


def test_a_reply_goes_as_viber_documents_it_sent_as_the_bot(world, bot, standin):
    row, reply = replied(world, bot, "Yes, size M is in stock")
    assert standin.sent == [{"receiver": CUSTOMER, "min_api_version": 1,
                             "sender": {"name": "Woolly Fox"}, "type": "text",
                             "text": "Yes, size M is in stock"}]  # fmt: skip
    assert state_of(world, row.id, reply.id) == (DeliveryState.SENT, None)
    accounts.configure_channel(world.store, world.olga, bot.id, sender_name="Anna at Woolly Fox")
    conversation.send_reply(world.store, world.anna, row.id, "Anything else?")
    deliver(world)
    assert standin.sent[-1]["sender"] == {"name": "Anna at Woolly Fox"}


def test_delivered_and_seen_move_a_replys_ticks_and_failed_shows_vibers_reason(world, bot):
    row, first = replied(world, bot, "One")
    second = conversation.send_reply(world.store, world.anna, row.id, "Two")
    deliver(world)
    first_token, second_token = 5098034272017990001, 5098034272017990002
    post(world, bot, status_event("delivered", first_token, CUSTOMER))
    assert state_of(world, row.id, first.id)[0] == DeliveryState.DELIVERED
    post(world, bot, status_event("seen", first_token, CUSTOMER))
    assert state_of(world, row.id, first.id)[0] == DeliveryState.READ
    assert state_of(world, row.id, second.id)[0] == DeliveryState.SENT
    post(world, bot, status_event("failed", second_token, CUSTOMER, desc="user blocked the bot"))
    assert state_of(world, row.id, second.id) == (
        DeliveryState.FAILED, "Viber: user blocked the bot"
    )  # fmt: skip


@pytest.mark.parametrize(
    "answer, state, said",
    [
        ((200, refused(12, "tooManyRequests")), DeliveryState.PENDING, "too many requests"),
        ((500, {"error": "down"}), DeliveryState.PENDING, "HTTP 500"),
        ((200, refused(25, "generalError")), DeliveryState.PENDING, "generalError"),
        ((200, refused(5, "receiverNotRegistered")), DeliveryState.FAILED,
         "the customer is no longer on Viber"),
    ],
)  # fmt: skip
def test_vibers_statuses_are_waited_out_retried_or_shown(world, bot, standin, answer, state, said):
    standin.send_failures.append(answer)
    row, reply = replied(world, bot)
    found_state, error = state_of(world, row.id, reply.id)
    assert found_state == state and said in error


def test_after_unsubscribing_replies_are_refused_before_sending_until_they_write_again(
    world, bot, standin
):
    row, _ = replied(world, bot, "Hello")
    for _ in range(2):  # Viber posts again until it gets a 200: told once
        post(world, bot, event("unsubscribed", user_id=CUSTOMER, message_token=7))
    lines = [m.text for m in shown(world, row.id) if m.kind == MessageKind.SYSTEM]
    assert lines[-1] == (
        "The customer unsubscribed from the bot: no reply reaches them until they write."
    )
    assert lines.count(lines[-1]) == 1
    with pytest.raises(InvalidInput, match="unsubscribed from the bot on .* UTC: Viber delivers"):
        conversation.send_reply(world.store, world.anna, row.id, "Still there?")
    rules = reads.chats_screen(world.store, world.anna, None, row.id, 50).reply_rules
    assert rules.unsubscribed_at is not None
    post(world, bot, message_event(CUSTOMER, 1010, text="Back again"))
    conversation.send_reply(world.store, world.anna, row.id, "Welcome back")
    post(world, bot, event("unsubscribed", user_id=CUSTOMER, message_token=8))
    post(world, bot, event("subscribed", user={"id": CUSTOMER, "name": "M"}, message_token=9))
    lines = [m.text for m in shown(world, row.id) if m.kind == MessageKind.SYSTEM]
    assert lines[-1] == "The customer subscribed to the bot again."
    assert (
        reads.chats_screen(world.store, world.anna, None, row.id, 50).reply_rules.unsubscribed_at
        is None
    )
    deliver(world)
    assert [b["text"] for b in standin.sent] == ["Hello", "Welcome back"]


def test_a_customer_opening_the_chat_is_greeted_as_the_bot(world, bot):
    accounts.configure_channel(world.store, world.olga, bot.id,
                               greeting="Hello! Ask us anything about our knitwear.")  # fmt: skip
    opened = post(world, bot, event("conversation_started", type="open", subscribed=False,
                                    user={"id": CUSTOMER, "name": "Maria Koval"}))  # fmt: skip
    assert opened.answer == {"sender": {"name": "Woolly Fox"}, "type": "text",
                             "text": "Hello! Ask us anything about our knitwear."}  # fmt: skip
    assert rows(world) == [], "opening the chat is not writing"


def test_a_customer_who_unsubscribed_gets_no_reply_and_the_manager_is_told_why(world, bot, standin):
    standin.unsubscribed.add(CUSTOMER)
    row, reply = replied(world, bot)
    state, error = state_of(world, row.id, reply.id)
    assert state == DeliveryState.FAILED
    assert "unsubscribed from the bot" in error and "receiverNotSubscribed" in error
    assert standin.sent == []


def test_a_send_viber_did_not_answer_may_not_have_arrived(world, bot, standin):
    accounts.configure_channel(world.store, world.olga, bot.id, timeout_seconds=0.3)
    standin.send_delay = 1.0
    row, reply = replied(world, bot)
    assert state_of(world, row.id, reply.id)[0] == DeliveryState.UNKNOWN


class ReachableInbox(LocalServer):
    """What Viber's check of a new webhook reaches: it answers 200 and keeps what it got."""

    def __init__(self):
        self.got: list[tuple[dict, str]] = []
        inbox = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                inbox.got.append((json.loads(body), self.headers["X-Viber-Content-Signature"]))
                self.answer(200, {"status": 0})

        super().__init__(Handler)


def test_settings_connect_the_bot_and_set_its_webhook_keeping_the_token_out_of_sight(
    world, standin, monkeypatch
):
    channel = channel_settings.add_channel(world.store, world.olga, "viber", "Viber", "💜")
    accounts.configure_channel(world.store, world.olga, channel.id, api_url=standin.base_url)
    change = channel_settings.change_setting
    monkeypatch.delenv("INBOX_PUBLIC_URL", raising=False)
    with pytest.raises(InvalidInput, match="set INBOX_PUBLIC_URL"):
        change(world.store, world.olga, channel.id, "auth_token", TOKEN)
    inbox = ReachableInbox()
    try:
        monkeypatch.setenv("INBOX_PUBLIC_URL", inbox.url)
        with pytest.raises(InvalidInput, match="Viber did not accept this: .*invalidAuthToken"):
            change(world.store, world.olga, channel.id, "auth_token", "not-the-bots-token-000000")
        with pytest.raises(InvalidInput, match="Viber bot token"):
            change(world.store, world.olga, channel.id, "auth_token", "short")
        change(world.store, world.olga, channel.id, "auth_token", TOKEN)
    finally:
        inbox.close()
    hook = f"{inbox.url}/api/channels/{channel.id}/viber"
    assert standin.webhook["url"] == hook
    assert set(standin.webhook["event_types"]) >= {"delivered", "seen", "failed"}
    [(check, signature)] = inbox.got
    assert check["event"] == "webhook" and signature  # Viber's own check, signed
    [found] = [s for s in channel_settings.overview(world.store, world.olga) if s.id == channel.id]
    assert found.lines == ["Connected as Woolly Fox (woollyfox)", f"Webhook set to {hook}"]
    assert TOKEN not in repr(found)
    with world.store.read() as cur:
        assert channels.settings(cur, channel.id)["auth_token"] == TOKEN
    with pytest.raises(InvalidInput, match="28"):
        change(world.store, world.olga, channel.id, "sender_name", "x" * 29)


class InboxFiles(LocalServer):
    """The inbox's address for a reply's files, as Viber's servers reach it: each request is
    answered by viber.reply_file, which checks the signature and the file."""

    def __init__(self, store, channel_id):
        self.asked: list[int] = []
        inbox = self

        class Handler(JsonHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                *_, file_id, _name = parts.path.split("/")
                inbox.asked.append(int(file_id))
                try:
                    _, _, body = viber.reply_file(
                        store, channel_id, int(file_id), query.get("until", [""])[0],
                        query.get("sig", [""])[0], utc_now(),
                    )  # fmt: skip
                except NotFound:
                    return self.answer(404, {"error": "No such file."})
                self.send_bytes(body)

        super().__init__(Handler)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_viber_fetches_a_replys_files_from_a_signed_address_of_ours(
    world, bot, standin, monkeypatch
):
    inbox = InboxFiles(world.store, bot.id)
    monkeypatch.setenv("INBOX_PUBLIC_URL", inbox.url)
    try:
        post(world, bot, message_event(CUSTOMER, 1001, text="Photo and the size chart?"))
        [row] = rows(world)
        reply = conversation.send_reply(
            world.store, world.anna, row.id, "Here", files=[
                Upload(name="red.png", body=PNG),
                Upload(name="Розміри.pdf", mime_type="application/pdf", body=b"%PDF-1.7"),
            ],
        )  # fmt: skip
        deliver(world)
    finally:
        inbox.close()
    picture, document = standin.sent
    assert (picture["type"], picture["text"]) == ("picture", "Here")
    assert urlsplit(picture["media"]).path.endswith("/picture.png")
    assert (document["type"], document["file_name"], document["size"]) == ("file", "Розміри.pdf", 8)
    assert [(kind, body) for kind, _, body in standin.fetched] == [
        ("picture", PNG), ("file", b"%PDF-1.7"),
    ]  # fmt: skip
    assert state_of(world, row.id, reply.id) == (DeliveryState.SENT, None)
    # The address opens that file of that channel only, and not once it has expired.
    media = urlsplit(document["media"])
    query = parse_qs(media.query)
    file_id = int(media.path.split("/")[-2])
    until, sig = query["until"][0], query["sig"][0]
    assert viber.reply_file(world.store, bot.id, file_id, until, sig, utc_now())[2] == b"%PDF-1.7"
    for wrong in (
        (bot.id, file_id - 1, until, sig),
        (bot.id, file_id, str(int(until) + 1), sig),
        (bot.id, file_id, until, sig[:-1] + ("1" if sig.endswith("0") else "0")),  # one digit
        (world.telegram.id, file_id, until, sig),
    ):
        with pytest.raises(NotFound):
            viber.reply_file(world.store, *wrong, utc_now())
    with pytest.raises(NotFound):
        viber.reply_file(world.store, bot.id, file_id, until, sig, utc_now() + timedelta(days=2))


def test_a_reply_with_files_needs_the_inbox_public_address(world, bot, standin, monkeypatch):
    monkeypatch.delenv("INBOX_PUBLIC_URL", raising=False)
    post(world, bot, message_event(CUSTOMER, 1001, text="Photo?"))
    [row] = rows(world)
    reply = conversation.send_reply(
        world.store, world.anna, row.id, "", files=[Upload(name="red.png", body=PNG)]
    )
    deliver(world)
    state, reason = state_of(world, row.id, reply.id)
    assert state == DeliveryState.FAILED and "set INBOX_PUBLIC_URL" in reason
    assert standin.sent == []


def test_viber_refuses_programs_and_pictures_over_a_megabyte_go_as_files(world, bot):
    post(world, bot, message_event(CUSTOMER, 1001, text="Hi"))
    [row] = rows(world)
    with pytest.raises(InvalidInput, match=r"Viber does not carry \.exe files"):
        conversation.send_reply(
            world.store, world.anna, row.id, "", files=[Upload(name="setup.exe", body=b"MZ")]
        )
    big = Upload(name="big.png", body=PNG + b"\x00" * (1024 * 1024))
    sent = conversation.send_reply(world.store, world.anna, row.id, "", files=[big])
    [attached] = next(m for m in shown(world, row.id) if m.id == sent.id).attachments
    assert attached.kind == FileKind.DOCUMENT
