"""Settings (SPEC P4), for administrators: the channels."""

import streamlit as st

from components import channel_settings, session
from components.formatting import viewer_zone
from inbox.services import channel_settings as settings_service

session.init()
user = session.require_user()
if not user.is_admin:
    st.error("Only an administrator can open Settings.")
    st.stop()

st.title("Settings")
st.subheader("Channels")
zone = viewer_zone(st.context.timezone)
channel_settings.render_add_form()
for status in settings_service.overview(session.store(), user):
    channel_settings.render_channel(status, zone)
