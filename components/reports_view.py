"""Reports: the period and grain, the headline figures, charts, and each table with its CSV."""

import pandas as pd
import streamlit as st

from components import csv_export, state
from components.formatting import money
from components.orders_view import PERIODS
from inbox.models import Report, ReportRow, ResponseTime

GRAINS = {"Day": "day", "Week": "week", "Month": "month"}
WALL_REFRESH_MS = 60_000


def render_controls() -> None:
    period, grain, wall = st.columns([2, 2, 1.4], vertical_alignment="bottom")
    period.selectbox("Period", PERIODS, key=state.REPORT_PERIOD)
    grain.segmented_control("Totals per", list(GRAINS), key=state.REPORT_GRAIN)
    wall.toggle(
        "Wall display",
        key=state.REPORT_WALL,
        help="Refreshes the whole report every minute, for a screen on the wall.",
    )


def chosen_grain() -> str:
    grain = st.session_state[state.REPORT_GRAIN]
    return GRAINS.get(grain, "day") if isinstance(grain, str) else "day"


def totals_frame(rows: list[ReportRow], label: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            label: [r.label for r in rows],
            "Orders": [r.orders for r in rows],
            "Total": [float(r.total) for r in rows],
        }
    )


FREQUENCIES = {"day": "D", "week": "W-MON", "month": "MS"}


def with_quiet_periods(frame: pd.DataFrame, per: str, grain: str) -> pd.DataFrame:
    """Periods without orders as zero bars, so the chart's gaps are visible."""
    starts = pd.to_datetime(frame[per])
    every = pd.date_range(starts.min(), starts.max(), freq=FREQUENCIES[grain])
    figures = frame.drop(columns=[per]).set_index(starts).reindex(every, fill_value=0)
    return figures.assign(**{per: every.strftime("%Y-%m-%d")}).reset_index(drop=True)


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.1f} h"


def responses_frame(rows: list[ResponseTime]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Manager": [r.manager for r in rows],
            "Chats answered": [r.chats for r in rows],
            "Median first response": [_minutes(r.median_seconds) for r in rows],
            "Average first response": [_minutes(r.average_seconds) for r in rows],
        }
    )


def _table(title: str, frame: pd.DataFrame, key: str, chart_by: str | None = None) -> None:
    st.markdown(f"**{title}**")
    if frame.empty:
        st.caption("No orders in this period.")
        return
    if chart_by:
        st.bar_chart(frame, x=chart_by, y="Total", height=220, horizontal=True)
    money_column = st.column_config.NumberColumn(format="%.2f")
    st.dataframe(frame, hide_index=True, width="stretch", column_config={"Total": money_column})
    csv_export.download(frame, key)


def render(report: Report) -> None:
    orders, revenue, average = st.columns(3)
    orders.metric("Orders", report.orders)
    revenue.metric("Revenue", money(report.total))
    average.metric("Average order", money(report.total / report.orders) if report.orders else "—")
    st.caption("Cancelled orders are left out of every figure.")

    per = st.session_state[state.REPORT_GRAIN] or "Day"
    by_period = totals_frame(report.by_period, per)
    st.markdown(f"**Revenue per {str(per).lower()}**")
    if by_period.empty:
        st.caption("No orders in this period.")
    else:
        st.bar_chart(
            with_quiet_periods(by_period, per, chosen_grain()), x=per, y="Total", height=240
        )

    left, right = st.columns(2, gap="large")
    with left:
        _table("By chat channel", totals_frame(report.by_channel, "Channel"), "by-channel",
               chart_by="Channel")  # fmt: skip
        _table("By the manager who took the order",
               totals_frame(report.by_manager, "Manager"), "by-manager")  # fmt: skip
    with right:
        _table("By the chat's responsible manager",
               totals_frame(report.by_responsible, "Responsible"), "by-responsible",
               chart_by="Responsible")  # fmt: skip
        _table("Top customers", totals_frame(report.by_customer, "Customer"), "by-customer")
    _table("Totals per period", by_period, "by-period")
    st.markdown("**First response per manager**")
    st.caption("From a customer's first message in a new chat to the first reply.")
    responses = responses_frame(report.first_responses)
    if responses.empty:
        st.caption("No chat was answered in this period.")
    else:
        st.dataframe(responses, hide_index=True, width="stretch")
        csv_export.download(responses, "first-responses")
