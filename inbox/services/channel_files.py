"""A channel's file for a logged-in user: checked against their channels in SQL, then fetched
from the channel by our server, so the channel's token never reaches the browser. Files of a
kind whose addresses expire are kept once fetched (`keep_new`, right after they arrive)."""

import logging
from datetime import datetime

from inbox.channels import registry
from inbox.channels.base import PermanentFailure, TemporaryFailure
from inbox.errors import NotFound
from inbox.models import ChannelFile, User
from inbox.services.common import now_or_utc
from inbox.store import Store, channels, files

log = logging.getLogger(__name__)


def fetch(store: Store, user: User, file_id: int) -> tuple[ChannelFile, bytes]:
    """The file and its bytes; NotFound alike for a file that does not exist and for one in a
    channel the user does not see. The channel's failures (TemporaryFailure, PermanentFailure)
    pass through with their reason."""
    with store.read() as cur:
        found = files.visible(cur, user.id, file_id)
        body = files.kept(cur, file_id) if found else None
        config = channels.settings(cur, found.channel_id) if found else None
    if found is not None and body is not None:
        return found, body
    kind = registry.BY_NAME.get(found.channel_kind) if found else None
    source = kind.fetch_file if kind else None
    if found is None or source is None:
        raise NotFound("No such file.")
    body = source(config or {}, found.external_file_id)
    if kind.keeps_files:
        with store.write(shown=False) as cur:
            files.keep(cur, file_id, body, now_or_utc(None))
    return found, body


def keep_new(store: Store, channel_id: int, file_ids: list[int], now: datetime | None = None):
    """Fetch and keep these files of the channel while their addresses still work. One that
    cannot be fetched now is logged and left: opening it tries again."""
    with store.read() as cur:
        config = channels.settings(cur, channel_id) or {}
        channel = channels.get(cur, channel_id)
        waiting = files.external(cur, file_ids)
    kind = registry.BY_NAME.get(channel.kind) if channel else None
    if kind is None or kind.fetch_file is None:
        return 0
    kept = 0
    for file_id, address in waiting:
        try:
            body = kind.fetch_file(config, address)
        except (TemporaryFailure, PermanentFailure) as failure:
            log.warning("Channel %s: file %s not kept: %s", channel_id, file_id, failure)
            continue
        with store.write(shown=False) as cur:
            kept += files.keep(cur, file_id, body, now_or_utc(now))
    return kept
