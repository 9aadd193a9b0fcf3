"""The lead card: rename and notes (L1), save or link as customer (L2)."""

import pytest

from inbox.errors import ChangedMeanwhile, InvalidInput
from inbox.models import CustomerInput, SystemEvent
from inbox.services import leads, reads


def last_event(world, chat):
    return [m for m in reads.list_messages(world.store, world.anna, chat) if m.event][-1]


def test_rename_changes_the_name_everywhere_and_records_it(world):
    chat = world.customer_writes("hi", name="maria_k").chat_id
    leads.rename_lead(world.store, world.anna, chat, "  Maria Kowalska ")
    assert reads.get_chat(world.store, world.anna, chat).name == "Maria Kowalska"
    assert (
        reads.customer_card(world.store, world.anna, chat).contact.display_name == "Maria Kowalska"
    )
    event = last_event(world, chat)
    assert event.event == SystemEvent.RENAMED
    assert event.text == "Anna Manager renamed the lead from “maria_k” to “Maria Kowalska”."


def test_a_new_message_does_not_undo_a_rename(world):
    chat = world.customer_writes("hi", name="maria_k").chat_id
    leads.rename_lead(world.store, world.anna, chat, "Maria K.")
    world.customer_writes("hello again", name="maria_k")
    assert reads.get_chat(world.store, world.anna, chat).name == "Maria K."


def test_notes_show_author_and_time_newest_first(world):
    chat = world.customer_writes("hi").chat_id
    leads.add_note(world.store, world.anna, chat, "Prefers evening calls", now=world.clock.tick())
    leads.add_note(world.store, world.boris, chat, "Size M", now=world.clock.tick())
    notes = reads.customer_card(world.store, world.anna, chat).notes
    assert [(n.author_name, n.text, n.created_at) for n in notes] == [
        ("Boris Manager", "Size M", world.clock.current),
        ("Anna Manager", "Prefers evening calls", world.clock.current.replace(minute=2)),
    ]
    assert last_event(world, chat).event == SystemEvent.NOTE_ADDED


def test_save_as_a_new_customer(world):
    chat = world.customer_writes("hi", name="maria_k").chat_id
    customer = leads.save_as_customer(
        world.store,
        world.anna,
        chat,
        CustomerInput(name="Maria Kowalska", phone="+48 600 100 200", email="maria@example.com"),
    )
    card = reads.customer_card(world.store, world.anna, chat)
    assert card.customer == customer
    assert (customer.name, customer.phone, customer.email) == (
        "Maria Kowalska",
        "+48 600 100 200",
        "maria@example.com",
    )
    assert reads.get_chat(world.store, world.anna, chat).name == "Maria Kowalska"
    assert last_event(world, chat).event == SystemEvent.SAVED_AS_CUSTOMER
    with pytest.raises(ChangedMeanwhile, match="already a customer"):
        leads.save_as_customer(world.store, world.anna, chat, CustomerInput(name="Again"))


def test_link_a_lead_on_another_channel_to_an_existing_customer(world):
    telegram_chat = world.customer_writes("hi", who="tg-1", name="maria_k").chat_id
    maria = leads.save_as_customer(
        world.store, world.anna, telegram_chat, CustomerInput(name="Maria", phone="+48 600-100-200")
    )
    web_chat = world.customer_writes("hi", who="web-9", name="Guest", channel=world.website).chat_id
    [found] = reads.find_customers_to_link(world.store, world.anna, "600 100 200").found
    assert found.id == maria.id
    leads.link_to_customer(world.store, world.anna, web_chat, found.id)
    assert reads.customer_card(world.store, world.anna, web_chat).customer.id == maria.id
    assert last_event(world, web_chat).event == SystemEvent.LINKED_TO_CUSTOMER
    assert "Maria" in last_event(world, web_chat).text


def save_customers(world, *people, channel=None):
    for who, name, phone, email in people:
        chat = world.customer_writes("hi", who=who, channel=channel).chat_id
        leads.save_as_customer(
            world.store, world.olga, chat, CustomerInput(name=name, phone=phone, email=email)
        )


MARIA = ("1", "Maria Kowalska", "+48 600 100 200", "maria@example.com")
JAN = ("2", "Jan Nowak", "+48 700 000 000", "jan@shop.test")


def test_customers_are_found_only_by_a_real_query(world):
    save_customers(world, MARIA, JAN)

    def found(text):
        return [c.name for c in reads.find_customers_to_link(world.store, world.anna, text).found]

    assert found("kowal") == ["Maria Kowalska"]
    assert found("JAN@shop.test") == ["Jan Nowak"]
    assert found("+48 700 000 000") == ["Jan Nowak"]
    assert found("700000000") == ["Jan Nowak"], "a whole number without its country code"
    assert found("zzz") == []
    assert found("shop.test") == [], "no partial emails"
    assert found("jan@") == []
    assert found("700 000") == [], "no partial phone numbers"
    for too_little in ("@", "a", "ma", "m a", "12", "+48", "..."):
        with pytest.raises(InvalidInput, match="at least 3 letters"):
            reads.find_customers_to_link(world.store, world.anna, too_little)


def test_customers_of_other_channels_are_found_but_their_contacts_are_masked(world):
    save_customers(world, MARIA, JAN, channel=world.website)  # Boris cannot see the website
    boris_chat = world.customer_writes("hi", who="tg-5", name="Maria on Telegram").chat_id

    [maria] = reads.find_customers_to_link(world.store, world.boris, "maria").found
    assert maria.masked
    assert (maria.phone, maria.email) == ("••• 00", "m•••@example.com")
    [seen_by_anna] = reads.find_customers_to_link(world.store, world.anna, "maria").found
    assert not seen_by_anna.masked and seen_by_anna.phone == "+48 600 100 200"

    leads.link_to_customer(world.store, world.boris, boris_chat, maria.id)
    card = reads.customer_card(world.store, world.boris, boris_chat)
    assert card.customer.phone == "+48 600 100 200", "linked: now one of Boris's customers"
    [now_seen] = reads.find_customers_to_link(world.store, world.boris, "maria").found
    assert not now_seen.masked


def test_a_few_results_at_a_time(world):
    save_customers(world, *[(str(n), f"Anna Smith {n}", "", "") for n in range(8)])
    result = reads.find_customers_to_link(world.store, world.olga, "smith")
    assert len(result.found) == 5 and result.has_more
