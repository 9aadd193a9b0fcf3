"""WhatsApp against a Cloud API stand-in over real HTTP: signed posts stored once, media kept
with the token, reactions and locations, statuses moving a reply's ✓✓ (or failing it with
WhatsApp's reason), the 24-hour window and templates after it, WhatsApp's errors, and Settings."""

from datetime import timedelta

import pytest

from inbox.channels import delivery, meta, whatsapp
from inbox.channels.registry import CONNECTORS
from inbox.clock import utc_now
from inbox.errors import InvalidInput, PermissionDenied
from inbox.models import ChatFilter, DeliveryState, FileKind, MessageKind, Upload
from inbox.services import accounts, channel_files, channel_settings, conversation, reads
from inbox.store import channels
from tests.channels.whatsapp_standin import (
    APP_SECRET,
    DISPLAY_NUMBER,
    NUMBER_ID,
    TOKEN,
    WhatsAppStandIn,
    graph_error,
    message,
    post_body,
    signed,
    status,
)

CUSTOMER = "380671234567"
TEMPLATES = ["order_update en_US | Your order is on its way", "hello_world uk"]


@pytest.fixture
def standin():
    found = WhatsAppStandIn()
    yield found
    found.close()


@pytest.fixture
def number(world, standin):
    """A WhatsApp channel Anna may see, talking to the stand-in."""
    settings = {"phone_number_id": NUMBER_ID, "access_token": TOKEN, "app_secret": APP_SECRET,
                "verify_token": "vt-wa", "api_url": standin.base_url,
                "templates": TEMPLATES}  # fmt: skip
    channel = accounts.create_channel(
        world.store, world.olga, "whatsapp", "WhatsApp", "🟢", settings
    )
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    return channel


def post(world, number, messages=(), statuses=(), names=None, follow=True, **more):
    body = post_body(messages, statuses, names, **more)
    platform = whatsapp.WHATSAPP
    received = meta.receive(world.store, platform, number.id, signed(body), body)
    if follow:
        meta.follow_up(world.store, platform, number.id, received)
    return received


def text(mid, words, sender=CUSTOMER):
    return message(sender, mid, body=words)


def rows(world, user=None):
    return reads.list_chats(world.store, user or world.anna, ChatFilter(state="all")).rows


def shown(world, chat_id):
    return reads.list_messages(world.store, world.anna, chat_id)


def deliver(world):
    world.delivered = getattr(world, "delivered", 0) + 1
    later = utc_now() + timedelta(seconds=2 * world.delivered)
    return delivery.deliver_due(world.store, CONNECTORS, now=later)


def replied(world, number, words="Hello", **more):
    post(world, number, [text("wamid.in1", "Hi")])
    [row] = rows(world)
    reply = conversation.send_reply(world.store, world.anna, row.id, words, **more)
    deliver(world)
    return row, reply


def state_of(world, chat_id, message_id):
    found = next(m for m in shown(world, chat_id) if m.id == message_id)
    return found.delivery_state, found.delivery_error


def test_a_post_without_the_right_signature_is_refused_and_stores_nothing(world, number):
    body = post_body([text("wamid.1", "Hello")])
    for wrong in (None, "", "sha256=00", signed(body, "another-secret-0123456"), signed(b"{}")):
        with pytest.raises(PermissionDenied, match="X-Hub-Signature-256"):
            meta.receive(world.store, whatsapp.WHATSAPP, number.id, wrong, body)
    assert rows(world) == []
    post(world, number, [text("wamid.1", "Hello")], names={CUSTOMER: "Maria Koval"})
    [row] = rows(world)
    assert (row.name, row.badge) == ("Maria Koval", 1)


def test_a_batch_is_stored_once_and_a_retry_of_it_stores_nothing_new(world, number):
    batch = [text("wamid.1", "Hello"), text("wamid.2", "Do you ship?", sender="380500000002"),
             text("wamid.3", "Anyone?"), text("wamid.1", "Hello")]  # fmt: skip
    post(world, number, batch)
    post(world, number, batch)
    assert sorted(row.badge for row in rows(world)) == [1, 2]
    texts = sorted([m.text for m in shown(world, row.id)] for row in rows(world))
    assert texts == [["Do you ship?"], ["Hello", "Anyone?"]]


