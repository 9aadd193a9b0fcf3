"""Settings → Shop: the shop's name and time zone."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, session, state
from components.callbacks import callback
from components.formatting import full_time, markdown_plain
from inbox.models import Shop
from inbox.services import shop


@callback
def _save(keys: dict[str, str], drawn: Shop) -> None:
    name, time_zone = (st.session_state[keys[field]] for field in ("name", "time_zone"))
    actions.run(
        lambda: shop.save(session.store(), actions.actor(), name, time_zone, drawn=drawn),
        "Shop settings saved",
    )


def render(current: Shop, zone: ZoneInfo) -> None:
    keys = {field: state.stored_key(f"shop-{field}", current) for field in ("name", "time_zone")}
    name, time_zone = st.columns(2)
    name.text_input("Shop name", value=current.name, key=keys["name"],
                    max_chars=shop.NAME_LENGTH,
                    help="Quick replies can say it: {shop.name}")  # fmt: skip
    zones = shop.time_zones()
    time_zone.selectbox("Time zone", zones, index=zones.index(current.time_zone),
                        key=keys["time_zone"],
                        help="Snoozes until “tomorrow 9:00” and working hours use it")  # fmt: skip
    st.button("Save", key="save-shop", on_click=_save, args=(keys, current), type="primary")
    if current.changed_at is not None:
        st.caption(f"Last changed by {markdown_plain(current.changed_by_name or 'someone')}"
                   f" on {full_time(current.changed_at, zone)}")  # fmt: skip
