"""Which connector sends the replies of which kind of channel. A kind without one keeps its
replies waiting in the outbox until it has one."""

from inbox.channels import demo, http, telegram
from inbox.channels.base import Connector
from inbox.models import ChannelKind

CONNECTORS: dict[ChannelKind, Connector] = {
    ChannelKind.HTTP: http,
    ChannelKind.TELEGRAM: telegram,
    ChannelKind.DEMO: demo,
}