def test_events_it_does_not_take_and_other_numbers_are_acknowledged_and_left(world, number):
    strange = [
        message(CUSTOMER, "wamid.u", "unsupported", errors=[{"code": 131051}]),
        message(CUSTOMER, "wamid.s", "system", system={"body": "changed number"}),
        {"from": CUSTOMER},
        message(CUSTOMER, "wamid.n", text={"body": 42}),
        "not a message",
        text("wamid.long", "x", sender="3" * 500),
    ]
    post(world, number, [*strange, text("wamid.1", "Привіт 👋 <b>not bold</b>")])
    post(world, number, [text("wamid.9", "For the other number")], number_id="999")
    [row] = rows(world)
    assert [m.text for m in shown(world, row.id)] == ["Привіт 👋 <b>not bold</b>"]


def test_media_is_kept_on_arrival_with_the_token_and_served_by_access(world, number, standin):
    standin.media["m-photo"] = ("image/jpeg", b"\xff\xd8 a jpeg")
    standin.media["m-pdf"] = ("application/pdf", b"%PDF an invoice")
    standin.media["m-voice"] = ("audio/ogg", b"OggS a voice")
    post(world, number, [
        message(CUSTOMER, "wamid.1", "image",
                image={"id": "m-photo", "mime_type": "image/jpeg", "caption": "This one?"}),
        message(CUSTOMER, "wamid.2", "document",
                document={"id": "m-pdf", "mime_type": "application/pdf",
                          "filename": "invoice-42.pdf"}),
        message(CUSTOMER, "wamid.3", "audio",
                audio={"id": "m-voice", "mime_type": "audio/ogg; codecs=opus", "voice": True}),
    ])  # fmt: skip
    assert sorted(standin.downloads) == ["m-pdf", "m-photo", "m-voice"]
    standin.media.clear()  # WhatsApp's addresses expire
    [row] = rows(world)
    photo, invoice, voice = shown(world, row.id)
    assert photo.text == "This one?" and invoice.text == "" and voice.text == ""
    found = [(a.kind, a.mime_type, a.file_name) for m in (photo, invoice, voice)
             for a in m.attachments]  # fmt: skip
    assert found == [(FileKind.PHOTO, "image/jpeg", None),
                     (FileKind.DOCUMENT, "application/pdf", "invoice-42.pdf"),
                     (FileKind.VOICE, "audio/ogg", None)]  # fmt: skip
    file_id = invoice.attachments[0].id
    assert channel_files.fetch(world.store, world.anna, file_id)[1] == b"%PDF an invoice"
    with pytest.raises(Exception, match="No such file"):
        channel_files.fetch(world.store, world.boris, file_id)
    assert len(standin.downloads) == 3


def test_locations_buttons_and_contacts_show_as_text(world, number):
    post(world, number, [
        message(CUSTOMER, "wamid.1", "location",
                location={"latitude": 50.45, "longitude": 30.52, "name": "Shop",
                          "address": "Khreshchatyk 1, Kyiv"}),
        message(CUSTOMER, "wamid.2", "button", button={"text": "Track my order", "payload": "t"}),
        message(CUSTOMER, "wamid.3", "interactive",
                interactive={"type": "list_reply",
                             "list_reply": {"id": "2", "title": "Nova Poshta"}}),
        message(CUSTOMER, "wamid.4", "contacts",
                contacts=[{"name": {"formatted_name": "Ivan Petrenko"},
                           "phones": [{"phone": "+380 67 000 0001"}]}]),
    ])  # fmt: skip
    [row] = rows(world)
    assert [m.text for m in shown(world, row.id)] == [
        "📍 Location: Shop, Khreshchatyk 1, Kyiv (50.45, 30.52)",
        "Track my order",
        "Nova Poshta",
        "👤 Contact: Ivan Petrenko +380 67 000 0001",
    ]
    assert row.badge == 4


