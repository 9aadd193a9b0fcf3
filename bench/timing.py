import statistics
import time
from collections.abc import Callable


def measure(name: str, action: Callable[[], object], runs: int = 50) -> None:
    """Print the median and 95th percentile of action's wall time."""
    action()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    median = statistics.median(times)
    print(f"  {name:<44} median {median * 1000:10.1f} µs   p95 {p95 * 1000:10.1f} µs")
