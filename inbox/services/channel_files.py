"""A channel's file for a logged-in user: checked against their channels in SQL, then fetched
from the channel by our server, so the channel's token never reaches the browser."""

from inbox.channels.registry import BY_NAME
from inbox.errors import NotFound
from inbox.models import ChannelFile, User
from inbox.store import Store, channels, files


def fetch(store: Store, user: User, file_id: int) -> tuple[ChannelFile, bytes]:
    """The file and its bytes; NotFound alike for a file that does not exist and for one in a
    channel the user does not see. The channel's failures (TemporaryFailure, PermanentFailure)
    pass through with their reason."""
    with store.read() as cur:
        found = files.visible(cur, user.id, file_id)
        config = channels.settings(cur, found.channel_id) if found else None
    kind = BY_NAME.get(found.channel_kind) if found else None
    source = kind.fetch_file if kind else None
    if found is None or source is None:
        raise NotFound("No such file.")
    return found, source(config or {}, found.external_file_id)