def test_a_reaction_is_a_short_system_line_stored_once_that_leaves_the_badge(world, number):
    row, reply = replied(world, number, "The blue one is 450 UAH")
    reaction = message(CUSTOMER, "wamid.r1", "reaction",
                       reaction={"message_id": "wamid.sent1", "emoji": "👍"})  # fmt: skip
    post(world, number, [reaction])
    post(world, number, [reaction])
    post(world, number, [message(CUSTOMER, "wamid.r2", "reaction",
                                 reaction={"message_id": "wamid.sent1"})])  # fmt: skip
    lines = [m for m in shown(world, row.id) if m.kind == MessageKind.SYSTEM]
    assert [m.text for m in lines][-2:] == [
        "The customer reacted 👍 to “The blue one is 450 UAH”.",
        "The customer took back their reaction to “The blue one is 450 UAH”.",
    ]
    [now] = rows(world)
    assert now.badge == 0


def test_a_reply_goes_as_whatsapp_documents_and_quotes_the_message_it_answers(
    world, number, standin
):
    post(world, number, [text("wamid.in1", "Hi"), text("wamid.in2", "Size M?")])
    [row] = rows(world)
    quoted = shown(world, row.id)[1]
    reply = conversation.send_reply(world.store, world.anna, row.id, "Yes, M", quoted.id)
    deliver(world)
    assert standin.sent == [{
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": CUSTOMER,
        "type": "text", "text": {"preview_url": False, "body": "Yes, M"},
        "context": {"message_id": "wamid.in2"},
    }]  # fmt: skip
    assert state_of(world, row.id, reply.id) == (DeliveryState.SENT, None)


def test_statuses_move_a_replys_ticks_to_delivered_then_read(world, number):
    row, first = replied(world, number, "One")
    second = conversation.send_reply(world.store, world.anna, row.id, "Two")
    deliver(world)
    post(world, number, statuses=[status("wamid.sent1", "sent")])
    assert state_of(world, row.id, first.id)[0] == DeliveryState.SENT
    post(world, number, statuses=[status("wamid.sent1", "delivered"),
                                  status("wamid.sent2", "delivered")])  # fmt: skip
    assert state_of(world, row.id, second.id)[0] == DeliveryState.DELIVERED
    post(world, number, statuses=[status("wamid.sent1", "read")])
    assert state_of(world, row.id, first.id)[0] == DeliveryState.READ
    assert state_of(world, row.id, second.id)[0] == DeliveryState.DELIVERED
    post(world, number, statuses=[status("wamid.sent2", "read"), status("wamid.sent1", "read")])
    assert state_of(world, row.id, second.id)[0] == DeliveryState.READ
    assert state_of(world, row.id, first.id)[0] == DeliveryState.READ


def test_a_failed_status_makes_the_reply_not_delivered_with_whatsapps_reason(world, number):
    row, reply = replied(world, number)
    failure = {
        "code": 131026,
        "title": "Message undeliverable",
        "error_data": {"details": "The recipient's phone number is not on WhatsApp."},
    }
    post(world, number, statuses=[status("wamid.sent1", "failed", errors=[failure])])
    assert state_of(world, row.id, reply.id) == (
        DeliveryState.FAILED,
        "WhatsApp: Message undeliverable (code 131026): The recipient's phone number is not on "
        "WhatsApp.",
    )
    conversation.retry_delivery(world.store, world.anna, reply.id)
    assert state_of(world, row.id, reply.id)[0] == DeliveryState.PENDING


def test_after_24_hours_free_text_is_refused_and_a_template_goes(world, number, standin):
    post(world, number, [text("wamid.in1", "Hi")])
    with world.store.write() as cur:  # the customer wrote 25 hours ago
        cur.execute("UPDATE chats SET last_customer_at = ?", [utc_now() - timedelta(hours=25)])
    [row] = rows(world)
    with pytest.raises(InvalidInput) as refused:
        conversation.send_reply(world.store, world.anna, row.id, "Still there?")
    said = str(refused.value)
    assert "within 24 hours" in said and "window closed on" in said and "templates" in said
    sent = conversation.send_template(world.store, world.anna, row.id, "order_update en_US")
    assert sent.text == "Your order is on its way" and sent.template == "order_update en_US"
    with pytest.raises(InvalidInput, match="no such template"):
        conversation.send_template(world.store, world.anna, row.id, "made_up en_US")
    deliver(world)
    [body] = standin.sent
    assert body["type"] == "template" and body["to"] == CUSTOMER
    assert body["template"] == {"name": "order_update", "language": {"code": "en_US"}}
    assert state_of(world, row.id, sent.id)[0] == DeliveryState.SENT
    [now] = rows(world)
    assert now.assignee_id == world.anna.id  # a template is a first reply like any other


