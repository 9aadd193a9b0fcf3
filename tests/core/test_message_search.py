"""SPEC C8: the chat list's search finds message text, names, phones and emails, within the
user's channels, on both engines."""

from inbox.models import ChatFilter, CustomerInput
from inbox.search import excerpt, search_words
from inbox.services import conversation, customers, inbound, leads, reads
from inbox.store import migrations, search_index


def found(world, user, search, **filters):
    page = reads.list_chats(world.store, user, ChatFilter(search=search, state="all", **filters))
    return {row.name: row for row in page.rows}


def marked(row):
    return [piece for piece, is_match in row.found_excerpt if is_match]


def test_a_message_is_found_by_the_beginnings_of_its_words_in_any_case_and_script(world):
    world.customer_writes("Доброго дня! Яка ДОСТАВКА до Львова?", who="a", name="Oksana")
    world.customer_writes("Is the Alpaca scarf in stock?", who="b", name="Peter")
    world.customer_writes("Just looking", who="c", name="Quinn")
    assert set(found(world, world.anna, "доставка")) == {"Oksana"}
    assert set(found(world, world.anna, "Дост львов")) == {"Oksana"}
    assert set(found(world, world.anna, "ALPACA SCA")) == {"Peter"}
    assert found(world, world.anna, "alpaca львов") == {}, "every word must be in one message"
    assert found(world, world.anna, "carf") == {}, "words are found by their beginnings"
    row = found(world, world.anna, "доставка")["Oksana"]
    assert marked(row) == ["ДОСТАВКА"]
    assert "".join(piece for piece, _ in row.found_excerpt).startswith("Доброго дня!")


def test_a_row_found_by_a_message_names_the_latest_message_with_the_words(world):
    first = world.customer_writes("Do you ship to Porto?", who="a", name="Ana")
    world.customer_writes("Something else", who="a", name="Ana")
    later = world.customer_writes("And to Porto by courier?", who="a", name="Ana")
    row = found(world, world.anna, "porto")["Ana"]
    assert row.found_message_id == later.message_id != first.message_id
    assert marked(row) == ["Porto"]


def test_staff_replies_are_found_and_system_lines_are_not(world):
    chat = world.customer_writes("hello", who="a", name="Ana").chat_id
    conversation.send_reply(
        world.store, world.anna, chat, "Your parcel left today", now=world.clock.tick()
    )
    conversation.close_chat(world.store, world.anna, chat, now=world.clock.tick())
    assert set(found(world, world.anna, "parcel")) == {"Ana"}
    assert found(world, world.anna, "closed") == {}


def test_names_handles_emails_and_phone_digits_are_found_without_a_message_match(world):
    chat = world.customer_writes("hi", who="a", name="Marta K").chat_id
    leads.save_as_customer(
        world.store,
        world.anna,
        chat,
        CustomerInput(name="Marta Koval", phone="+380 67 123-45-67", email="marta@example.com"),
    )
    world.customer_writes("hi", who="b", name="Bohdan")
    for search in ("koval", "MARTA@EXAMPLE", "0671234567", "123 45"):
        rows = found(world, world.anna, search)
        assert set(rows) == {"Marta Koval"}, search
        assert rows["Marta Koval"].found_excerpt is None
    assert set(found(world, world.anna, "b")) == {"Bohdan"}, "one letter finds names only"


def test_search_keeps_to_the_users_channels_and_combines_with_the_filters(world):
    world.customer_writes("a parcel question", who="a", name="Ana", channel=world.website)
    tg = world.customer_writes("my parcel is late", who="b", name="Bo")
    assert set(found(world, world.anna, "parcel")) == {"Ana", "Bo"}
    assert set(found(world, world.boris, "parcel")) == {"Bo"}, "boris has no website access"
    assert set(found(world, world.clara, "parcel")) == set(), "clara has no channel"
    conversation.close_chat(world.store, world.anna, tg.chat_id, now=world.clock.tick())
    page = reads.list_chats(world.store, world.anna, ChatFilter(search="parcel", state="open"))
    assert [row.name for row in page.rows] == ["Ana"]


