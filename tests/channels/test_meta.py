"""Facebook Messenger and Instagram Direct against a Graph API stand-in over real HTTP: signed
webhook posts stored once, echoes as staff, files kept before their addresses expire, profiles
looked up once, the reply window, Meta's errors and read marks."""

from datetime import UTC, timedelta

import pytest

from inbox.channels import delivery, meta
from inbox.channels.registry import CONNECTORS
from inbox.clock import utc_now
from inbox.errors import InvalidInput, PermissionDenied
from inbox.models import ChatFilter, DeliveryState, MessageKind, Upload
from inbox.services import accounts, channel_files, channel_settings, conversation, reads
from inbox.store import channels
from tests.channels.meta_standin import (
    APP_SECRET,
    PAGE_ID,
    PAGE_TOKEN,
    MetaStandIn,
    messaging,
    oauth_error,
    post_body,
    signed,
)

PLATFORMS = {"messenger": meta.MESSENGER, "instagram": meta.INSTAGRAM}


@pytest.fixture
def standin():
    found = MetaStandIn()
    yield found
    found.close()


@pytest.fixture(params=list(PLATFORMS))
def page(request, world, standin):
    """A Messenger or Instagram channel Anna may see, talking to the stand-in."""
    platform = PLATFORMS[request.param]
    settings = {"page_token": PAGE_TOKEN, "app_secret": APP_SECRET, "verify_token": "vt-123",
                "api_url": standin.base_url}  # fmt: skip
    channel = accounts.create_channel(
        world.store, world.olga, platform.name, platform.label, "📷", settings
    )
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    return platform, channel


def post(world, page, *events, secret=APP_SECRET, follow=True):
    platform, channel = page
    body = post_body(platform.webhook_object, *events)
    received = meta.receive(world.store, platform, channel.id, signed(body, secret), body)
    if follow:
        meta.follow_up(world.store, platform, channel.id, received)
    return received


def text(mid, words, sender="psid-1", **more):
    return messaging(sender, PAGE_ID, message={"mid": mid, "text": words, **more})


def echo(mid, words, to="psid-1", **more):
    return messaging(PAGE_ID, to, message={"mid": mid, "text": words, "is_echo": True, **more})


def deliver(world):
    """The delivery worker's step; each a few seconds after the last, as replies to one chat
    go a second apart."""
    world.delivered = getattr(world, "delivered", 0) + 1
    later = utc_now() + timedelta(seconds=2 * world.delivered)
    return delivery.deliver_due(world.store, CONNECTORS, now=later)


def chat_of(world, user=None):
    rows = reads.list_chats(world.store, user or world.anna, ChatFilter(state="all")).rows
    return rows


def shown(world, chat_id):
    return reads.list_messages(world.store, world.anna, chat_id)


def test_a_post_without_the_right_signature_is_refused_and_stores_nothing(world, page):
    platform, channel = page
    body = post_body(platform.webhook_object, text("m.1", "Hello"))
    for wrong in (None, "", "sha256=00", signed(body, "another-secret-0123456"), signed(b"{}")):
        with pytest.raises(PermissionDenied, match="X-Hub-Signature-256"):
            meta.receive(world.store, platform, channel.id, wrong, body)
    assert chat_of(world) == []
    meta.receive(world.store, platform, channel.id, signed(body), body)
    assert [row.badge for row in chat_of(world)] == [1]


def test_a_batch_is_stored_in_one_go_and_metas_retry_of_it_stores_nothing_new(world, page):
    events = [text("m.1", "Hello"), text("m.2", "Do you ship?", sender="psid-2"),
              text("m.3", "Anyone?"), text("m.1", "Hello")]  # fmt: skip
    post(world, page, *events)
    post(world, page, *events)
    rows = chat_of(world)
    assert sorted(row.badge for row in rows) == [1, 2]
    texts = [[m.text for m in shown(world, row.id)] for row in rows]
    assert sorted(texts) == [["Do you ship?"], ["Hello", "Anyone?"]]


