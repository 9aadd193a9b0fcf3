"""The website chat widget's core (SPEC CH7): visitor tokens, allowed origins, a visitor's
own conversation, replies reaching it, read marks. On a real database."""

import pytest

from inbox.channels import delivery, registry, website
from inbox.clock import utc_now
from inbox.errors import InvalidInput, NotFound, PermissionDenied
from inbox.models import DeliveryState, Upload
from inbox.services import accounts, channel_settings, conversation, reads
from inbox.store import channels, deliveries

SHOP = "https://shop.example"


@pytest.fixture
def widget(world):
    channel = accounts.create_channel(world.store, world.olga, "website", "Shop site", "🛍️")
    channel_settings.change_setting(
        world.store, world.olga, channel.id, "origins", f"{SHOP}/\nhttps://WWW.shop.example"
    )
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    return channel


def deliver(world) -> None:
    """What the delivery worker does for the widget: stored is delivered."""
    assert delivery.deliver_due(world.store, registry.CONNECTORS) > 0


INBOX = "http://inbox.example:8501"


def test_origins_are_kept_as_site_addresses_and_others_are_refused(world, widget):
    with world.store.read() as cur:
        assert channels.settings(cur, widget.id)["origins"] == [SHOP, "https://www.shop.example"]
    website.open_channel(world.store, widget.id, "https://www.shop.example")
    for origin in (
        None,
        "",
        "https://evil.example",
        "http://shop.example",
        "https://shop.example.evil",
    ):
        with pytest.raises(PermissionDenied):
            website.open_channel(world.store, widget.id, origin, own_origins=(INBOX,))
    website.open_channel(world.store, widget.id, INBOX, own_origins=(INBOX,))  # the demo shop
    with pytest.raises(NotFound):
        website.open_channel(world.store, world.website.id, SHOP)  # an HTTP channel, not a widget
    with pytest.raises(InvalidInput, match="not a site address"):
        channel_settings.change_setting(
            world.store, world.olga, widget.id, "origins", "shop.example/page"
        )


def test_a_disabled_widget_says_the_chat_is_unavailable(world, widget):
    channel_settings.set_enabled(world.store, world.olga, widget.id, False)
    with pytest.raises(PermissionDenied, match="unavailable"):
        website.open_channel(world.store, widget.id, SHOP)


def test_a_token_names_one_visitor_of_one_channel_and_cannot_be_forged(world, widget):
    token = website.new_visitor(world.store, widget.id)
    visitor = website.visitor_of(world.store, widget.id, token)
    other_channel = accounts.create_channel(world.store, world.olga, "website", "Other", "🌐")
    forged = [None, "", visitor, f"{visitor}.", f"{visitor}.{'0' * 32}", f"x{token}", token + "0"]
    for bad in forged:
        with pytest.raises(PermissionDenied):
            website.visitor_of(world.store, widget.id, bad)
    with pytest.raises(PermissionDenied):
        website.visitor_of(world.store, other_channel.id, token)


def test_a_visitor_writes_a_manager_answers_and_the_visitor_reads_it(world, widget):
    visitor = website.visitor_of(
        world.store, widget.id, website.new_visitor(world.store, widget.id)
    )
    page = {"page_url": f"{SHOP}/custom", "page_title": "Custom knits"}
    first = website.write(world.store, widget.id, visitor, "Do you knit?", "c-1", "Maria", **page)
    again = website.write(world.store, widget.id, visitor, "Do you knit?", "c-1")
    assert first.created and not again.created, "the widget's retry is stored once"
    reply = conversation.send_reply(world.store, world.anna, first.chat_id, "We do! Any size.")
    seen = website.conversation(world.store, widget.id, visitor, 0)
    assert [m.text for m in seen.messages] == ["Do you knit?"]
    assert seen.next_after == first.message_id, "a reply on its way is not skipped"
    deliver(world)
    seen = website.conversation(world.store, widget.id, visitor, seen.next_after)
    assert [(m.mine, m.author, m.text) for m in seen.messages] == [
        (False, "Anna", "We do! Any size.")
    ]
    assert website.mark_read(world.store, widget.id, visitor, reply.id)
    states = {
        m.id: m.delivery_state for m in reads.list_messages(world.store, world.anna, first.chat_id)
    }
    assert states[reply.id] == DeliveryState.READ


