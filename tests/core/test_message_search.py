"""SPEC C8: the chat list's search finds message text, names, phones and emails, within the
user's channels, on both engines."""

import threading

import pytest

from inbox.models import ChatFilter, CustomerInput
from inbox.search import excerpt, search_words
from inbox.services import conversation, customers, inbound, leads, reads, search_upkeep
from inbox.store import chats, migrations, search_index


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
        for table in (*search_index.TABLES, "search_words"):
            cur.execute(f"DELETE FROM {table}")
        migrations.AFTER["0018_message_search"](cur)
    assert set(found(world, world.anna, "wool")) == {"Ana"}


def test_one_search_word_is_stored_once_however_many_messages_have_it(world):
    for n in range(3):
        world.customer_writes(f"wool {n}", who=f"p{n}", name=f"P{n}")
    with world.store.read() as cur:
        count = cur.execute("SELECT count(*) FROM search_words WHERE word = 'wool'").fetchone()[0]
        postings = sum(
            cur.execute(
                f"SELECT count(*) FROM {table} mw JOIN search_words w ON w.id = mw.word_id"
                " WHERE w.word = 'wool'"
            ).fetchone()[0]
            for table in search_index.TABLES
        )
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
        for table in search_index.TABLES:
            assert cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


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


@pytest.fixture
def many_messages(monkeypatch):
    """A large shop's rules on a small one: a word in 3 messages is common, and while
    searching a tab counts up to 3 chats."""
    monkeypatch.setattr(search_index, "COMMON_FROM", 3)
    monkeypatch.setattr(chats, "COUNTED_UP_TO", 3)


def wool_chats(world):
    """Five chats with 'wool': four on Telegram (the first closed), one on the website."""
    written = [
        world.customer_writes(f"wool scarf {who}", who=who, name=f"N{who}") for who in "abcd"
    ]
    conversation.close_chat(world.store, world.anna, written[0].chat_id, now=world.clock.tick())
    web = world.customer_writes("wool hat", who="w", name="Web", channel=world.website)
    return [*written, web]


def test_a_word_in_many_messages_is_counted_up_to_a_point_in_the_users_channels(
    world, many_messages
):
    written = wool_chats(world)
    with world.store.read() as cur:
        numbers = search_index.word_numbers(cur, ["wool"])
        plan = search_index.search_plan(cur, numbers, world.store.engine_name)
    assert plan[1] == (world.store.engine_name == "postgresql"), "looked up chat by chat"
    anna = reads.list_chats(world.store, world.anna, ChatFilter(search="wool", state="open"))
    assert anna.counted_up_to == 3
    assert anna.counts == {"open": 4, "snoozed": 0, "closed": 1, "all": 4}, "4: more than 3"
    assert [row.name for row in anna.rows] == ["Web", "Nd", "Nc", "Nb"]
    assert [row.found_message_id for row in anna.rows] == [
        w.message_id for w in reversed(written[1:])
    ]
    boris = reads.list_chats(world.store, world.boris, ChatFilter(search="wool", state="open"))
    assert boris.counts == {"open": 3, "snoozed": 0, "closed": 1, "all": 4}, "no website"
    assert [row.name for row in boris.rows] == ["Nd", "Nc", "Nb"]
    closed = reads.list_chats(world.store, world.boris, ChatFilter(search="wool", state="closed"))
    assert [row.name for row in closed.rows] == ["Na"]


def test_a_search_of_several_words_reads_the_rarest_first(world):
    wool_chats(world)
    world.customer_writes("a hat of wool", who="e", name="Ne")
    with world.store.read() as cur:
        numbers = search_index.word_numbers(cur, ["wool", "hat"])
        ordered, by_chat = search_index.search_plan(cur, numbers, world.store.engine_name)
    assert ordered == [numbers[1], numbers[0]] and not by_chat
    assert set(found(world, world.anna, "wool hat")) == {"Web", "Ne"}
    assert set(found(world, world.anna, "hat wool")) == {"Web", "Ne"}


def test_new_messages_words_join_the_others_in_word_order_and_are_found_as_before(world):
    for n in range(6):
        world.customer_writes(f"item{n} in wool", who=f"p{n}", name=f"P{n}", message_id=f"m-{n}")
    assert search_upkeep.put_words_in_order(world.store) == 0, "too few to be due"
    version = world.store.version
    assert search_upkeep.put_words_in_order(world.store, at_least=1) == 18
    assert world.store.version == version, "no page reruns for it"
    with world.store.read() as cur:
        assert cur.execute("SELECT count(*) FROM recent_message_words").fetchone()[0] == 0
        stored = [n for (n,) in cur.execute("SELECT word_id FROM message_words").fetchall()]
    assert len(stored) == 18
    if world.store.engine_name == "duckdb":
        assert stored == sorted(stored), "kept in word order"
    assert len(found(world, world.anna, "wool")) == 6
    assert set(found(world, world.anna, "item3")) == {"P3"}
    inbound.edit_customer_message(
        world.store, world.telegram.id, "p3", "m-3", "item3 in cotton", now=world.clock.tick()
    )
    assert set(found(world, world.anna, "cotton")) == {"P3"}
    assert "P3" not in found(world, world.anna, "wool"), "its old words went from either table"
    assert search_upkeep.put_words_in_order(world.store, at_least=1) == 3
    assert set(found(world, world.anna, "cotton")) == {"P3"}


def test_searches_read_as_before_while_the_words_are_put_in_order(world):
    for n in range(30):
        world.customer_writes(f"wool {n}", who=f"p{n}", name=f"P{n}")
    failures, counts = [], set()
    done = threading.Event()

    def search():
        while not done.is_set():
            try:
                counts.add(len(found(world, world.anna, "wool")))
            except Exception as error:  # noqa: BLE001 - the test reports every failure
                failures.append(repr(error))

    reader = threading.Thread(target=search)
    reader.start()
    try:
        for n in range(5):
            world.customer_writes(f"wool again {n}", who=f"p{n}", name=f"P{n}")
            search_upkeep.put_words_in_order(world.store, at_least=1)
    finally:
        done.set()
        reader.join()
    assert failures == []
    assert counts == {30}
