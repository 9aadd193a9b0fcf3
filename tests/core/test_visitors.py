"""A website visitor's read marks and page (SPEC CH7), on a real database."""

from inbox.clock import utc_now
from inbox.models import DeliveryState, InboundMessage
from inbox.services import conversation, inbound, reads
from inbox.store import visitors


def states(world, chat: int) -> dict:
    return {m.id: m.delivery_state for m in reads.list_messages(world.store, world.anna, chat)}


def test_a_sent_reply_shows_read_once_the_customer_read_it_and_the_mark_never_moves_back(world):
    chat = world.customer_writes("Is the blue scarf in stock?").chat_id
    reply = conversation.send_reply(world.store, world.anna, chat, "Yes, two left.")
    with world.store.write() as cur:
        cur.execute("UPDATE deliveries SET state = 'sent' WHERE message_id = ?", [reply.id])
    assert states(world, chat)[reply.id] == DeliveryState.SENT
    with world.store.write() as cur:
        assert visitors.mark_read(cur, chat, reply.id, utc_now())
        assert not visitors.mark_read(cur, chat, reply.id - 1, utc_now())
        assert visitors.read_up_to(cur, chat) == reply.id
    assert states(world, chat)[reply.id] == DeliveryState.READ


def test_the_page_a_visitor_wrote_from_is_kept_as_given(world):
    page = "https://shop.example/scarves?colour=blue&<b>"
    result = inbound.receive_customer_message(world.store, InboundMessage(
        channel_id=world.website.id, external_user_id="v-1", external_message_id="m-1",
        text="Hi", page_url=page, page_title="Scarves ‮ — Woolly Fox"))  # fmt: skip
    with world.store.read() as cur:
        found = visitors.page_of(cur, result.contact_id)
    assert (found.url, found.title) == (page, "Scarves ‮ — Woolly Fox")
    card = reads.customer_card(world.store, world.anna, result.chat_id)
    assert card.visitor_page == found, "the card shows it"