def test_a_reply_whose_sending_was_cut_short_still_reaches_the_visitor(world, widget):
    visitor = website.visitor_of(
        world.store, widget.id, website.new_visitor(world.store, widget.id)
    )
    first = website.write(world.store, widget.id, visitor, "Hello?", "c-1")
    cut_short = conversation.send_reply(world.store, world.anna, first.chat_id, "Hi! One moment")
    with world.store.write() as cur:  # a server stopped while it was sending this one
        deliveries.claim(cur, cut_short.id, utc_now(), world.store.server_id)
        deliveries.abandon(cur, cut_short.id, utc_now())
    later = conversation.send_reply(world.store, world.anna, first.chat_id, "Found it")
    seen = website.conversation(world.store, widget.id, visitor, first.message_id)
    assert [m.text for m in seen.messages] == ["Hi! One moment"]
    assert seen.next_after == cut_short.id, "the reply still on its way is not skipped"
    deliver(world)
    seen = website.conversation(world.store, widget.id, visitor, seen.next_after)
    assert [m.text for m in seen.messages] == ["Found it"] and seen.next_after == later.id


def test_a_visitor_sees_only_their_own_chat(world, widget):
    maria = website.visitor_of(world.store, widget.id, website.new_visitor(world.store, widget.id))
    ivan = website.visitor_of(world.store, widget.id, website.new_visitor(world.store, widget.id))
    mine = website.write(world.store, widget.id, maria, "My address is Shevchenka 1", "c-1")
    assert website.conversation(world.store, widget.id, ivan, 0).messages == []
    assert not website.mark_read(world.store, widget.id, ivan, mine.message_id)


@pytest.mark.parametrize("text", ["", "   ", "x" * (website.MAX_TEXT_LENGTH + 1)])
def test_an_empty_or_overlong_message_is_refused_and_nothing_stored(world, widget, text):
    visitor = website.visitor_of(
        world.store, widget.id, website.new_visitor(world.store, widget.id)
    )
    with pytest.raises(InvalidInput):
        website.write(world.store, widget.id, visitor, text, "c-1")
    assert reads.count_visible_chats(world.store, world.olga) == 0


def test_a_reply_with_files_reaches_the_visitor_and_only_that_visitor_gets_them(world, widget):
    maria = website.visitor_of(world.store, widget.id, website.new_visitor(world.store, widget.id))
    ivan = website.visitor_of(world.store, widget.id, website.new_visitor(world.store, widget.id))
    first = website.write(world.store, widget.id, maria, "Photo of the red one?", "c-1")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
    reply = conversation.send_reply(
        world.store, world.anna, first.chat_id, "Here", files=[
            Upload(name="red.png", body=png),
            Upload(name="<b>care &amp; wash.pdf", body=b"%PDF-1.4"),
        ],
    )  # fmt: skip
    photo_id, pdf_id = (a.id for a in reply_files_of(world, reply))
    with pytest.raises(NotFound):  # not on its way yet: the visitor has not been shown it
        website.visitor_file(world.store, widget.id, maria, photo_id)
    deliver(world)
    [seen] = website.conversation(world.store, widget.id, maria, first.message_id).messages
    assert [(f.kind, f.name, f.type, f.size) for f in seen.files] == [
        ("photo", "red.png", "image/png", len(png)),
        ("document", "<b>care &amp; wash.pdf", "application/pdf", 8),
    ]
    shown, body = website.visitor_file(world.store, widget.id, maria, photo_id)
    assert (shown.name, body) == ("red.png", png)
    for other in (ivan, "visitor-that-never-was"):
        with pytest.raises(NotFound):
            website.visitor_file(world.store, widget.id, other, pdf_id)


def reply_files_of(world, reply):
    [shown] = [
        m for m in reads.list_messages(world.store, world.anna, reply.chat_id) if m.id == reply.id
    ]
    return shown.attachments