def test_events_the_inbox_does_not_take_are_acknowledged_beside_the_ones_it_does(world, page):
    strange = [
        messaging("psid-1", PAGE_ID, reaction={"mid": "m.1", "action": "react", "emoji": "❤"}),
        messaging("psid-1", PAGE_ID, postback={"title": "Start", "payload": "GET_STARTED"}),
        {"sender": "not an object"},
        messaging("psid-1", PAGE_ID, message={"mid": "m.9", "text": 42}),
        "not an event",
        text("m.2", "x" * 10, sender="p" * 500),  # an id longer than any platform's
    ]
    post(world, page, *strange, text("m.1", "Привіт 👋 <b>not bold</b>"))
    [row] = chat_of(world)
    assert [m.text for m in shown(world, row.id)] == ["Привіт 👋 <b>not bold</b>"]


def test_a_message_sent_from_metas_app_shows_as_staff_and_leaves_the_badge(world, page):
    platform, _ = page
    post(world, page, text("m.1", "Is the blue one in stock?"))
    post(world, page, echo("m.2", "Yes, two left"))
    [row] = chat_of(world)
    assert row.badge == 1
    *_, answer = shown(world, row.id)
    assert (answer.kind, answer.text, answer.sent_from) == (
        MessageKind.MANAGER, "Yes, two left", platform.name
    )  # fmt: skip
    assert answer.author_id is None and answer.delivery_state is None


def test_the_echo_of_a_reply_the_inbox_sent_is_not_stored_again(world, page, standin):
    platform, _ = page
    post(world, page, text("m.1", "Hi"))
    [row] = chat_of(world)
    early = conversation.send_reply(world.store, world.anna, row.id, "Hello from the shop")
    post(world, page, echo("m.echo-early", "Hello from the shop"))  # before the send finished
    deliver(world)
    [sent] = standin.sent
    assert sent["recipient"] == {"id": "psid-1"} and sent["messaging_type"] == "RESPONSE"
    later = conversation.send_reply(world.store, world.anna, row.id, "Anything else?")
    deliver(world)
    if platform is meta.MESSENGER:  # Messenger echoes the metadata we sent
        assert standin.sent[1]["message"]["metadata"] == f"inbox:{later.id}"
        post(world, page, echo("m.other", "Anything else?", metadata=f"inbox:{later.id}"))
    post(world, page, echo("m_sent_2", "Anything else?"))  # the id Meta gave our send
    texts = [(m.text, m.sent_from) for m in shown(world, row.id) if m.kind != MessageKind.SYSTEM]
    assert texts == [("Hi", None), ("Hello from the shop", None), ("Anything else?", None)]
    assert {early.id, later.id} <= {m.id for m in shown(world, row.id)}


def test_files_are_kept_when_they_arrive_and_served_after_their_addresses_expire(
    world, page, standin
):
    photo = standin.file_url("photo.jpg", b"\xff\xd8 a jpeg")
    manual = standin.file_url("manual.pdf", b"%PDF a manual")
    attachments = [{"type": "image", "payload": {"url": photo}},
                   {"type": "file", "payload": {"url": manual}}]  # fmt: skip
    post(
        world,
        page,
        messaging("psid-1", PAGE_ID, message={"mid": "m.1", "attachments": attachments}),
    )
    assert sorted(standin.downloads) == ["manual.pdf", "photo.jpg"]
    standin.expired |= {"photo.jpg", "manual.pdf"}
    [row] = chat_of(world)
    [message] = shown(world, row.id)
    kinds = [(a.kind.value, a.mime_type) for a in message.attachments]
    assert kinds == [("photo", "image/jpeg"), ("document", "application/pdf")]
    bodies = [channel_files.fetch(world.store, world.anna, a.id)[1] for a in message.attachments]
    assert bodies == [b"\xff\xd8 a jpeg", b"%PDF a manual"]
    with pytest.raises(Exception, match="No such file"):
        channel_files.fetch(world.store, world.boris, message.attachments[0].id)
    assert len(standin.downloads) == 2


