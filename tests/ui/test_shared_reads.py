"""A manager's tabs share the chat list read after a write; nobody gets another user's list."""

from components import shared_reads, state
from inbox.services.login_sessions import COOKIE_NAME
from tests.ui.conftest import COOKIE_JAR, open_app


def rows(at):
    return [b.label for b in at.button if b.key and b.key.startswith("chat-row-")]


def shown(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_what_is_kept_is_given_for_the_same_file_counter_and_inputs_only(tmp_path):
    db, other = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    shared_reads.put(db, 10, (1, "Open"), "list of user 1")
    assert shared_reads.get(db, 10, (1, "Open")) == "list of user 1"
    assert shared_reads.get(db, 10, (2, "Open")) is None
    assert shared_reads.get(db, 11, (1, "Open")) is None
    assert shared_reads.get(other, 10, (1, "Open")) is None
    shared_reads.put(db, 11, (2, "Open"), "list of user 2")
    shared_reads.put(db, 10, (2, "Open"), "a late read of an older counter")
    assert shared_reads.get(db, 11, (2, "Open")) == "list of user 2"
    assert shared_reads.get(db, 10, (1, "Open")) == "list of user 1", "user 2's counter is theirs"


def test_the_least_recently_used_are_dropped(tmp_path):
    db = tmp_path / "a.duckdb"
    shared_reads.put(db, 1, "first", "kept longest")
    for n in range(shared_reads.MAX_KEPT):
        shared_reads.put(db, 1, n, "a list")
    assert shared_reads.get(db, 1, "first") is None
    assert shared_reads.get(db, 1, 0) == "a list"


def test_two_tabs_of_one_manager_show_the_same_list_and_each_its_own_chat(ui_world):
    alice = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    bob = ui_world.customer_writes("hello there", who="b", name="Bob").chat_id
    first, second = open_app(ui_world.anna, alice), open_app(ui_world.anna, bob)
    ui_world.customer_writes("news", who="a", name="Alice")
    first.run()
    second.run()
    # The same rows, but for the dot of news: the first tab has Alice's chat open.
    assert ":blue[●]" not in rows(first)[0] and ":blue[●]" in rows(second)[0]
    assert [r.replace(" :blue[●]", "") for r in rows(second)] == rows(first)
    assert "Alice" in rows(first)[0]
    assert second.session_state[state.OPEN_CHAT_ID] == bob
    assert "hello there" in shown(second) and "news" in shown(first)


def test_after_a_write_another_manager_still_gets_only_their_own_list(ui_world):
    ui_world.customer_writes("hi", who="a", name="Alice")
    ui_world.customer_writes("from the site", who="w", name="Wanda", channel=ui_world.website)
    anna = open_app(ui_world.anna)
    annas_cookie = COOKIE_JAR[COOKIE_NAME]
    boris = open_app(ui_world.boris)
    boris_cookie = COOKIE_JAR[COOKIE_NAME]
    ui_world.customer_writes("news", who="a", name="Alice")
    # Both rerun at the same change counter (no login in between, which would be a write).
    COOKIE_JAR[COOKIE_NAME] = annas_cookie
    anna.run()
    COOKIE_JAR[COOKIE_NAME] = boris_cookie
    boris.run()
    assert any("Wanda" in label for label in rows(anna))
    assert rows(boris) and not any("Wanda" in label for label in rows(boris))
