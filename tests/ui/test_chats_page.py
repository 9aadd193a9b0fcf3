"""The Chats page through AppTest: every state and action of the three columns."""

import json
from datetime import time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from components import state
from components.formatting import markdown_plain
from inbox.channels import delivery
from inbox.clock import in_zone, utc_now, utc_of
from inbox.models import (
    ChatFilter,
    CustomerInput,
    DeliveryState,
    InboundSubscription,
    MessageKind,
    SystemEvent,
)
from inbox.services import accounts, catalogue, conversation, inbound, leads, reads, snooze
from inbox.store import chats
from tests.channel_standin import PermanentFailure, StandInChannel
from tests.core.test_customers import make_shop
from tests.ui.conftest import edit_order_lines, open_app, order_lines_shown, texts, widget

KYIV = ZoneInfo("Europe/Kyiv")
MARKDOWN_AND_HTML = "![x](http://example.invalid/p.png) <b>hi</b> **bold**"


def row_labels(at):
    return [b.label for b in at.button if b.key and b.key.startswith("chat-row-")]


def html_shown(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def messages_of(world, chat_id):
    return reads.list_messages(world.store, world.olga, chat_id)


# --- the list ---------------------------------------------------------------------------------


def test_rows_show_name_badge_and_newest_first(ui_world):
    ui_world.customer_writes("one", who="a", name="Alice")
    ui_world.customer_writes("two", who="a", name="Alice")
    ui_world.customer_writes("hi", who="b", name="Bob")
    labels = row_labels(open_app(ui_world.anna))
    assert len(labels) == 2
    assert "**Bob**" in labels[0] and ":red-badge[1]" in labels[0]
    assert "**Alice**" in labels[1] and ":red-badge[2]" in labels[1]
    assert "✈️" in labels[0], "the channel's icon"


def test_a_row_shows_the_responsible_managers_avatar_and_no_badge_after_a_reply(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    conversation.send_reply(ui_world.store, ui_world.anna, chat, "Hello")
    [label] = row_labels(open_app(ui_world.anna))
    assert ":blue-background[AM]" in label
    assert "badge" not in label


def test_a_name_full_of_markdown_is_shown_as_typed_in_the_list(ui_world):
    ui_world.customer_writes("hi", who="a", name="**boss** ![x](http://e.invalid/p.png) :red[x]")
    [label] = row_labels(open_app(ui_world.anna))
    assert r"\*\*boss\*\* \!\[x\]\(http\:" in label
    assert "![x](" not in label


def test_tabs_assignee_and_search_narrow_the_list(ui_world):
    alice = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    ui_world.customer_writes("hi", who="b", name="Bob")
    conversation.close_chat(ui_world.store, ui_world.anna, alice)
    at = open_app(ui_world.anna)
    assert ["Bob" in label for label in row_labels(at)] == [True]

    at.button_group(key=state.CHAT_TAB).set_value("Closed").run()
    assert ["Alice" in label for label in row_labels(at)] == [True]

    at.button_group(key=state.CHAT_TAB).set_value("All").run()
    at.text_input(key=state.CHAT_SEARCH).input("BO").run()
    assert ["Bob" in label for label in row_labels(at)] == [True]

    at.text_input(key=state.CHAT_SEARCH).input("").run()
    at.selectbox(key=state.CHAT_ASSIGNEE).set_value("Unassigned").run()
    assert len(row_labels(at)) == 2
    at.selectbox(key=state.CHAT_ASSIGNEE).set_value("Mine").run()
    assert row_labels(at) == []
    assert "No chats match these filters." in texts(at)


def test_a_chat_found_by_a_message_shows_its_words_and_opens_at_that_message(ui_world):
    ui_world.customer_writes("Добрий день", who="a", name="Oksana")
    asked = ui_world.customer_writes("Чи є **доставка** до Львова?", who="a", name="Oksana")
    for n in range(40):
        ui_world.customer_writes(f"later message {n}", who="a", name="Oksana")
    ui_world.customer_writes("hi", who="b", name="Bob")
    at = open_app(ui_world.anna)
    at.text_input(key=state.CHAT_SEARCH).input("ДОСТАВ").run()
    [label] = row_labels(at)
    assert "**Oksana**" in label
    assert f"🔎 Чи є {markdown_plain('**')}**доставка**{markdown_plain('**')} до" in label

    at.button(key=f"chat-row-{asked.chat_id}").click().run()
    shown = html_shown(at)
    assert shown.count('class="found-message"') == 1
    found_at = shown.index('class="found-message"')
    assert found_at < shown.index("later message 0"), "the conversation starts at the match"
    assert "доставка" in shown[found_at : shown.index("later message 0")]
    assert at.button(key=f"earlier-{asked.chat_id}").label == "Show earlier messages"

    at.button(key=f"earlier-{asked.chat_id}").click().run()
    shown = html_shown(at)
    assert 'class="found-message"' in shown, "still marked with earlier ones shown"
    assert shown.index("Добрий день") < shown.index('class="found-message"')
    at.text_input(key=state.CHAT_SEARCH).input("").run()
    at.button(key=f"chat-row-{asked.chat_id}").click().run()
    assert 'class="found-message"' not in html_shown(at), "opened from the list: no mark"


def test_channel_and_answer_filters_narrow_the_list_and_the_tabs_count_what_they_hold(ui_world):
    web = ui_world.customer_writes("hi", who="w", name="Wanda", channel=ui_world.website).chat_id
    ui_world.customer_writes("hi", who="t1", name="Tom")
    tina = ui_world.customer_writes("hi", who="t2", name="Tina").chat_id
    conversation.send_reply(ui_world.store, ui_world.anna, tina, "Hello")
    conversation.close_chat(ui_world.store, ui_world.anna, web)
    at = open_app(ui_world.anna)
    tabs = at.button_group(key=state.CHAT_TAB)
    assert tabs.proto.options and [o.content for o in tabs.proto.options] == [
        "Open 2", "Snoozed 0", "Closed 1", "All 3",
    ]  # fmt: skip
    channel = at.selectbox(key=state.CHAT_CHANNEL)
    assert channel.options == ["All", "✈️ Shop bot", "🌐 Website chat"]
    channel.set_value(ui_world.telegram.id).run()
    assert [o.content for o in at.button_group(key=state.CHAT_TAB).proto.options] == [
        "Open 2", "Snoozed 0", "Closed 0", "All 2",
    ]  # fmt: skip
    at.button_group(key=state.CHAT_ANSWER).set_value("Waiting").run()
    assert ["Tom" in label for label in row_labels(at)] == [True]
    at.button_group(key=state.CHAT_ANSWER).set_value("Answered").run()
    assert ["Tina" in label for label in row_labels(at)] == [True]
    ui_world.customer_writes("again", who="w", name="Wanda", channel=ui_world.website)
    at.run()
    assert at.selectbox(key=state.CHAT_CHANNEL).value == ui_world.telegram.id, "kept on refresh"
    assert at.button_group(key=state.CHAT_ANSWER).value == "Answered"


def test_while_searching_a_tab_counts_up_to_a_point_and_says_more(ui_world, monkeypatch):
    monkeypatch.setattr(chats, "COUNTED_UP_TO", 2)  # a large shop's rule on a small one
    for who in "abc":
        ui_world.customer_writes("wool scarf", who=who, name=f"N{who}")
    closed = ui_world.customer_writes("wool hat", who="d", name="Nd").chat_id
    conversation.close_chat(ui_world.store, ui_world.anna, closed)
    at = open_app(ui_world.anna)

    def tab_labels() -> list[str]:
        return [option.content for option in at.button_group(key=state.CHAT_TAB).proto.options]

    assert tab_labels() == ["Open 3", "Snoozed 0", "Closed 1", "All 4"], "no search: exact"
    at.text_input(key=state.CHAT_SEARCH).input("wool").run()
    assert tab_labels() == ["Open 2+", "Snoozed 0", "Closed 1", "All 2+"]
    assert "up to 2 chats" in at.button_group(key=state.CHAT_TAB).proto.help
    assert len(row_labels(at)) == 3, "the rows are all there"


def test_rows_show_the_last_line_as_typed_and_a_dot_until_the_viewer_opens_the_chat(ui_world):
    alice = ui_world.customer_writes(
        "**Is** <b>it</b> in stock?\nsecond line", who="a", name="Alice"
    )
    bob = ui_world.customer_writes("hi", who="b", name="Bob").chat_id
    conversation.send_reply(ui_world.store, ui_world.boris, bob, "Hello from Boris")
    at = open_app(ui_world.anna)
    by_name = {("Alice" if "Alice" in label else "Bob"): label for label in row_labels(at)}
    assert f":gray[{markdown_plain('**Is** <b>it</b> in stock?')}]" in by_name["Alice"]
    assert "second line" not in by_name["Alice"]
    assert ":gray[Boris: Hello from Boris]" in by_name["Bob"]
    assert ":blue[●]" in by_name["Alice"] and ":blue[●]" in by_name["Bob"]

    at.button(key=f"chat-row-{alice.chat_id}").click().run()
    at.button(key=f"chat-row-{bob}").click().run()
    by_name = {("Alice" if "Alice" in label else "Bob"): label for label in row_labels(at)}
    assert ":blue[●]" not in by_name["Alice"], "seen: no dot, though the badge stays"
    assert ":red-badge[1]" in by_name["Alice"]
    assert ":blue[●]" not in by_name["Bob"], "the open chat has none"
    boris = open_app(ui_world.boris)
    assert all(":blue[●]" in label for label in row_labels(boris) if "Alice" in label)


def test_filters_survive_opening_a_chat_and_a_refresh(ui_world):
    ui_world.customer_writes("hi", who="a", name="Alice")
    bob = ui_world.customer_writes("hi", who="b", name="Bob").chat_id
    at = open_app(ui_world.anna)
    at.text_input(key=state.CHAT_SEARCH).input("bo").run()
    at.button(key=f"chat-row-{bob}").click().run()
    ui_world.customer_writes("again", who="a", name="Alice")
    at.run()
    assert at.text_input(key=state.CHAT_SEARCH).value == "bo"
    assert ["Bob" in label for label in row_labels(at)] == [True]
    assert at.session_state[state.OPEN_CHAT_ID] == bob


def test_a_long_list_shows_a_page_of_rows_and_more_on_request(ui_world):
    for i in range(state.CHATS_PER_PAGE + 3):
        ui_world.customer_writes("hi", who=f"lead-{i}", name=f"Lead {i:02d}")
    at = open_app(ui_world.anna)
    assert len(row_labels(at)) == 25
    at.button(key="chat-list-more").click().run()
    assert len(row_labels(at)) == 28
    assert not [b for b in at.button if b.key == "chat-list-more"]


def test_the_list_can_be_collapsed_and_expanded(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    at.button(key="toggle-list").click().run()
    assert row_labels(at) == []
    assert "Hi" not in texts(at)
    at.button(key="toggle-list").click().run()
    assert len(row_labels(at)) == 1


# --- the conversation -------------------------------------------------------------------------


def test_opening_a_chat_shows_customer_text_as_plain_text(ui_world):
    chat = ui_world.customer_writes(MARKDOWN_AND_HTML, who="a", name="Alice").chat_id
    at = open_app(ui_world.anna)
    at.button(key=f"chat-row-{chat}").click().run()
    assert not at.exception
    shown = html_shown(at)
    assert "![x](http://example.invalid/p.png) &lt;b&gt;hi&lt;/b&gt; **bold**" in shown
    assert "<b>hi</b>" not in shown
    assert at.query_params["chat"] == str(chat), "the address links to the open chat"


def test_reading_a_chat_does_not_clear_its_badge(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    at.run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).badge == 1
    assert ":red-badge[1]" in row_labels(at)[0]


def test_sending_a_reply_clears_the_badge_and_makes_the_sender_responsible(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_area, f"draft-{chat}").input("Hello Alice!")
    at.button(key=f"send-{chat}").click().run()
    assert not at.exception
    row = reads.get_chat(ui_world.store, ui_world.anna, chat)
    assert (row.badge, row.assignee_name) == (0, "Anna Manager")
    assert [m.text for m in messages_of(ui_world, chat) if m.kind == MessageKind.MANAGER] == [
        "Hello Alice!"
    ]
    assert widget(at.text_area, f"draft-{chat}").value == ""
    assert "Anna Manager became responsible (first reply)." in html_shown(at)
    assert widget(at.selectbox, f"assignee-{chat}").value == "Anna Manager"


def test_an_empty_reply_is_refused_with_a_message(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    at.button(key=f"send-{chat}").click().run()
    assert [t.proto.body for t in at.toast] == ["A reply cannot be empty."]
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).badge == 1


def test_the_reply_box_holds_what_the_chats_channel_takes(ui_world):
    bot = ui_world.customer_writes("hi").chat_id
    web = ui_world.customer_writes("hi", who="w", name="Webby", channel=ui_world.website).chat_id
    assert widget(open_app(ui_world.olga, bot).text_area, f"draft-{bot}").max_chars == 4096
    assert widget(open_app(ui_world.olga, web).text_area, f"draft-{web}").max_chars == 10_000


def test_reply_to_quotes_the_message(ui_world):
    question = ui_world.customer_writes("Is the grey scarf in stock?", who="a", name="Alice")
    chat = question.chat_id
    at = open_app(ui_world.anna, chat)
    at.button(key=f"reply-{question.message_id}").click().run()
    assert "Replying to Customer: Is the grey scarf in stock?" in html_shown(at)
    widget(at.text_area, f"draft-{chat}").input("Yes, it is.")
    at.button(key=f"send-{chat}").click().run()
    [reply] = [m for m in messages_of(ui_world, chat) if m.kind == MessageKind.MANAGER]
    assert reply.reply_to.id == question.message_id
    assert "↪ Customer: Is the grey scarf in stock?" in html_shown(at)
    assert "Replying to" not in html_shown(at)


def test_a_draft_stays_with_its_chat(ui_world):
    alice = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    bob = ui_world.customer_writes("hi", who="b", name="Bob").chat_id
    at = open_app(ui_world.anna, alice)
    widget(at.text_area, f"draft-{alice}").input("Half-written answer").run()
    at.button(key=f"chat-row-{bob}").click().run()
    assert widget(at.text_area, f"draft-{bob}").value == ""
    at.button(key=f"chat-row-{alice}").click().run()
    assert widget(at.text_area, f"draft-{alice}").value == "Half-written answer"


def test_assign_reassign_and_unassign_from_the_top_bar(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.selectbox, f"assignee-{chat}").set_value("Boris Manager").run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).assignee_id == ui_world.boris.id
    widget(at.selectbox, f"assignee-{chat}").set_value("— nobody —").run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).assignee_id is None
    events = [m.event for m in messages_of(ui_world, chat) if m.event]
    assert events == [SystemEvent.ASSIGNED, SystemEvent.UNASSIGNED]


def test_only_people_who_see_the_channel_can_be_made_responsible(ui_world):
    chat = ui_world.customer_writes("hi", who="w", name="Webby", channel=ui_world.website).chat_id
    at = open_app(ui_world.anna, chat)
    options = widget(at.selectbox, f"assignee-{chat}").options
    assert "Boris Manager" not in options
    assert {"Anna Manager", "Olga Admin"} <= set(options)


def test_close_and_reopen(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    at.button(key=f"close-{chat}").click().run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).state == "closed"
    assert row_labels(at) == [], "a closed chat leaves the Open tab"
    at.button(key=f"reopen-{chat}").click().run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).state == "open"


