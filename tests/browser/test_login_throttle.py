"""Failed logins are throttled per account and address, and cannot take the CPU (finding 3).

Client addresses come in X-Forwarded-For, which the server trusts from 127.0.0.1 as it would
from a reverse proxy there (uvicorn's FORWARDED_ALLOW_IPS)."""

import re
import time
from concurrent.futures import ThreadPoolExecutor

from tests.browser.http import log_in_over_http
from tests.browser.load import cpu_seconds

ATTACKER = {"X-Forwarded-For": "203.0.113.7"}
BORIS_AT_HOME = {"X-Forwarded-For": "198.51.100.20"}


def test_five_failures_lock_the_account_at_that_address_and_say_until_when(start_server):
    server = start_server()
    wrong = [log_in_over_http(server, "boris", "guess", ATTACKER) for _ in range(5)]
    assert [answer.status for answer in wrong] == [401] * 5
    assert "try again in 30 seconds" in wrong[-1].text

    locked = log_in_over_http(server, "boris", headers=ATTACKER)  # even the right password
    assert locked.status == 429
    assert re.search(r"Too many failed logins. Please try again in (29|30) seconds.", locked.text)
    assert 25 <= int(locked.header("Retry-After")) <= 30
    assert "inbox_session" not in locked.cookies()

    assert log_in_over_http(server, "boris", headers=BORIS_AT_HOME).status == 303
    assert log_in_over_http(server, "anna", headers=ATTACKER).status == 303


def test_a_parallel_flood_from_one_address_gets_five_tries(start_server):
    server = start_server()
    with ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(
                lambda n: log_in_over_http(server, "boris", f"guess-{n}", ATTACKER), range(200)
            )
        )
    statuses = [answer.status for answer in answers]
    print(f"200 parallel tries: {statuses.count(401)} checked, {statuses.count(429)} refused")
    assert statuses.count(401) == 5 and statuses.count(429) == 195
    assert log_in_over_http(server, "boris", headers=BORIS_AT_HOME).status == 303


def test_an_account_attacked_from_many_addresses_locks_but_not_in_a_known_browser(start_server):
    server = start_server()
    known = log_in_over_http(server, "boris")  # Boris logged in from this browser before
    device = {"Cookie": f"inbox_device={known.cookies()['inbox_device']}"}

    def attack(n):
        """One wrong password from each address, tried again when told the server is busy."""
        while (
            answer := log_in_over_http(
                server, "boris", "guess", {"X-Forwarded-For": f"192.0.2.{n}"}
            )
        ).status == 503:
            pass
        return answer.status

    with ThreadPoolExecutor(10) as pool:
        assert list(pool.map(attack, range(1, 21))) == [401] * 20
    new_browser = log_in_over_http(server, "boris", headers={"X-Forwarded-For": "192.0.2.99"})
    assert new_browser.status == 429
    known_browser = log_in_over_http(
        server, "boris", headers={"X-Forwarded-For": "192.0.2.99", **device}
    )
    assert known_browser.status == 303


def test_a_flood_from_many_addresses_computes_only_a_few_hashes_a_second(start_server):
    """Every try from a new address for a made-up account: only the hash budget holds."""
    server = start_server()

    def attack(n):
        address = {"X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}
        return log_in_over_http(server, f"user-{n}", "guess", address).status

    before, started = cpu_seconds(server.process.pid), time.monotonic()
    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(attack, range(120)))
    seconds = time.monotonic() - started
    cpu = cpu_seconds(server.process.pid) - before
    hashed = statuses.count(401)
    print(
        f"120 tries, 24 at once, in {seconds:.1f} s: {hashed} hashed "
        f"({hashed / seconds:.1f}/s), {statuses.count(503)} told to come back; "
        f"server CPU {cpu:.1f} s ({cpu / seconds:.0%} of one core)"
    )
    assert set(statuses) <= {401, 503}
    assert hashed <= 4 + 2 * seconds, "no more hashes than the budget: 4 at once, 2 a second"
    assert statuses.count(503) > 0, "the rest were sent away without a hash"