def test_a_file_that_could_not_be_kept_is_fetched_when_opened(world, page, standin):
    photo = standin.file_url("late.jpg", b"late bytes")
    standin.files.pop("late.jpg")  # not there yet when the message arrives
    attachment = {"type": "image", "payload": {"url": photo}}
    post(
        world,
        page,
        messaging("psid-1", PAGE_ID, message={"mid": "m.1", "attachments": [attachment]}),
    )
    [row] = chat_of(world)
    [found] = shown(world, row.id)[0].attachments
    standin.files["late.jpg"] = b"late bytes"
    assert channel_files.fetch(world.store, world.anna, found.id)[1] == b"late bytes"
    standin.expired.add("late.jpg")
    assert channel_files.fetch(world.store, world.anna, found.id)[1] == b"late bytes"


def test_a_new_leads_name_and_photo_come_from_the_profile_once(world, page, standin):
    picture = standin.file_url("face.jpg", b"a face")
    standin.profiles["psid-1"] = {"first_name": "Maria", "last_name": "Koval",
                                  "name": "Maria Koval", "username": "maria.k",
                                  "profile_pic": picture}  # fmt: skip
    post(world, page, text("m.1", "Hi"))
    post(world, page, text("m.2", "Hello?"))
    assert standin.profile_lookups == ["psid-1"]
    [row] = chat_of(world)
    assert row.name == "Maria Koval" and row.avatar_url
    standin.expired.add("face.jpg")
    photo_id = int(row.avatar_url.rstrip("/").rsplit("/", 1)[-1])
    assert channel_files.fetch(world.store, world.anna, photo_id)[1] == b"a face"


def test_a_lead_whose_profile_is_hidden_keeps_a_guest_name(world, page, standin):
    post(world, page, text("m.1", "Hi", sender="psid-hidden"))
    [row] = chat_of(world)
    assert row.name == "Guest psid-hidden" and standin.profile_lookups == ["psid-hidden"]


def wrote_hours_ago(world, page, hours):
    post(world, page, text("m.1", "Hi"))
    [row] = chat_of(world)
    return row, utc_now() + timedelta(hours=hours)


def test_a_reply_after_the_24_hour_window_is_refused_before_sending(world, page, standin):
    row, later = wrote_hours_ago(world, page, 25)
    with pytest.raises(InvalidInput) as refused:
        conversation.send_reply(world.store, world.anna, row.id, "Sorry for the wait", now=later)
    said = str(refused.value)
    assert "within 24 hours" in said and "window closed on" in said and "UTC" in said
    assert [m.text for m in shown(world, row.id)] == ["Hi"] and standin.sent == []
    conversation.send_reply(
        world.store, world.anna, row.id, "In time", now=later - timedelta(hours=2)
    )