def test_the_link_to_a_chat_opens_it_and_refuses_a_chat_out_of_reach(ui_world):
    secret = "my order number is 4471"
    web = ui_world.customer_writes(secret, who="w", name="Webby", channel=ui_world.website).chat_id
    ui_world.customer_writes("hi", who="t", name="Teddy")
    anna = open_app(ui_world.anna, web)
    assert "/?chat=" + str(web) in "".join(c.value for c in anna.code)
    assert secret in html_shown(anna)
    boris = open_app(ui_world.boris, web)
    assert [e.value for e in boris.error] == [
        "This chat does not exist or you have no access to its channel."
    ]
    assert secret not in html_shown(boris)


def test_a_failed_delivery_shows_why_and_can_be_retried(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    reply = conversation.send_reply(ui_world.store, ui_world.anna, chat, "Hello")
    channel = StandInChannel()
    channel.fail_next(PermanentFailure("Forbidden: bot was blocked by the user"))
    delivery.deliver_due(ui_world.store, channel.connectors())
    at = open_app(ui_world.anna, chat)
    assert "⚠ not delivered: Forbidden: bot was blocked by the user" in html_shown(at)
    at.button(key=f"retry-{reply.id}").click().run()
    [again] = [m for m in messages_of(ui_world, chat) if m.id == reply.id]
    assert again.delivery_state == DeliveryState.PENDING
    assert "sending…" in html_shown(at)


# --- the card ---------------------------------------------------------------------------------


def test_rename_the_lead_by_editing_the_name(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="alice_99").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_input, f"lead-name-{chat}").input("Alice Smith").run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).name == "Alice Smith"
    assert any("Alice Smith" in label for label in row_labels(at))


