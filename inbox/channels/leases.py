"""Work that only one server does at a time when several share a PostgreSQL database: polling a
Telegram bot (Telegram answers only one getUpdates at a time) and the demo's customers. A lease
is taken before the work and renewed with it; when its server stops, another takes over once it
expires. With DuckDB there is one server, and the lease is always its own."""

from datetime import timedelta

from inbox.clock import utc_now
from inbox.store import Store, leases


def hold(store: Store, name: str, seconds: float) -> bool:
    """Take or renew the lease for the next `seconds`; False while another server holds it."""
    if not store.shared:
        return True
    now = utc_now()
    with store.write(news=False) as cur:
        return leases.take(cur, name, store.server_id, now, now + timedelta(seconds=seconds))


def let_go(store: Store, name: str) -> None:
    """So that another server takes over at once, not when the lease runs out."""
    if store.shared:
        with store.write(news=False) as cur:
            leases.let_go(cur, name, store.server_id)