def test_a_template_whatsapp_does_not_know_fails_with_its_reason(world, number, standin):
    standin.templates.discard("hello_world uk")
    post(world, number, [text("wamid.in1", "Hi")])
    [row] = rows(world)
    sent = conversation.send_template(world.store, world.anna, row.id, "hello_world uk")
    deliver(world)
    state, error = state_of(world, row.id, sent.id)
    assert state == DeliveryState.FAILED and "code 132001" in error and "hello_world" in error


def test_the_reply_box_learns_when_the_window_closes_and_the_templates(world, number):
    post(world, number, [text("wamid.in1", "Hi")])
    [row] = rows(world)
    screen = reads.chats_screen(world.store, world.anna, None, row.id, 50)
    rules = screen.reply_rules
    assert rules.app == "WhatsApp" and rules.window == "24 hours"
    assert rules.closes_at == row.last_customer_at + timedelta(hours=24)
    assert not rules.closed(utc_now()) and rules.closed(utc_now() + timedelta(hours=25))
    assert [(t.key, t.label, t.text) for t in rules.templates] == [
        ("order_update en_US", "order_update (en_US)", "Your order is on its way"),
        ("hello_world uk", "hello_world (uk)", "Template “hello_world” (uk)"),
    ]
    telegram = world.customer_writes("Hi")
    other = reads.chats_screen(world.store, world.anna, None, telegram.chat_id, 50).reply_rules
    assert other.closes_at is None and other.templates == []


@pytest.mark.parametrize(
    "answer, state, said",
    [
        ((400, graph_error("(#130429) Rate limit hit", 130429), {}), DeliveryState.PENDING,
         "Rate limit hit"),
        ((500, graph_error("(#131000) Something went wrong", 131000), {}), DeliveryState.PENDING,
         "Something went wrong"),
        ((400, graph_error("(#131047) Re-engagement message", 131047,
                           "More than 24 hours have passed since the customer last replied"), {}),
         DeliveryState.FAILED, "Re-engagement message: More than 24 hours"),
    ],
)  # fmt: skip
def test_whatsapps_errors_are_waited_out_retried_or_shown(world, number, standin, answer, state,
                                                          said):  # fmt: skip
    standin.send_failures.append(answer)
    row, reply = replied(world, number)
    found_state, error = state_of(world, row.id, reply.id)
    assert found_state == state and said in error


def test_a_send_whatsapp_did_not_answer_may_not_have_arrived(world, number, standin):
    accounts.configure_channel(world.store, world.olga, number.id, timeout_seconds=0.3)
    standin.send_delay = 1.0
    row, reply = replied(world, number)
    assert state_of(world, row.id, reply.id)[0] == DeliveryState.UNKNOWN


def test_settings_connect_the_number_from_a_real_check_and_keep_secrets_out_of_sight(
    world, standin
):
    channel = channel_settings.add_channel(world.store, world.olga, "whatsapp", "WA", "🟢")
    accounts.configure_channel(world.store, world.olga, channel.id, api_url=standin.base_url)
    change = channel_settings.change_setting
    with pytest.raises(InvalidInput, match="phone number id first"):
        change(world.store, world.olga, channel.id, "access_token", TOKEN)
    with pytest.raises(InvalidInput, match="digits only"):
        change(world.store, world.olga, channel.id, "phone_number_id", "+380 44 555 0100")
    change(world.store, world.olga, channel.id, "phone_number_id", NUMBER_ID)
    with pytest.raises(InvalidInput, match="WhatsApp did not accept this token: .*code 190"):
        change(world.store, world.olga, channel.id, "access_token", "EAAG-not-the-right-one-000")
    change(world.store, world.olga, channel.id, "access_token", TOKEN)
    change(world.store, world.olga, channel.id, "app_secret", APP_SECRET)
    with pytest.raises(InvalidInput, match="name and language"):
        change(world.store, world.olga, channel.id, "templates", "order update please")
    change(world.store, world.olga, channel.id, "templates", "Order_Update en_US | On its way")
    [found] = [s for s in channel_settings.overview(world.store, world.olga) if s.id == channel.id]
    assert found.lines[0] == f"Connected as Candle Shop ({DISPLAY_NUMBER})"
    assert f"/api/channels/{channel.id}/whatsapp" in found.lines[1]
    assert found.lines[-1] == "Templates for replies after 24 hours: 1"
    assert TOKEN not in repr(found) and APP_SECRET not in repr(found)
    with world.store.read() as cur:
        stored = channels.settings(cur, channel.id)
    assert stored["templates"] == ["order_update en_US | On its way"] and stored["verify_token"]


