"""SPEC A1: users log in with a hashed password."""

import pytest

from inbox.errors import InvalidInput
from inbox.services import accounts
from tests.scenario import PASSWORD


def test_the_right_password_logs_in_case_insensitively_by_login(world):
    user = accounts.authenticate(world.store, " ANNA ", PASSWORD)
    assert user is not None and user.id == world.anna.id


@pytest.mark.parametrize(
    "login, password", [("anna", "wrong-password"), ("nobody", PASSWORD), ("anna", "")]
)
def test_a_wrong_login_or_password_gets_nothing(world, login, password):
    assert accounts.authenticate(world.store, login, password) is None


def test_passwords_are_stored_as_argon2_hashes(world):
    with world.store.read() as cur:
        hashes = [h for (h,) in cur.execute("SELECT password_hash FROM users").fetchall()]
    assert hashes and all(h.startswith("$argon2") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


def test_a_login_is_unique_and_a_password_long_enough(world):
    with pytest.raises(InvalidInput, match="taken"):
        accounts.create_user(world.store, "Anna", "Another Anna", "long-enough")
    with pytest.raises(InvalidInput, match="at least 8"):
        accounts.create_user(world.store, "dan", "Dan", "short")