def test_an_edited_message_is_found_by_its_new_words_only(world):
    world.customer_writes("blue sweater", who="a", name="Ana", message_id="m-1")
    inbound.edit_customer_message(
        world.store, world.telegram.id, "a", "m-1", "green sweater", now=world.clock.tick()
    )
    assert set(found(world, world.anna, "green")) == {"Ana"}
    assert found(world, world.anna, "blue") == {}


def test_strange_text_is_searched_and_shown_as_it_is(world):
    text = "**bold** <b>x</b> 50% off_sale \u202eevil"
    world.customer_writes(text, who="a", name="Ana")
    assert set(found(world, world.anna, "50% off_s")) == {"Ana"}
    assert set(found(world, world.anna, "%")) == set(), "no word, no name: nothing"
    assert set(found(world, world.anna, "_")) == set()
    row = found(world, world.anna, "bold")["Ana"]
    assert "".join(piece for piece, _ in row.found_excerpt) == text


def test_messages_stored_before_the_index_existed_are_indexed_by_its_migration(world):
    world.customer_writes("an old question about wool", who="a", name="Ana")
    with world.store.write() as cur:
        cur.execute("DELETE FROM message_words")
        cur.execute("DELETE FROM search_words")
        migrations.AFTER["0018_message_search"](cur)
    assert set(found(world, world.anna, "wool")) == {"Ana"}


def test_one_search_word_is_stored_once_however_many_messages_have_it(world):
    for n in range(3):
        world.customer_writes(f"wool {n}", who=f"p{n}", name=f"P{n}")
    with world.store.read() as cur:
        count = cur.execute("SELECT count(*) FROM search_words WHERE word = 'wool'").fetchone()[0]
        postings = cur.execute(
            "SELECT count(*) FROM message_words mw JOIN search_words w ON w.id = mw.word_id"
            " WHERE w.word = 'wool'"
        ).fetchone()[0]
    assert (count, postings) == (1, 3)


def test_the_open_chat_reaches_back_to_the_message_found(world):
    first = world.customer_writes("where is my order 1234?", who="a", name="Ana")
    for n in range(40):
        world.customer_writes(f"filler {n}", who="a", name="Ana")
    screen = reads.chats_screen(
        world.store, world.anna, None, first.chat_id, 1, found_message_id=first.message_id
    )
    assert screen.messages[0].id == first.message_id
    assert len(screen.messages) == 41 and not screen.has_earlier


def test_search_words_and_excerpts():
    assert search_words("  Доставка-ЛЬВІВ a 1 anna@shop.ua") == [
        "доставка", "львів", "anna", "shop", "ua",
    ]  # fmt: skip
    assert search_words("a b c") == []
    pieces = excerpt("x " * 100 + "the Wool scarf " + "y " * 100, ["wool"], width=40)
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert ("Wool", True) in pieces
    assert sum(len(piece) for piece, _ in pieces) <= 45
    assert excerpt("no match here", ["wool"]) == [("no match here", False)]


def test_the_index_takes_a_message_with_no_words(world):
    with world.store.write() as cur:
        search_index.add(cur, [(1, 1, "!!! ???"), (2, 1, "")])
        assert cur.execute("SELECT count(*) FROM message_words").fetchone()[0] == 0


def test_a_renamed_lead_and_an_edited_customer_are_found_by_their_new_details(world):
    chat = world.customer_writes("hi", who="a", name="Guest 1").chat_id
    leads.rename_lead(world.store, world.anna, chat, "Olena Shevchenko")
    assert set(found(world, world.anna, "шевч")) == set()
    assert set(found(world, world.anna, "SHEVCH")) == {"Olena Shevchenko"}
    assert found(world, world.anna, "guest 1") == {}
    customer = leads.save_as_customer(
        world.store, world.anna, chat, CustomerInput(name="Olena Shevchenko", phone="111 22 33")
    )
    customers.update_customer(
        world.store, world.anna, customer.id,
        CustomerInput(name="Olena S", phone="+380 50 999 88 77", email="olena@example.com"),
    )  # fmt: skip
    assert set(found(world, world.anna, "50 999 88")) == {"Olena S"}
    assert found(world, world.anna, "1112233") == {}
    assert set(found(world, world.anna, "olena@")) == {"Olena S"}
