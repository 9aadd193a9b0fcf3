"""Settings → Users and access (SPEC A1, A2): administrators run the team; every change is
recorded; there is always an active administrator."""

import pytest

from inbox.errors import InvalidInput, PermissionDenied
from inbox.models import ChatFilter, Role
from inbox.services import accounts, channel_settings, login_sessions, reads, team
from tests.core.test_races import run_together
from tests.scenario import PASSWORD

KEY = b"k" * 32


def latest_changes(world, n: int) -> list[str]:
    """The n newest recorded changes, newest first (the scenario's own grants come before)."""
    return [c.summary for c in team.overview(world.store, world.olga).changes[:n]]


def test_an_admin_adds_a_manager_who_can_log_in_and_it_is_recorded(world):
    dan = accounts.create_user(
        world.store, "Dan", "Dan Newman", "a-good-password", avatar="🧶", actor=world.olga
    )
    assert (dan.login, dan.role, dan.avatar) == ("dan", Role.MANAGER, "🧶")
    assert accounts.authenticate(world.store, "dan", "a-good-password").id == dan.id
    change = team.overview(world.store, world.olga).changes[0]
    assert (change.actor_name, change.summary) == (
        "Olga Admin",
        "added Dan Newman (dan) as manager",
    )


@pytest.mark.parametrize(
    "login, password, error",
    [
        ("anna", "a-good-password", "taken"),
        ("dan smith", "a-good-password", "letters, digits"),
        ("dan", "short", "at least 8"),
        ("dan", "x" * 201, "at most 200"),
    ],
)
def test_a_bad_new_user_is_refused_and_nothing_is_recorded(world, login, password, error):
    before = team.overview(world.store, world.olga)
    with pytest.raises(InvalidInput, match=error):
        accounts.create_user(world.store, login, "Dan", password, actor=world.olga)
    after = team.overview(world.store, world.olga)
    assert (after.users, after.changes) == (before.users, before.changes)


def test_managers_cannot_change_the_team(world):
    for change in (
        lambda: accounts.create_user(
            world.store, "dan", "Dan", "a-good-password", actor=world.anna
        ),
        lambda: team.reset_password(world.store, world.anna, world.boris.id, "a-good-password"),
        lambda: team.set_role(world.store, world.anna, world.anna.id, Role.ADMIN),
        lambda: team.set_active(world.store, world.anna, world.boris.id, False),
        lambda: accounts.grant_access(world.store, world.anna, world.anna.id, world.telegram.id),
        lambda: team.overview(world.store, world.anna),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert world.anna.role == Role.MANAGER


def test_a_reset_password_ends_the_users_sessions_and_only_the_new_one_works(world):
    cookie = login_sessions.start_session(world.store, KEY, world.boris)
    team.reset_password(world.store, world.olga, world.boris.id, "a-brand-new-one")
    assert login_sessions.user_for_cookie(world.store, KEY, cookie) is None
    assert accounts.authenticate(world.store, "boris", PASSWORD) is None
    assert accounts.authenticate(world.store, "boris", "a-brand-new-one").id == world.boris.id


def test_a_deactivated_user_is_logged_out_and_cannot_log_in_until_reactivated(world):
    cookie = login_sessions.start_session(world.store, KEY, world.boris)
    team.set_active(world.store, world.olga, world.boris.id, False)
    assert login_sessions.user_for_cookie(world.store, KEY, cookie) is None
    assert accounts.authenticate(world.store, "boris", PASSWORD) is None
    team.set_active(world.store, world.olga, world.boris.id, True)
    assert accounts.authenticate(world.store, "boris", PASSWORD).id == world.boris.id
    assert latest_changes(world, 2) == ["reactivated Boris Manager", "deactivated Boris Manager"]


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(world):
    with pytest.raises(InvalidInput, match="active administrator"):
        team.set_role(world.store, world.olga, world.olga.id, Role.MANAGER)
    with pytest.raises(InvalidInput, match="active administrator"):
        team.set_active(world.store, world.olga, world.olga.id, False)
    team.set_role(world.store, world.olga, world.anna.id, Role.ADMIN)
    team.set_role(world.store, world.olga, world.olga.id, Role.MANAGER)
    anna_now = accounts.get_active_user(world.store, world.anna.id)
    users = {u.login: u for u in team.overview(world.store, anna_now).users}
    assert (users["olga"].role, users["anna"].role) == (Role.MANAGER, Role.ADMIN)


def test_an_admin_demoted_a_moment_ago_changes_nothing_more(world):
    team.set_role(world.store, world.olga, world.anna.id, Role.ADMIN)
    anna_as_admin = accounts.get_active_user(world.store, world.anna.id)
    team.set_role(world.store, world.olga, world.anna.id, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        team.set_active(world.store, anna_as_admin, world.boris.id, False)
    with pytest.raises(PermissionDenied):
        accounts.grant_access(world.store, anna_as_admin, world.anna.id, world.website.id)
    with pytest.raises(PermissionDenied):
        accounts.configure_channel(world.store, anna_as_admin, world.website.id, secret="mine")
    with pytest.raises(PermissionDenied):
        channel_settings.set_enabled(world.store, anna_as_admin, world.website.id, False)


def test_two_admins_demoting_each_other_at_once_leave_one_admin(world):
    for trial in range(20):
        team.set_role(world.store, world.olga, world.anna.id, Role.ADMIN)
        admins = [world.olga, accounts.get_active_user(world.store, world.anna.id)]

        def demote_the_other(i, admins=admins):
            try:
                team.set_role(world.store, admins[i], admins[1 - i].id, Role.MANAGER)
                return "done"
            except (InvalidInput, PermissionDenied):
                return "refused"

        results = run_together(2, demote_the_other)
        assert sorted(results) == ["done", "refused"], f"trial {trial}"
        roles = {u.id: u.role for u in team.overview(world.store, world.olga).users}
        survivor = world.olga if roles[world.olga.id] == Role.ADMIN else world.anna
        assert [uid for uid, role in roles.items() if role == Role.ADMIN] == [survivor.id]
        if survivor.id != world.olga.id:
            team.set_role(world.store, admins[1], world.olga.id, Role.ADMIN)


def test_granting_and_revoking_a_channel_changes_what_the_manager_sees(world):
    world.customer_writes("hi from the website", who="w1", name="Web Lead", channel=world.website)
    world.customer_writes("hi from telegram", who="t1", name="Tg Lead")

    def seen():
        rows = reads.list_chats(world.store, world.boris, ChatFilter()).rows
        return sorted(r.name for r in rows)

    assert seen() == ["Tg Lead"]
    accounts.grant_access(world.store, world.olga, world.boris.id, world.website.id)
    accounts.grant_access(world.store, world.olga, world.boris.id, world.website.id)  # no-op
    assert seen() == ["Tg Lead", "Web Lead"]
    accounts.revoke_access(world.store, world.olga, world.boris.id, world.telegram.id)
    assert seen() == ["Web Lead"]
    overview = team.overview(world.store, world.olga)
    assert overview.granted(world.boris.id, world.website.id)
    assert not overview.granted(world.boris.id, world.telegram.id)
    assert latest_changes(world, 2) == [
        "took Shop bot from Boris Manager",
        "gave Boris Manager access to Website chat",
    ]
