"""What floods at the doors cost the real server: huge uploads, and failing logins.

    python -m bench.doors

Starts `streamlit run app.py` on a demo database and prints the server's memory growth under
eight parallel 256 MiB uploads, and how many password hashes a second a flood of failing logins
from many addresses gets, with the server's CPU time.
"""

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from inbox.demo_data import seed
from inbox.store import Store
from tests.browser.conftest import Server
from tests.browser.http import log_in_over_http
from tests.browser.load import PeakMemory, cpu_seconds, upload

MiB = 1024 * 1024


def upload_flood(server: Server) -> None:
    jobs = [
        (path, chunked) for path in ("/api/channels/2/messages", "/login") for chunked in (0, 1)
    ]
    jobs *= 2
    with PeakMemory(server.process.pid) as memory, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda job: upload(server.port, job[0], 256 * MiB, job[1]), jobs))
    statuses = sorted({status for status, _ in results})
    sent = sum(sent for _, sent in results) / MiB
    print("8 parallel uploads of 256 MiB (half declared, half chunked):")
    print(f"  answers {statuses}, {sent:.1f} MiB sent before the server said no")
    print(f"  server memory: {memory.before / MiB:.0f} MiB, peak +{memory.growth / MiB:.1f} MiB")


def login_flood(server: Server, tries: int = 200, at_once: int = 24) -> None:
    def attack(n: int) -> int:
        address = {"X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}
        return log_in_over_http(server, f"user-{n}", "guess", address).status

    before, started = cpu_seconds(server.process.pid), time.monotonic()
    with ThreadPoolExecutor(at_once) as pool:
        statuses = list(pool.map(attack, range(tries)))
    seconds = time.monotonic() - started
    cpu = cpu_seconds(server.process.pid) - before
    hashed = statuses.count(401)
    print(f"{tries} failing logins, {at_once} at once, each from a new address:")
    print(f"  {hashed} password hashes in {seconds:.1f} s = {hashed / seconds:.1f} a second")
    print(f"  {statuses.count(503)} told to come back without a hash")
    print(f"  server CPU {cpu:.1f} s = {cpu / seconds:.0%} of one core")

    started = time.monotonic()
    one = [log_in_over_http(server, "boris", "guess", {"X-Forwarded-For": "192.0.2.1"}).status]
    with ThreadPoolExecutor(20) as pool:
        one += pool.map(
            lambda n: (
                log_in_over_http(server, "boris", f"g{n}", {"X-Forwarded-For": "192.0.2.1"}).status
            ),
            range(199),
        )
    seconds = time.monotonic() - started
    print(f"200 tries at one account from one address, 20 at once, {seconds:.1f} s:")
    print(f"  {one.count(401)} checked, {one.count(429)} refused while locked")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="inbox-doors-"))
    store = Store(folder / "demo.duckdb")
    seed(store)
    store.close()
    server = Server(folder / "demo.duckdb", folder / "server.log")
    try:
        upload_flood(server)
        login_flood(server)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
