"""The Orders page: filters, the totals of what they match, and the list; a row opens the
order form."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from components import order_form, state
from components.callbacks import callback
from components.formatting import full_time, markdown_plain, money
from inbox.clock import in_zone, utc_of
from inbox.models import Channel, OrderList, OrderQuery, OrderStatus, User

PERIODS = ["Today", "Last 7 days", "Last 30 days", "This month", "All time"]
PAGE_SIZE = 100


def _day_start(day, zone: ZoneInfo) -> datetime:
    """The start of a day in the viewer's zone, as naive UTC."""
    return utc_of(day, time(), zone)


def period_start(period: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """Where a period starts, as naive UTC; None for all time. Every period runs to now."""
    today = in_zone(now, zone).date()
    first = {
        "Today": today,
        "Last 7 days": today - timedelta(days=6),
        "Last 30 days": today - timedelta(days=29),
        "This month": today.replace(day=1),
    }.get(period)
    return _day_start(first, zone) if first else None


def render_filters(people: list[User], channels: list[Channel]) -> None:
    statuses, manager, channel, period = st.columns([3, 2, 2, 2])
    statuses.multiselect("Status", [s.value for s in OrderStatus], key=state.ORDER_STATUSES,
                         placeholder="Every status")  # fmt: skip
    names = ["All", *(p.name for p in people)]
    if st.session_state[state.ORDER_MANAGER] not in names:
        st.session_state[state.ORDER_MANAGER] = "All"
    manager.selectbox("Manager", names, key=state.ORDER_MANAGER)
    channel_names = ["All", *(c.name for c in channels)]
    if st.session_state[state.ORDER_CHANNEL] not in channel_names:
        st.session_state[state.ORDER_CHANNEL] = "All"
    channel.selectbox("Channel", channel_names, key=state.ORDER_CHANNEL)
    period.selectbox("Period", PERIODS, key=state.ORDER_PERIOD)


def current_query(
    people: list[User], channels: list[Channel], zone: ZoneInfo, now: datetime
) -> OrderQuery:
    """What the filters say; a value no widget could have sent counts as no filter."""
    values = st.session_state
    chosen = values[state.ORDER_STATUSES]
    known = {s.value for s in OrderStatus}
    statuses = [OrderStatus(s) for s in chosen if isinstance(s, str) and s in known]
    period = values[state.ORDER_PERIOD]
    since = period_start(period if period in PERIODS else "All time", zone, now)
    return OrderQuery(
        statuses=statuses or list(OrderStatus),
        manager_id={p.name: p.id for p in people}.get(values[state.ORDER_MANAGER]),
        channel_id={c.name: c.id for c in channels}.get(values[state.ORDER_CHANNEL]),
        since=since,
        limit=values[state.ORDER_LIMIT],
    )


@callback
def _show_more() -> None:
    st.session_state[state.ORDER_LIMIT] += PAGE_SIZE


def render_list(found: OrderList, zone: ZoneInfo) -> None:
    st.markdown(
        f"**{found.count} order{'' if found.count == 1 else 's'} · {money(found.total)}** "
        f"<small>(the sum leaves cancelled orders out)</small>",
        unsafe_allow_html=True,
    )
    if not found.rows:
        st.caption("No order matches these filters.")
        return
    widths = [1, 2, 2.5, 2, 2, 1.4, 1.4]
    titles = ["Order", "Date", "Customer", "Channel", "Manager", "Status", "Total"]
    for cell, title in zip(st.columns(widths), titles, strict=True):
        cell.caption(title)
    for row in found.rows:
        cells = st.columns(widths, vertical_alignment="center")
        cells[0].button(
            row.number,
            key=f"order-{row.id}",
            type="tertiary",
            on_click=order_form.open_form,
            args=(row.chat_id, row.id, "orders"),
        )
        cells[1].markdown(full_time(row.created_at, zone))
        cells[2].markdown(markdown_plain(row.customer_name))
        cells[3].markdown(markdown_plain(row.channel_name or "—"))
        cells[4].markdown(markdown_plain(row.manager_name or "—"))
        cells[5].markdown(row.status.value + (" · paid" if row.paid else ""))
        cells[6].markdown(money(row.total))
    if found.has_more:
        st.button("Show more", key="orders-more", on_click=_show_more)
