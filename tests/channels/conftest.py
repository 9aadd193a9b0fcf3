import pytest

from inbox.services import accounts
from tests.channels.telegram_standin import TelegramStandIn


@pytest.fixture
def bot(world):
    """The scenario's Telegram bot, talking to a Bot API stand-in."""
    standin = TelegramStandIn(token="secret")  # the scenario's bot token
    accounts.configure_channel(world.store, world.olga, world.telegram.id, api_url=standin.base_url)
    yield standin
    standin.close()