def test_webhook_verification_answers_only_the_channels_own_token(world, number):
    ask = {"hub.mode": "subscribe", "hub.verify_token": "vt-wa", "hub.challenge": "1158201444"}
    assert meta.verify(world.store, whatsapp.WHATSAPP, number.id, ask) == "1158201444"
    with pytest.raises(PermissionDenied):
        meta.verify(world.store, whatsapp.WHATSAPP, number.id, {**ask, "hub.verify_token": "x"})


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_files_are_uploaded_first_then_sent_by_id_the_text_as_the_first_caption(
    world, number, standin
):
    post(world, number, [text("wamid.in1", "Photo and the invoice?")])
    [row] = rows(world)
    [question] = shown(world, row.id)
    reply = conversation.send_reply(
        world.store, world.anna, row.id, "Here you are", question.id, files=[
            Upload(name="red.png", body=PNG),
            Upload(name="Рахунок.pdf", mime_type="application/pdf", body=b"%PDF-1.7"),
        ],
    )  # fmt: skip
    deliver(world)
    photo_id, invoice_id = standin.uploaded
    assert standin.uploaded[photo_id]["body"] == PNG
    assert standin.uploaded[photo_id]["type"] == "image/png"
    assert standin.uploaded[invoice_id]["file_name"] == "Рахунок.pdf"
    photo, invoice = standin.sent
    assert photo["type"] == "image"
    assert photo["image"] == {"id": photo_id, "caption": "Here you are"}
    assert photo["context"] == {"message_id": "wamid.in1"}
    assert invoice["type"] == "document" and "context" not in invoice
    assert invoice["document"] == {"id": invoice_id, "filename": "Рахунок.pdf"}
    assert state_of(world, row.id, reply.id) == (DeliveryState.SENT, None)
    # The second part's statuses are the reply's.
    post(world, number, statuses=[status("wamid.sent4", "delivered")])
    assert state_of(world, row.id, reply.id)[0] == DeliveryState.DELIVERED


def test_a_file_whatsapp_refuses_to_take_stops_the_reply_before_anything_is_sent(
    world, number, standin
):
    post(world, number, [text("wamid.in1", "Photos?")])
    [row] = rows(world)
    standin.upload_failures.append(
        (400, graph_error("(#131053) Media upload error", 131053, "unsupported file"))
    )
    reply = conversation.send_reply(
        world.store, world.anna, row.id, "Two photos",
        files=[Upload(name="a.png", body=PNG), Upload(name="b.png", body=PNG)],
    )  # fmt: skip
    deliver(world)
    assert standin.sent == [], "no message went out"
    state, reason = state_of(world, row.id, reply.id)
    assert state == DeliveryState.FAILED and "Media upload error" in reason


def test_whatsapp_takes_office_documents_only(world, number):
    post(world, number, [text("wamid.in1", "The design file?")])
    [row] = rows(world)
    design = Upload(name="design.psd", mime_type="image/vnd.adobe.photoshop", body=b"8BPS")
    archive = Upload(name="all.zip", mime_type="application/zip", body=b"PK\x03\x04")
    with pytest.raises(
        InvalidInput, match=r"WhatsApp does not take files of this type \(“all.zip”\)"
    ):
        conversation.send_reply(world.store, world.anna, row.id, "", files=[archive])
    with pytest.raises(InvalidInput, match="design.psd"):
        conversation.send_reply(world.store, world.anna, row.id, "", files=[design])
