"""Everything the Settings page shows (SPEC P4), in one read: each channel's status, the team
with its access and recent changes, and the shop's own settings."""

from pydantic import BaseModel

from inbox.models import Shop, Team, User
from inbox.services import channel_settings, team
from inbox.services.channel_settings import ChannelStatus
from inbox.services.common import require_admin
from inbox.store import Store
from inbox.store import shop as shop_store


class SettingsScreen(BaseModel):
    channels: list[ChannelStatus]
    team: Team
    shop: Shop


def settings_screen(store: Store, actor: User) -> SettingsScreen:
    require_admin(actor)
    with store.read() as cur:
        return SettingsScreen(
            channels=channel_settings.statuses(cur),
            team=team.team_of(cur, actor),
            shop=shop_store.get(cur),
        )