def test_notes_are_added_with_author_and_time(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_area, f"note-{chat}").input("Prefers <b>evening</b> calls")
    at.button(key=f"add-note-{chat}").click().run()
    assert "Prefers &lt;b&gt;evening&lt;/b&gt; calls" in html_shown(at)
    assert "Anna Manager · " in html_shown(at)
    assert widget(at.text_area, f"note-{chat}").value == ""


def test_save_the_lead_as_a_new_customer(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="alice_99").chat_id
    at = open_app(ui_world.anna, chat)
    assert widget(at.text_input, f"new-customer-name-{chat}").value == "alice_99"
    widget(at.text_input, f"new-customer-name-{chat}").input("Alice Smith")
    widget(at.text_input, f"new-customer-{chat}", "phone").input("+351 912 000 111")
    at.button(key=f"save-customer-{chat}").click().run()
    card = reads.customer_card(ui_world.store, ui_world.anna, chat)
    assert (card.customer.name, card.customer.phone) == ("Alice Smith", "+351 912 000 111")
    assert [b for b in at.button if b.key == f"add-order-{chat}"], "orders can be taken now"


def test_the_new_customer_form_proposes_the_current_name_after_a_rename(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="alice_99").chat_id
    at = open_app(ui_world.anna, chat)
    assert widget(at.text_input, f"new-customer-name-{chat}").value == "alice_99"
    widget(at.text_input, f"lead-name-{chat}").input("Alice Smith").run()
    assert widget(at.text_input, f"new-customer-name-{chat}").value == "Alice Smith"
    widget(at.text_input, f"new-customer-name-{chat}").input("Alice B. Smith").run()
    at.run()
    assert widget(at.text_input, f"new-customer-name-{chat}").value == "Alice B. Smith", "kept"


