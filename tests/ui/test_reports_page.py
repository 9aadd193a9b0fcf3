"""Reports through AppTest (SPEC P3): the figures, the grains, CSVs and the wall display."""

import pandas as pd
from streamlit.testing.v1 import AppTest

from components import page_registry, reports_view
from tests.ui.conftest import open_page, texts


def open_reports(user) -> AppTest:
    # The scenario's orders are from 2026-11-20.
    return open_page("reports", user, state={"report_period": "All time"})


def refreshers(at) -> list[str]:
    return [e.type for e in at.main if type(e).__name__ == "UnknownElement"]


def test_the_figures_tables_and_csvs_for_every_grain(shop):
    at = open_reports(shop.anna)
    assert not at.exception
    assert [m.value for m in at.metric] == ["3", "87.50", "29.17"]
    by_channel = next(df.value for df in at.dataframe if "Channel" in df.value.columns)
    assert by_channel.to_dict("records") == [
        {"Channel": "Website chat", "Orders": 2, "Total": 57.5},
        {"Channel": "Shop bot", "Orders": 1, "Total": 30.0},
    ]
    assert len(at.get("download_button")) == 5
    for grain in ("Week", "Month", "Day"):
        at.segmented_control(key="report_grain").set_value(grain).run()
        assert not at.exception, grain
        assert any(f"Revenue per {grain.lower()}" in t for t in texts(at))


def test_quiet_days_are_zero_bars():
    frame = pd.DataFrame(
        {"Day": ["2026-11-20", "2026-11-22"], "Orders": [1, 2], "Total": [5.0, 7.0]}
    )
    filled = reports_view.with_quiet_periods(frame, "Day", "day")
    assert filled.to_dict("records") == [
        {"Orders": 1, "Total": 5.0, "Day": "2026-11-20"},
        {"Orders": 0, "Total": 0.0, "Day": "2026-11-21"},
        {"Orders": 2, "Total": 7.0, "Day": "2026-11-22"},
    ]


def test_an_empty_period_says_so_and_the_wall_display_refreshes(shop):
    at = open_reports(shop.anna)
    at.selectbox(key="report_period").set_value("Today").run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["0", "0.00", "—"]
    assert any("No orders in this period." in t for t in texts(at))
    assert refreshers(at) == []
    at.toggle(key="report_wall").set_value(True).run()
    assert not at.exception
    assert refreshers(at) == ["component_instance"], "streamlit-autorefresh is on the page"
    at.toggle(key="report_wall").set_value(False).run()
    assert refreshers(at) == []


def test_reports_are_closed_to_a_user_without_a_channel(shop):
    at = open_reports(shop.clara)
    assert [e.value for e in at.error] == [page_registry.NOT_ALLOWED]
