"""What pages read. Every chat read applies the user's channel access in SQL."""

import re
from collections.abc import Callable

from inbox.errors import InvalidInput, NotFound
from inbox.models import (
    Channel,
    ChatFilter,
    ChatPage,
    ChatRow,
    ChatsScreen,
    CustomerCard,
    LinkCandidates,
    Message,
    Order,
    Product,
    User,
)
from inbox.recent import KeptAtCounter
from inbox.services.common import CHAT_NOT_FOUND, ORDER_NOT_FOUND, require_chat
from inbox.services.conversation import reply_rules
from inbox.store import (
    Cursor,
    Store,
    channels,
    chats,
    contacts,
    customers,
    messages,
    orders,
    products,
    quick_replies,
    shop,
    users,
    visitors,
)


def list_chats(store: Store, user: User, chat_filter: ChatFilter) -> ChatPage:
    with store.read() as cur:
        return chats.list_for(cur, user.id, chat_filter, store.engine_name)


def get_chat(store: Store, user: User, chat_id: int) -> ChatRow:
    with store.read() as cur:
        return require_chat(cur, user, chat_id)


def list_messages(store: Store, user: User, chat_id: int, limit: int = 200) -> list[Message]:
    with store.read() as cur:
        require_chat(cur, user, chat_id)
        return messages.latest(cur, chat_id, limit)


def visible_channels(store: Store, user: User) -> list[Channel]:
    """The channels this user may see; the Chats page is theirs when this is not empty."""
    with store.read() as cur:
        return channels.visible_to(cur, user.id)


def count_visible_chats(store: Store, user: User) -> int:
    with store.read() as cur:
        return chats.count_visible(cur, user.id)


def assignable_users(store: Store, user: User, chat_id: int) -> list[User]:
    with store.read() as cur:
        chat = require_chat(cur, user, chat_id)
        return users.list_with_channel_access(cur, chat.channel_id)


def customer_card(store: Store, user: User, chat_id: int) -> CustomerCard:
    with store.read() as cur:
        return card_of(cur, require_chat(cur, user, chat_id))


def card_of(cur: Cursor, chat: ChatRow) -> CustomerCard:
    """The right column for a chat the caller has checked the user may see."""
    contact = contacts.get(cur, chat.contact_id)
    customer = customers.get(cur, contact.customer_id) if contact.customer_id else None
    count, total = customers.order_totals(cur, customer.id) if customer else (0, 0)
    return CustomerCard(
        chat_id=chat.id,
        contact=contact,
        customer=customer,
        notes=contacts.notes(cur, contact.id),
        active_orders=orders.active_for_customer(cur, customer.id) if customer else [],
        order_count=count,
        order_total=total,
        visitor_page=visitors.page_of(cur, contact.id),
    )


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LINK_SEARCH_HELP = "Type at least 3 letters of the name, or a whole phone number or email."


def find_customers_to_link(store: Store, user: User, text: str, limit: int = 5) -> LinkCandidates:
    """Customers to link a lead to, found only by a real query, a few at a time (SPEC L2).
    A customer from another channel can be found (that is the point), but their contacts
    stay masked unless they wrote in one of this user's channels."""
    query = " ".join(text.split()).lower()
    digits = "".join(c for c in query if c.isdigit())
    if EMAIL.fullmatch(query):
        kind, value = "email", query
    elif len(digits) >= 6 and not any(c.isalpha() for c in query):
        kind, value = "phone", digits
    elif sum(c.isalpha() for c in query) >= 3:
        kind, value = "name", query
    else:
        raise InvalidInput(LINK_SEARCH_HELP)
    with store.read() as cur:
        found = customers.link_candidates(cur, user.id, kind, value, limit + 1)
    return LinkCandidates(found=found[:limit], has_more=len(found) > limit)


def get_order(store: Store, user: User, order_id: int) -> Order:
    with store.read() as cur:
        order = orders.get(cur, order_id)
        if order is None or not orders.in_reach(cur, user.id, order_id):
            raise NotFound(ORDER_NOT_FOUND)
        return order


