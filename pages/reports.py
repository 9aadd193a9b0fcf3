"""Reports (SPEC P3), for managers reviewing order totals."""

import streamlit as st
from streamlit_autorefresh import st_autorefresh

from components import page_registry, reports_view, session, state, styles
from components.formatting import viewer_zone
from components.orders_view import PERIODS, period_start
from inbox.clock import utc_now
from inbox.services import reports

user = page_registry.open_page(page_registry.REPORTS)
store, zone, now = session.store(), viewer_zone(st.context.timezone), utc_now()
styles.inject()
st.title("Reports")
reports_view.render_controls()
if st.session_state[state.REPORT_WALL]:
    st_autorefresh(interval=reports_view.WALL_REFRESH_MS, key="report-wall-refresh")
period = st.session_state[state.REPORT_PERIOD]
since = period_start(period if period in PERIODS else "All time", zone, now)
reports_view.render(reports.report(store, user, since, grain=reports_view.chosen_grain()))