def test_the_human_agent_tag_lets_a_page_answer_within_seven_days(world, page, standin):
    platform, channel = page
    channel_settings.change_setting(
        world.store, world.olga, channel.id, "human_agent", "on", drawn="off"
    )
    with world.store.write() as cur:  # the customer wrote two days ago
        cur.execute("UPDATE chats SET last_customer_at = ?", [utc_now() - timedelta(days=2)])
    post(world, page, echo("m.0", "an old echo"), follow=False)  # makes the chat, no customer text
    [row] = chat_of(world)
    with world.store.write() as cur:
        cur.execute("UPDATE chats SET last_customer_at = ?", [utc_now() - timedelta(days=2)])
    conversation.send_reply(world.store, world.anna, row.id, "Still interested?")
    deliver(world)
    [sent] = standin.sent
    assert (sent["messaging_type"], sent["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")
    with pytest.raises(InvalidInput, match="within 7 days"):
        conversation.send_reply(
            world.store, world.anna, row.id, "Too late", now=utc_now() + timedelta(days=6)
        )


def test_instagram_counts_a_replys_bytes(world, standin):
    settings = {"page_token": PAGE_TOKEN, "app_secret": APP_SECRET, "api_url": standin.base_url}
    channel = accounts.create_channel(world.store, world.olga, "instagram", "Insta", "📷", settings)
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    page = (meta.INSTAGRAM, channel)
    post(world, page, text("m.1", "Hi"))
    [row] = chat_of(world)
    with pytest.raises(InvalidInput, match="at most 1000 bytes; this one has 1200"):
        conversation.send_reply(world.store, world.anna, row.id, "ї" * 600)
    conversation.send_reply(world.store, world.anna, row.id, "ї" * 500)


def sent_and_shown(world, page, standin, *failures):
    post(world, page, text("m.1", "Hi"))
    [row] = chat_of(world)
    standin.send_failures.extend(failures)
    reply = conversation.send_reply(world.store, world.anna, row.id, "Hello")
    deliver(world)
    return next(m for m in shown(world, row.id) if m.id == reply.id)


def test_metas_rate_limit_is_waited_out(world, page, standin):
    limited = oauth_error("(#4) Application request limit reached", 4, kind="OAuthException")
    shown_now = sent_and_shown(world, page, standin, (400, limited, {}))
    assert shown_now.delivery_state == DeliveryState.PENDING
    assert "request limit" in shown_now.delivery_error
    with world.store.read() as cur:
        [[next_try_at]] = cur.execute("SELECT next_try_at FROM deliveries").fetchall()
    assert timedelta(seconds=55) < next_try_at - utc_now() <= timedelta(seconds=65)  # from then


def test_a_reply_meta_refuses_is_not_delivered_with_metas_reason(world, page, standin):
    refused = oauth_error("(#10) This message is sent outside of allowed window.", 10, 2018278)
    shown_now = sent_and_shown(world, page, standin, (400, refused, {}))
    assert shown_now.delivery_state == DeliveryState.FAILED
    assert shown_now.delivery_error == (
        "Meta: (#10) This message is sent outside of allowed window. (code 10/2018278)"
    )


def test_a_server_error_is_tried_again_after_metas_retry_after(world, page, standin):
    shown_now = sent_and_shown(world, page, standin, (503, {}, {"Retry-After": "7"}))
    assert shown_now.delivery_state == DeliveryState.PENDING
    assert shown_now.delivery_error == "Meta answered HTTP 503"


def test_a_send_meta_did_not_answer_may_not_have_arrived(world, page, standin):
    _, channel = page
    accounts.configure_channel(world.store, world.olga, channel.id, timeout_seconds=0.3)
    standin.send_delay = 1.0
    shown_now = sent_and_shown(world, page, standin)
    assert shown_now.delivery_state == DeliveryState.UNKNOWN


def test_a_read_from_the_customer_marks_our_replies_read(world, page, standin):
    platform, _ = page
    post(world, page, text("m.1", "Hi"))
    [row] = chat_of(world)
    first = conversation.send_reply(world.store, world.anna, row.id, "One")
    deliver(world)
    second = conversation.send_reply(world.store, world.anna, row.id, "Two")
    deliver(world)
    if platform is meta.MESSENGER:  # a watermark: everything sent before it
        made = first.created_at.replace(tzinfo=UTC)
        read = {"watermark": int(made.timestamp() * 1000) + 1}
    else:  # Instagram names the message read
        read = {"mid": "m_sent_1"}
    post(world, page, messaging("psid-1", PAGE_ID, read=read))
    states = {m.id: m.delivery_state for m in shown(world, row.id)}
    assert (states[first.id], states[second.id]) == (DeliveryState.READ, DeliveryState.SENT)


def test_webhook_verification_answers_only_the_channels_own_token(world, page):
    platform, channel = page
    ask = {"hub.mode": "subscribe", "hub.verify_token": "vt-123", "hub.challenge": "1158201444"}
    assert meta.verify(world.store, platform, channel.id, ask) == "1158201444"
    for wrong in ({**ask, "hub.verify_token": "vt-124"}, {**ask, "hub.mode": "unsubscribe"},
                  {k: v for k, v in ask.items() if k != "hub.verify_token"}):  # fmt: skip
        with pytest.raises(PermissionDenied):
            meta.verify(world.store, platform, channel.id, wrong)


def test_a_disabled_page_refuses_posts(world, page):
    _, channel = page
    channel_settings.set_enabled(world.store, world.olga, channel.id, False, drawn=True)
    with pytest.raises(PermissionDenied, match="disabled"):
        post(world, page, text("m.1", "Hi"))


def test_settings_connect_the_page_from_a_real_check_and_keep_secrets_out_of_sight(world, standin):
    for platform, who in ((meta.MESSENGER, "Candle Shop"),
                          (meta.INSTAGRAM, "@candle.shop (page Candle Shop)")):  # fmt: skip
        channel = channel_settings.add_channel(world.store, world.olga, platform.name, "P", "📘")
        accounts.configure_channel(world.store, world.olga, channel.id, api_url=standin.base_url)
        change = channel_settings.change_setting
        with pytest.raises(InvalidInput, match="Meta did not accept this token: .*code 190"):
            change(world.store, world.olga, channel.id, "page_token", "EAAG-not-the-right-one-000")
        change(world.store, world.olga, channel.id, "page_token", PAGE_TOKEN)
        change(world.store, world.olga, channel.id, "app_secret", APP_SECRET)
        [status] = [
            s for s in channel_settings.overview(world.store, world.olga) if s.id == channel.id
        ]
        assert status.lines[0] == f"Connected as {who}"
        assert f"/api/channels/{channel.id}/{platform.name}" in status.lines[1]
        assert PAGE_TOKEN not in repr(status) and APP_SECRET not in repr(status)
        with world.store.read() as cur:
            assert channels.settings(cur, channel.id)["verify_token"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_reply_with_files_sends_the_text_then_each_file_and_their_echoes_are_ours(
    world, page, standin
):
    platform, _ = page
    post(world, page, text("m.1", "Photo of the red one?"))
    [row] = chat_of(world)
    reply = conversation.send_reply(
        world.store, world.anna, row.id, "Here", files=[Upload(name="red.png", body=PNG)] * 2
    )
    deliver(world)
    words, first, second = standin.sent
    assert words["message"]["text"] == "Here" and words["recipient"] == {"id": "psid-1"}
    for sent in (first, second):
        assert sent["message"]["attachment"] == {"type": "image", "payload": {"is_reusable": False}}
        assert sent["filedata"]["body"] == PNG and sent["filedata"]["file_name"] == "red.png"
        assert sent["filedata"]["mime_type"] == "image/png"
        assert sent["recipient"] == {"id": "psid-1"} and sent["messaging_type"] == "RESPONSE"
    found = next(m for m in shown(world, row.id) if m.id == reply.id)
    assert found.delivery_state == DeliveryState.SENT and found.external_id == "m_sent_1"
    # Instagram echoes each part with the id Meta gave it; none is stored as a new message.
    for mid in ("m_sent_1", "m_sent_2", "m_sent_3"):
        post(world, page, echo(mid, ""))
    staff = [m.id for m in shown(world, row.id) if m.kind == MessageKind.MANAGER]
    assert staff == [reply.id]


def test_instagram_takes_pictures_only_and_messenger_takes_documents(world, page, standin):
    platform, _ = page
    post(world, page, text("m.1", "The price list?"))
    [row] = chat_of(world)
    price_list = Upload(name="prices.pdf", body=b"%PDF-1.7")
    if platform is meta.INSTAGRAM:
        with pytest.raises(InvalidInput, match="Instagram takes only pictures"):
            conversation.send_reply(world.store, world.anna, row.id, "", files=[price_list])
        return
    conversation.send_reply(world.store, world.anna, row.id, "", files=[price_list])
    deliver(world)
    [sent] = standin.sent
    assert sent["message"]["attachment"]["type"] == "file"
    assert sent["message"]["metadata"].startswith("inbox:")
