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
