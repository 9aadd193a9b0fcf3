"""Settings → Shop: the shop's name, time zone and working hours."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, session, state
from components.callbacks import callback
from components.formatting import full_time, markdown_plain
from inbox.models import Shop
from inbox.services import shop

DAYS = [f"day-{weekday}" for weekday in range(7)]
HOURS_HELP = (
    "The channels' automatic answer out of hours (Settings → Channels) uses them. Leave a day "
    "empty when the shop is closed, and every day for no hours."
)


@callback
def _save(keys: dict[str, str], drawn: Shop) -> None:
    name, time_zone = (st.session_state[keys[field]] for field in ("name", "time_zone"))
    typed = [st.session_state[keys[day]] or "" for day in DAYS]

    def save():
        hours = shop.parse_hours(typed)
        shop.save(session.store(), actions.actor(), name, time_zone, working_hours=hours,
                  drawn=drawn)  # fmt: skip

    actions.run(save, "Shop settings saved")


def render(current: Shop, zone: ZoneInfo) -> None:
    fields = ("name", "time_zone", *DAYS)
    keys = {field: state.stored_key(f"shop-{field}", current) for field in fields}
    name, time_zone = st.columns(2)
    name.text_input("Shop name", value=current.name, key=keys["name"],
                    max_chars=shop.NAME_LENGTH,
                    help="Quick replies can say it: {shop.name}")  # fmt: skip
    zones = shop.time_zones()
    time_zone.selectbox("Time zone", zones, index=zones.index(current.time_zone),
                        key=keys["time_zone"],
                        help="Snoozes until “tomorrow 9:00” and working hours use it")  # fmt: skip
    st.markdown("**Working hours**")
    st.caption(HOURS_HELP)
    for column, weekday in zip(st.columns(7), range(7), strict=True):
        column.text_input(
            shop.WEEKDAYS[weekday], value=shop.hours_text(current.working_hours, weekday),
            key=keys[DAYS[weekday]], placeholder="closed", max_chars=20,
        )  # fmt: skip
    st.button("Save", key="save-shop", on_click=_save, args=(keys, current), type="primary")
    if current.changed_at is not None:
        st.caption(f"Last changed by {markdown_plain(current.changed_by_name or 'someone')}"
                   f" on {full_time(current.changed_at, zone)}")  # fmt: skip
