"""The bell beside the search (SPEC R3): this browser's choice, kept in its own cookie."""

from components import notifications, state
from tests.ui.conftest import COOKIE_JAR, open_app


def bell(at) -> str:
    labels = [p.proto.popover.label for p in at.get("popover")]
    [shown] = [label for label in labels if label in ("🔔", "🔕")]
    return shown


def test_notifications_are_off_until_this_browser_turns_them_on(ui_world):
    ui_world.customer_writes("hi", who="a", name="Alice")
    at = open_app(ui_world.anna)
    assert bell(at) == "🔕"
    at.toggle(key=state.NOTIFY_ON).set_value(True).run()
    assert bell(at) == "🔔"
    assert at.toggle(key=state.NOTIFY_SOUND).disabled is False


def test_a_new_session_takes_the_browsers_earlier_choice_from_its_cookie(ui_world):
    ui_world.customer_writes("hi", who="a", name="Alice")
    COOKIE_JAR[notifications.COOKIE] = "on+sound"
    at = open_app(ui_world.anna)
    assert bell(at) == "🔔"
    assert at.toggle(key=state.NOTIFY_SOUND).value is True


def test_a_manager_with_no_chats_yet_can_turn_them_on_for_the_first_customer(ui_world):
    at = open_app(ui_world.anna)
    assert at.info[0].value.startswith("There are no chats in your channels yet")
    assert bell(at) == "🔕"
    at.toggle(key=state.NOTIFY_ON).set_value(True).run()
    assert bell(at) == "🔔"
    assert not at.exception


def test_a_user_with_no_channel_has_nothing_to_be_notified_of(ui_world):
    at = open_app(ui_world.clara)
    assert at.info[0].value.startswith("You have no access to any channel yet")
    assert [p.proto.popover.label for p in at.get("popover")] == []