def test_link_the_lead_to_an_existing_customer(ui_world):
    first = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    alice = leads.save_as_customer(
        ui_world.store, ui_world.anna, first, CustomerInput(name="Alice Smith", email="a@x.test")
    )
    web = ui_world.customer_writes("hi", who="w", name="Guest", channel=ui_world.website).chat_id
    at = open_app(ui_world.anna, web)
    at.text_input(key=f"find-customer-{web}").input("A@x.test").run()
    at.button(key=f"link-{web}-{alice.id}").click().run()
    assert reads.customer_card(ui_world.store, ui_world.anna, web).customer.id == alice.id


def test_the_customer_directory_is_not_open_to_browse(ui_world):
    """Boris cannot see the website; its customers' contacts stay masked until he links."""
    web = ui_world.customer_writes("hi", who="w", name="Wendy", channel=ui_world.website).chat_id
    wendy = leads.save_as_customer(
        ui_world.store,
        ui_world.anna,
        web,
        CustomerInput(name="Wendy Web", phone="+351 912 000 111", email="wendy@web.test"),
    )
    chat = ui_world.customer_writes("hi", who="t", name="Wendy on Telegram").chat_id
    at = open_app(ui_world.boris, chat)
    at.text_input(key=f"find-customer-{chat}").input("@").run()
    assert reads.LINK_SEARCH_HELP in texts(at)
    assert not any("912" in t or "wendy@" in t for t in texts(at))

    at.text_input(key=f"find-customer-{chat}").input("wen").run()
    [link] = [b for b in at.button if b.key == f"link-{chat}-{wendy.id}"]
    assert "Wendy Web" in link.label and "912" not in link.label and "wendy@" not in link.label
    assert markdown_plain("••• 11 · w•••@web.test") in link.label
    link.click().run()
    assert "+351 912 000 111" in html_shown(at), "linked: the card shows the contacts"


