"""Tables as CSV files to download. Names and contacts come from customers, and a spreadsheet
runs a cell that starts with = + - or @ as a formula, so such a cell gets a leading apostrophe
(which spreadsheets hide); a plain number or phone number is left as it is."""

import re

import pandas as pd
import streamlit as st

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[\d\s+\-().]*")


def inert(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if not PLAIN_NUMBER.fullmatch(value):
            return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> str:
    return frame.map(inert).to_csv(index=False)


def download(frame: pd.DataFrame, name: str) -> None:
    st.download_button("Download CSV", csv_text(frame), file_name=f"{name}.csv", mime="text/csv",
                       key=f"csv-{name}", on_click="ignore")  # fmt: skip
