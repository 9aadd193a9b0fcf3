import statistics
import time
from collections.abc import Callable


def timed(action: Callable[[], object], runs: int = 50) -> tuple[float, float]:
    """The median and 95th percentile of action's wall time, in ms, after one warm-up."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def measure(name: str, action: Callable[[], object], runs: int = 50) -> None:
    """Print the median and 95th percentile of action's wall time."""
    median, p95 = timed(action, runs)
    print(f"  {name:<44} median {median * 1000:10.1f} µs   p95 {p95 * 1000:10.1f} µs")
