"""Which connector sends the replies of which kind of channel, and which fetches its files. A
kind without a connector keeps its replies waiting in the outbox until it has one."""

from collections.abc import Callable
from typing import Any

from inbox.channels import demo, http, telegram
from inbox.channels.base import Connector
from inbox.models import ChannelKind

CONNECTORS: dict[ChannelKind, Connector] = {
    ChannelKind.HTTP: http,
    ChannelKind.TELEGRAM: telegram,
    ChannelKind.DEMO: demo,
}

# (channel settings, the channel's file id) -> the file's bytes
FILE_SOURCES: dict[ChannelKind, Callable[[dict[str, Any], str], bytes]] = {
    ChannelKind.TELEGRAM: telegram.fetch_file,
}
