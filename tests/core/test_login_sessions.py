"""Logins that survive a reload: signed cookies backed by a stored session."""

import stat
from datetime import timedelta

from inbox.services import login_sessions
from tests.scenario import START


def test_a_cookie_names_its_user_until_logout(world, tmp_path):
    key = login_sessions.load_or_create_key(tmp_path / "k")
    cookie = login_sessions.start_session(world.store, key, world.anna, now=START)
    assert login_sessions.user_for_cookie(world.store, key, cookie, now=START) == world.anna
    login_sessions.end_session(world.store, key, cookie)
    assert login_sessions.user_for_cookie(world.store, key, cookie, now=START) is None


def test_a_forged_or_foreign_cookie_names_nobody(world, tmp_path):
    key = login_sessions.load_or_create_key(tmp_path / "k")
    other_key = login_sessions.load_or_create_key(tmp_path / "other")
    cookie = login_sessions.start_session(world.store, key, world.anna, now=START)
    session_id, signature = cookie.split(".")
    for forged in (
        f"{session_id}.{'0' * len(signature)}",
        f"{session_id}x.{signature}",
        session_id,
        "",
        None,
        "a.b.c",
    ):
        assert login_sessions.user_for_cookie(world.store, key, forged, now=START) is None
    assert login_sessions.user_for_cookie(world.store, other_key, cookie, now=START) is None


def test_a_session_expires(world, tmp_path):
    key = login_sessions.load_or_create_key(tmp_path / "k")
    cookie = login_sessions.start_session(world.store, key, world.anna, now=START)
    later = START + login_sessions.LIFETIME + timedelta(seconds=1)
    assert login_sessions.user_for_cookie(world.store, key, cookie, now=later) is None


def test_the_key_is_made_once_and_readable_only_by_its_owner(tmp_path):
    path = tmp_path / "data" / "inbox.session-key"
    key = login_sessions.load_or_create_key(path)
    assert len(key) == 32
    assert login_sessions.load_or_create_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_cookie_with_odd_characters_is_refused_not_a_crash(world, tmp_path):
    key = login_sessions.load_or_create_key(tmp_path / "k")
    for odd in ("abc.é", "é.é", "abc.\x00", "💬.💬"):
        assert login_sessions.user_for_cookie(world.store, key, odd, now=START) is None
