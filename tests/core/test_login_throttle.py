"""The login throttle's policy, on a clock the test moves."""

import threading

from inbox.login_throttle import LoginThrottle, RateLimit, Rule


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


FIVE = {("pair",): Rule(free=5)}


def fail(throttle: LoginThrottle, rules, times: int) -> list[float]:
    return [throttle.try_once(rules) for _ in range(times)]


def test_five_failures_lock_for_30_seconds_then_each_one_doubles():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    assert fail(throttle, FIVE, 5) == [0.0] * 5
    assert throttle.try_once(FIVE) == 30.0, "the sixth try waits"
    clock.now += 30
    assert throttle.try_once(FIVE) == 0.0
    assert throttle.wait_seconds(FIVE) == 60.0
    clock.now += 60
    throttle.try_once(FIVE)
    assert throttle.wait_seconds(FIVE) == 120.0


def test_the_lock_stops_growing_at_fifteen_minutes_and_is_forgotten_after_an_hour():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(20):  # each try waits out the lock before it
        clock.now += throttle.wait_seconds(FIVE)
        assert throttle.try_once(FIVE) == 0.0
    assert throttle.wait_seconds(FIVE) == 15 * 60
    clock.now += 2 * 3600
    assert throttle.wait_seconds(FIVE) == 0
    assert fail(throttle, FIVE, 4) == [0.0] * 4, "an hour later it starts again from zero"


def test_a_success_takes_back_its_count_and_forgets_the_pair():
    throttle = LoginThrottle(clock=Clock())
    rules = {("pair",): Rule(free=5), ("address",): Rule(free=20)}
    fail(throttle, rules, 4)
    throttle.try_once(rules)  # the fifth try is the right password
    throttle.undo(rules, forget=[("pair",)])
    assert throttle.wait_seconds(rules) == 0
    assert fail(throttle, rules, 5) == [0.0] * 5, "the pair counts from zero again"


def test_keys_lock_independently():
    throttle = LoginThrottle(clock=Clock())
    fail(throttle, {("boris", "A"): Rule(free=5)}, 6)
    assert throttle.wait_seconds([("boris", "A")]) > 0
    assert throttle.try_once({("boris", "B"): Rule(free=5)}) == 0.0


def test_tries_racing_in_parallel_are_all_counted():
    throttle = LoginThrottle()
    results: list[float] = []
    start = threading.Barrier(40)

    def attempt():
        start.wait()
        results.append(throttle.try_once(FIVE))

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(0.0) == 5, "only five go ahead, however many arrive at once"


def test_made_up_logins_cannot_grow_memory_without_bound():
    throttle = LoginThrottle(max_keys=100, clock=Clock())
    for n in range(1000):
        throttle.try_once({("account", f"user-{n}"): Rule(free=5)})
    assert len(throttle._keys) == 100


def test_the_hash_budget_allows_a_burst_then_its_rate():
    clock = Clock()
    budget = RateLimit(per_second=4, burst=4, clock=clock)
    assert [budget.take() for _ in range(4)] == [0.0] * 4
    assert budget.take() == 0.25
    clock.now += 0.25
    assert budget.take() == 0.0
    clock.now += 10
    assert [budget.take() for _ in range(5)] == [0.0] * 4 + [0.25], "the burst is the cap"
