"""Settings → Users and access through AppTest (SPEC A2, P4)."""

from inbox.models import Role
from inbox.services import accounts, team
from inbox.store import access, users
from tests.scenario import PASSWORD
from tests.ui.conftest import widget
from tests.ui.test_settings import open_settings, shown_plain


def user_named(world, login):
    with world.store.read() as cur:
        return users.get_by_login(cur, login)


def test_an_admin_adds_a_manager_and_the_password_is_not_kept_in_the_page(ui_world):
    at = open_settings(ui_world.olga)
    widget(at.text_input, "new-user", "login").input("dan")
    widget(at.text_input, "new-user", "name").input("Dan Newman")
    widget(at.text_input, "new-user", "avatar").input("🧶")
    widget(at.text_input, "new-user-password", "password").input("knit-one-purl-one")
    at.button(key="FormSubmitter:add-user-Add user").click().run()
    dan = user_named(ui_world, "dan")
    assert (dan.name, dan.role, dan.avatar) == ("Dan Newman", Role.MANAGER, "🧶")
    assert accounts.authenticate(ui_world.store, "dan", "knit-one-purl-one").id == dan.id
    assert widget(at.text_input, "new-user-password", "password").value == ""
    assert any("Dan Newman can log in now" in t.value for t in at.toast)
    assert any("Olga Admin added Dan Newman (dan) as manager" in t for t in shown_plain(at))


def test_a_taken_login_is_refused_and_the_form_keeps_what_was_typed(ui_world):
    at = open_settings(ui_world.olga)
    widget(at.text_input, "new-user", "login").input("anna")
    widget(at.text_input, "new-user", "name").input("Another Anna")
    widget(at.text_input, "new-user-password", "password").input("knit-one-purl-one")
    at.button(key="FormSubmitter:add-user-Add user").click().run()
    assert any("taken" in t.value for t in at.toast)
    assert widget(at.text_input, "new-user", "name").value == "Another Anna"
    assert widget(at.text_input, "new-user-password", "password").value == ""


def test_the_grid_gives_and_takes_a_channel(ui_world):
    boris, website = ui_world.boris.id, ui_world.website.id
    at = open_settings(ui_world.olga)
    assert widget(at.checkbox, f"access-{boris}-{website}").value is False
    assert widget(at.checkbox, f"access-{boris}-{ui_world.telegram.id}").value is True
    widget(at.checkbox, f"access-{boris}-{website}").check().run()
    with ui_world.store.read() as cur:
        assert access.has_grant(cur, boris, website)
    widget(at.checkbox, f"access-{boris}-{website}").uncheck().run()
    with ui_world.store.read() as cur:
        assert not access.has_grant(cur, boris, website)
    assert any("took Website chat from Boris Manager" in t for t in shown_plain(at))


def test_deactivating_reactivating_and_a_new_password(ui_world):
    boris = ui_world.boris.id
    at = open_settings(ui_world.olga)
    widget(at.toggle, f"user-active-{boris}").set_value(False).run()
    assert not user_named(ui_world, "boris").active
    assert any("deactivated" in e.label for e in at.expander)
    widget(at.toggle, f"user-active-{boris}").set_value(True).run()
    widget(at.text_input, f"user-password-{boris}").input("a-fresh-password")
    at.button(key=f"reset-password-{boris}").click().run()
    assert widget(at.text_input, f"user-password-{boris}").value == ""
    assert accounts.authenticate(ui_world.store, "boris", PASSWORD) is None
    assert accounts.authenticate(ui_world.store, "boris", "a-fresh-password") is not None


def test_the_last_admin_stays_and_the_page_says_why(ui_world):
    olga = ui_world.olga.id
    at = open_settings(ui_world.olga)
    widget(at.selectbox, f"user-role-{olga}").set_value("Manager").run()
    assert any("active administrator" in t.value for t in at.toast)
    assert widget(at.selectbox, f"user-role-{olga}").value == "Admin"
    widget(at.toggle, f"user-active-{olga}").set_value(False).run()
    assert widget(at.toggle, f"user-active-{olga}").value is True
    assert user_named(ui_world, "olga").is_admin and user_named(ui_world, "olga").active


def test_a_change_made_elsewhere_shows_at_the_next_run(ui_world):
    at = open_settings(ui_world.olga)
    team.set_role(ui_world.store, ui_world.olga, ui_world.anna.id, Role.ADMIN)
    at.run()
    assert widget(at.selectbox, f"user-role-{ui_world.anna.id}").value == "Admin"


def test_a_run_of_the_settings_page_reads_the_page_once(ui_world):
    """The login, and one read of the channels and the team together (it was two)."""
    at = open_settings(ui_world.olga)
    before = ui_world.store.reads_opened
    at.run()
    assert ui_world.store.reads_opened - before == 2
    assert any("Olga Admin" in t for t in shown_plain(at))
