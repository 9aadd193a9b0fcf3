"""Settings (SPEC P4), for administrators: the channels, and the team with its access."""

import streamlit as st

from components import channel_settings, page_registry, session, styles, team_settings
from components.formatting import viewer_zone
from inbox.services import channel_settings as channel_service
from inbox.services import team

user = page_registry.open_page(page_registry.SETTINGS)
store, zone = session.store(), viewer_zone(st.context.timezone)

styles.inject()
st.title("Settings")
channels_tab, team_tab = st.tabs(["Channels", "Users and access"])
with channels_tab:
    channel_settings.render_add_form()
    for status in channel_service.overview(store, user):
        channel_settings.render_channel(status, zone)
with team_tab:
    overview = team.overview(store, user)
    team_settings.render_add_user()
    team_settings.render_users(overview.users)
    team_settings.render_access(overview)
    team_settings.render_changes(overview, zone)
