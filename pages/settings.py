"""Settings (SPEC P4), for administrators: the channels, the team with its access, the shop."""

import streamlit as st

from components import (
    channel_settings,
    page_registry,
    session,
    shop_settings,
    styles,
    team_settings,
)
from components.formatting import viewer_zone
from inbox.services.settings_screen import settings_screen

user = page_registry.open_page(page_registry.SETTINGS)
zone = viewer_zone(st.context.timezone)
screen = settings_screen(session.store(), user)

styles.inject()
st.title("Settings")
channels_tab, team_tab, shop_tab = st.tabs(["Channels", "Users and access", "Shop"])
with channels_tab:
    channel_settings.render_add_form()
    for status in screen.channels:
        channel_settings.render_channel(status, zone)
with team_tab:
    team_settings.render_add_user()
    team_settings.render_users(screen.team.users)
    team_settings.render_access(screen.team)
    team_settings.render_changes(screen.team, zone)
with shop_tab:
    shop_settings.render(screen.shop, zone)