def test_take_an_order_and_see_it_in_active_orders_with_count_and_total(ui_world):
    socks = catalogue.add_product(ui_world.store, ui_world.olga, "Wool socks", Decimal("12.50"))
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    leads.save_as_customer(ui_world.store, ui_world.anna, chat, CustomerInput(name="Alice"))
    at = open_app(ui_world.anna, chat)
    at.button(key=f"add-order-{chat}").click().run()
    edit_order_lines(at, {0: {"Product": "Wool socks · 12.50"}})
    [line] = order_lines_shown(at)
    assert (line["Name"], line["Price"], line["Amount"]) == ("Wool socks", 12.5, Decimal("12.50"))
    edit_order_lines(at, {0: {"Qty": 2}})
    assert order_lines_shown(at)[0]["Amount"] == Decimal("25.00")
    widget(at.number_input, "order-form", "delivery_cost").set_value(4.9)
    widget(at.text_input, "order-form", "delivery_address").input("Rua Augusta 1, Lisbon").run()
    assert any("Total: 29.90" in m.value for m in at.markdown)
    at.button(key="order-save").click().run()
    assert not at.exception
    card = reads.customer_card(ui_world.store, ui_world.anna, chat)
    [order] = card.active_orders
    assert (order.total, order.lines[0].product_id, order.lines[0].quantity) == (
        Decimal("29.90"),
        socks.id,
        2,
    )
    assert at.session_state[state.ORDER_FORM] is None, "the form closed"
    assert [b.label for b in at.button if b.key == f"open-order-{order.id}"] == [
        f"#{order.id} · new · 29.90"
    ]
    assert [m.value for m in at.metric] == ["1", "29.90"]