def catalogue(store: Store) -> list[Product]:
    with store.read() as cur:
        return products.catalogue(cur)


def assignable_in_any_channel(store: Store, user: User) -> list[User]:
    """People who may be responsible for some chat this user sees: the assignee filter's names."""
    with store.read() as cur:
        return users.list_sharing_channels_with(cur, user.id)


def chats_screen(
    store: Store,
    user: User,
    list_filter: Callable[[list[User]], ChatFilter] | None,
    chat_id: int | None,
    message_limit: int,
    listing: ChatsScreen | None = None,
    conversation: ChatsScreen | None = None,
    found_message_id: int | None = None,
) -> ChatsScreen:
    """Everything the Chats page shows, in one read: the list (`list_filter` turns the people
    of the "Handled by" filter into the filter; None while the list is collapsed), and the open
    chat with its latest messages, who may be made responsible, and the card.

    `listing` is an earlier screen whose list still holds (nothing was written since, and the
    filters are the same): its list is taken as it is, and only the open chat is read.
    `conversation` is an earlier screen whose open chat still holds (nothing was written to
    it since): its chat, messages and card are taken as they are, and only the list is read.
    `found_message_id` is a message a search found in the open chat: the messages shown reach
    back to it."""
    with store.read() as cur:
        if listing is not None and listing.any_chat:
            people, page = listing.people, listing.page
        else:
            people = _team_read(
                store, ("people", user.id), lambda: users.list_sharing_channels_with(cur, user.id)
            )
            page = (
                chats.list_for(cur, user.id, list_filter(people), store.engine_name)
                if list_filter
                else None
            )
            if not (page and page.rows) and not chats.any_visible(cur, user.id):
                return ChatsScreen(any_chat=False)
        if conversation is not None and conversation.chat is not None:
            return conversation.model_copy(update={"people": people, "page": page})
        chat = _open_chat(cur, user, chat_id, page)
        if chat is None:
            error = CHAT_NOT_FOUND if chat_id is not None else None
            return ChatsScreen(any_chat=True, people=people, page=page, chat_error=error)
        if found_message_id is not None:
            message_limit = max(message_limit, messages.count_since(cur, chat.id, found_message_id))
        latest = messages.latest(cur, chat.id, message_limit + 1)
        return ChatsScreen(
            any_chat=True,
            people=people,
            page=page,
            chat=chat,
            messages=latest[-message_limit:],
            has_earlier=len(latest) > message_limit,
            assignable=_team_read(
                store,
                ("assignable", chat.channel_id),
                lambda: users.list_with_channel_access(cur, chat.channel_id),
            ),
            card=card_of(cur, chat),
            reply_rules=reply_rules(cur, chat),
            shop=_team_read(store, ("shop",), lambda: shop.get(cur)),
            quick_replies=_team_read(store, ("replies",), lambda: quick_replies.list_all(cur)),
        )


def _open_chat(cur: Cursor, user: User, chat_id: int | None, page: ChatPage | None):
    """The open chat's row: the list's own when it shows the chat (the list applied the
    user's access, and was read at the same counter or later), else read by id."""
    if chat_id is None:
        return None
    for row in page.rows if page else []:
        if row.id == chat_id:
            return row.without_list_lines()
    return chats.visible(cur, user.id, chat_id)


# Who works here and who may see which channel change only with writes that name no channel.
_team_reads = KeptAtCounter(1_000)  # (file, what) -> (counter, result)


def _team_read(store: Store, what: tuple, read: Callable):
    """`read()`, or what it returned in any session while the store's counter of writes that
    name no channel stood. The counter is taken first: a write during the read is seen next."""
    version = store.version_for_everyone
    result = _team_reads.get((store.name, what), version)
    if result is None:
        result = read()
        _team_reads.put((store.name, what), version, result)
    return result
