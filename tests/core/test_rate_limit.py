"""The token bucket that keeps one caller from flooding a route."""

from inbox.rate_limit import RateLimit


def test_a_burst_is_allowed_then_the_caller_waits_for_the_average_rate():
    limit = RateLimit(per_minute=6, burst=3)
    assert [limit.take("a", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limit.take("a", now=100.0) == 10.0, "one more in 10 s at 6 a minute"
    assert limit.take("b", now=100.0) == 0.0, "another caller has its own bucket"
    assert limit.take("a", now=105.0) == 5.0
    assert limit.take("a", now=110.0) == 0.0