def test_open_an_active_order_and_change_it(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    leads.save_as_customer(ui_world.store, ui_world.anna, chat, CustomerInput(name="Alice"))
    at = open_app(ui_world.anna, chat)
    at.button(key=f"add-order-{chat}").click().run()
    edit_order_lines(at, {0: {"Name": "Custom blanket", "Price": 80.0}})
    at.button(key="order-save").click().run()
    [order] = reads.customer_card(ui_world.store, ui_world.anna, chat).active_orders

    at.button(key=f"open-order-{order.id}").click().run()
    assert [line["Name"] for line in order_lines_shown(at)] == ["Custom blanket"]
    widget(at.selectbox, "order-form", "status").set_value("completed")
    at.button(key="order-save").click().run()
    card = reads.customer_card(ui_world.store, ui_world.anna, chat)
    assert card.active_orders == [], "a completed order is no longer active"
    assert (card.order_count, card.order_total) == (1, Decimal("80.00"))
    assert messages_of(ui_world, chat)[-1].event == SystemEvent.ORDER_CHANGED


def test_an_order_form_without_items_is_refused_and_stays_open(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    leads.save_as_customer(ui_world.store, ui_world.anna, chat, CustomerInput(name="Alice"))
    at = open_app(ui_world.anna, chat)
    at.button(key=f"add-order-{chat}").click().run()
    at.button(key="order-save").click().run()
    assert at.toast, "the manager is told why"
    assert at.session_state[state.ORDER_FORM] is not None
    assert reads.customer_card(ui_world.store, ui_world.anna, chat).order_count == 0


# --- live updates -----------------------------------------------------------------------------


def live_check(at) -> dict:
    """What the page asks the browser to watch for: see components/live.py."""
    [checker] = [e for e in at.get("component_instance")
                 if e.proto.component_name.endswith("live_poll")]  # fmt: skip
    return json.loads(checker.proto.json_args)


def annas_channels(world) -> tuple[int, ...]:
    return (world.telegram.id, world.website.id)


def test_the_page_gives_the_browser_the_change_counter_it_showed(ui_world):
    ui_world.customer_writes("hi", who="a", name="Alice")
    at = open_app(ui_world.anna)
    counter = ui_world.store.version_seen_by(annas_channels(ui_world))
    assert live_check(at)["since"] == counter
    assert live_check(at)["interval_ms"] == 500
    ui_world.customer_writes("news", who="b", name="Bob")
    at.run()
    assert live_check(at)["since"] == counter + 1, "the next run shows the news"
    assert "Bob" in " ".join(row_labels(at))


def test_a_revoked_channel_is_gone_even_when_the_counter_comes_back_to_a_number_seen(ui_world):
    """The counter of fewer channels can come back to a number the page saw with more; the
    list kept at that number must not be shown then (it holds the revoked channel's chats)."""
    ui_world.customer_writes("from the site", who="w", name="Wanda", channel=ui_world.website)
    for n in range(3):
        ui_world.customer_writes(f"hi {n}", who="a", name="Alice", channel=ui_world.website)
    at = open_app(ui_world.anna)
    seen = live_check(at)["since"]
    assert any("Wanda" in label for label in row_labels(at))
    accounts.revoke_access(ui_world.store, ui_world.olga, ui_world.anna.id, ui_world.website.id)
    at.run()
    while ui_world.store.version_seen_by((ui_world.telegram.id,)) < seen:
        ui_world.customer_writes("news", who="b", name="Bob")
    at.run()
    assert live_check(at)["since"] == seen, "the same number as before the revoke"
    assert not any("Wanda" in label for label in row_labels(at))


def test_after_a_change_the_next_run_shows_the_new_message_in_list_and_chat(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    ui_world.customer_writes("Are you there?", who="a", name="Alice")
    at.run()
    assert "Are you there?" in html_shown(at)
    assert ":red-badge[2]" in row_labels(at)[0]
    assert reads.list_chats(ui_world.store, ui_world.anna, ChatFilter()).rows[0].badge == 2


def test_a_long_conversation_shows_the_latest_and_earlier_on_request(ui_world):
    count = state.MESSAGES_PER_PAGE + 5
    for i in range(count):
        chat = ui_world.customer_writes(f"message number {i:03d}", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    assert f"message number {count - 1:03d}" in html_shown(at)
    assert "message number 004" not in html_shown(at)
    assert "message number 005" in html_shown(at), "exactly the latest page"
    at.button(key=f"earlier-{chat}").click().run()
    assert "message number 000" in html_shown(at)
    assert not [b for b in at.button if b.key == f"earlier-{chat}"]


def test_a_half_written_note_stays_with_its_chat(ui_world):
    alice = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    bob = ui_world.customer_writes("hi", who="b", name="Bob").chat_id
    at = open_app(ui_world.anna, alice)
    widget(at.text_area, f"note-{alice}").input("Call back on Monday").run()
    at.button(key=f"chat-row-{bob}").click().run()
    at.button(key=f"chat-row-{alice}").click().run()
    assert widget(at.text_area, f"note-{alice}").value == "Call back on Monday"


def test_money_waiting_first_reorders_the_list_and_survives_a_refresh(ui_world):
    make_shop(ui_world)
    ui_world.customer_writes("and gloves?", who="tg-maria", name="Maria K")
    ui_world.customer_writes("just looking", who="tg-new", name="New Lead")
    at = open_app(ui_world.anna)
    assert "New Lead" in row_labels(at)[0]
    at.checkbox(key=state.CHAT_BY_VALUE).check().run()
    assert "Maria Keller" in row_labels(at)[0] and "New Lead" in row_labels(at)[-1]
    at.run()
    assert at.checkbox(key=state.CHAT_BY_VALUE).value is True
    assert "Maria Keller" in row_labels(at)[0]


def test_a_run_of_the_chats_page_reads_the_page_once_and_a_rerun_without_news_not_at_all(
    ui_world,
):
    """With a chat open, one read of everything shown (it was seven reads of the page's own
    data before); a customer's message reads neither the login nor the channels again (it was
    three reads); a rerun caused by a click or a keystroke while the store did not change reads
    nothing."""
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    make_shop(ui_world)
    at = open_app(ui_world.anna, chat)
    before = ui_world.store.reads_opened
    at.run()
    assert ui_world.store.reads_opened == before, "nothing changed: nothing read"
    ui_world.customer_writes("Anyone?", who="a", name="Alice")
    before = ui_world.store.reads_opened
    at.run()
    assert ui_world.store.reads_opened - before == 1
    assert "Anyone?" in html_shown(at)
    at.text_input(key=state.CHAT_SEARCH).input("Maria").run()
    assert ui_world.store.reads_opened - before == 2, "a new filter is a new read"
    assert all("Maria" in label for label in row_labels(at))


def whatsapp_chat_25_hours_old(world, templates):
    settings = {"phone_number_id": "1065", "access_token": "t" * 30, "app_secret": "s" * 20,
                "templates": templates}  # fmt: skip
    channel = accounts.create_channel(
        world.store, world.olga, "whatsapp", "WhatsApp", "🟢", settings
    )
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    chat = world.customer_writes("Is it still on sale?", who="380671234567", channel=channel)
    with world.store.write() as cur:
        cur.execute(
            "UPDATE chats SET last_customer_at = last_customer_at - INTERVAL 25 HOUR WHERE id = ?",
            [chat.chat_id],
        )
    return chat.chat_id


def template_button(at, chat):
    [found] = [b for b in at.button if (b.key or "").startswith(f"send-template-{chat}-")]
    return found


def replies_in(world, chat):
    sent = [m for m in messages_of(world, chat) if m.kind == MessageKind.MANAGER]
    return [(m.text, m.template, m.delivery_state) for m in sent]


def test_a_closed_whatsapp_window_offers_the_templates_in_place_of_the_box(ui_world):
    chat = whatsapp_chat_25_hours_old(ui_world, ["sale_back en_US | The sale is back on"])
    at = open_app(ui_world.anna, chat)
    [warning] = at.warning
    assert "More than 24 hours since the customer wrote: the window closed on" in warning.value
    assert "WhatsApp takes only approved templates until they write again" in warning.value
    assert not [w for w in at.text_area if (w.key or "").startswith(f"draft-{chat}")]
    assert not [b for b in at.button if b.key == f"send-{chat}"]
    assert at.selectbox(key=f"template-{chat}").options == [
        "sale_back (en_US): The sale is back on"
    ]
    template_button(at, chat).click().run()
    assert replies_in(ui_world, chat) == [
        ("The sale is back on", "sale_back en_US", DeliveryState.PENDING)
    ]
    assert "Anna Manager became responsible (first reply)." in html_shown(at)
    template_button(at, chat).click().run()  # pressed again on the page that shows the first
    assert len(replies_in(ui_world, chat)) == 2


def test_once_a_template_is_stored_the_page_draws_a_new_send_button(ui_world):
    """A press carried by a page drawn before the first was stored names the button that page
    drew; the page drawn after it has another, so Streamlit has no callback for the old one."""
    chat = whatsapp_chat_25_hours_old(ui_world, ["sale_back en_US"])
    at = open_app(ui_world.anna, chat)
    before = template_button(at, chat).key
    template_button(at, chat).click().run()
    assert replies_in(ui_world, chat) == [
        ("Template “sale_back” (en_US)", "sale_back en_US", DeliveryState.PENDING)
    ]
    assert before not in [b.key for b in at.button] and template_button(at, chat).key != before


def test_without_templates_a_closed_whatsapp_window_says_who_adds_them(ui_world):
    chat = whatsapp_chat_25_hours_old(ui_world, [])
    at = open_app(ui_world.anna, chat)
    assert "An administrator lists the templates in Settings → Channels." in texts(at)
    assert not [b for b in at.button if b.key == f"send-template-{chat}"]


def test_a_customer_who_left_the_viber_bot_gets_a_warning_in_place_of_the_box(ui_world):
    channel = accounts.create_channel(ui_world.store, ui_world.olga, "viber", "Viber", "💜")
    accounts.grant_access(ui_world.store, ui_world.olga, ui_world.anna.id, channel.id)
    chat = ui_world.customer_writes("Hi", who="01234567890A=", channel=channel).chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_area, f"draft-{chat}").input("A draft for later").run()
    left = InboundSubscription(channel_id=channel.id, external_user_id="01234567890A=",
                               subscribed=False)  # fmt: skip
    inbound.receive_batch(ui_world.store, [left])
    at.run()
    [warning] = at.warning
    assert "The customer unsubscribed from the bot on" in warning.value
    assert "Viber delivers no reply until they write again" in warning.value
    assert not [b for b in at.button if b.key == f"send-{chat}"]
    back = InboundSubscription(channel_id=channel.id, external_user_id="01234567890A=",
                               subscribed=True)  # fmt: skip
    inbound.receive_batch(ui_world.store, [back])
    at.run()
    assert not at.warning
    assert widget(at.text_area, f"draft-{chat}").value == "A draft for later"


def test_snooze_until_tomorrow_morning_then_end_it_from_the_top_bar(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    [tomorrow] = [b for b in at.button if b.label == "Tomorrow, 09:00"]
    tomorrow.click().run()
    snoozed = reads.get_chat(ui_world.store, ui_world.anna, chat).snoozed_until
    assert snoozed is not None and in_zone(snoozed, KYIV).hour == 9
    assert row_labels(at) == [], "a snoozed chat leaves the Open tab"
    assert any(
        t.replace("\\", "").endswith("⏰ " + snooze.until_text(snoozed, KYIV, place=False))
        for t in texts(at)
    )
    at.button_group(key=state.CHAT_TAB).set_value("Snoozed").run()
    assert ["Alice" in label for label in row_labels(at)] == [True]
    at.button(key=f"end-snooze-{chat}").click().run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).snoozed_until is None
    at.button_group(key=state.CHAT_TAB).set_value("Open").run()
    assert ["Alice" in label for label in row_labels(at)] == [True]


def test_snooze_until_a_chosen_date_and_time_on_the_shops_clock(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    today = in_zone(utc_now(), KYIV).date()
    at.date_input(key=f"snooze-day-{chat}").set_value(today)
    at.time_input(key=f"snooze-at-{chat}").set_value(time(0, 0))
    at.button(key=f"snooze-{chat}-chosen").click().run()
    assert [t.value for t in at.toast] == ["Choose a time later than now."]
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).snoozed_until is None
    later = today + timedelta(days=3)
    at.date_input(key=f"snooze-day-{chat}").set_value(later)
    at.time_input(key=f"snooze-at-{chat}").set_value(time(14, 30))
    at.button(key=f"snooze-{chat}-chosen").click().run()
    snoozed = reads.get_chat(ui_world.store, ui_world.anna, chat).snoozed_until
    assert snoozed == utc_of(later, time(14, 30), KYIV)
