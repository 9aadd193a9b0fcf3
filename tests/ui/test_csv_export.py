"""CSV files to download: what a spreadsheet would run as a formula is made inert."""

import csv
import io

import pandas as pd
import pytest

from components.csv_export import csv_text, inert


@pytest.mark.parametrize(
    "cell, written",
    [("=1+1", "'=1+1"), ('=HYPERLINK("http://x","y")', "'=HYPERLINK(\"http://x\",\"y\")"),
     ("@SUM(A1)", "'@SUM(A1)"), ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
     ("+A1", "'+A1"), ("\t=1", "'\t=1"),
     ("+351 912 345 678", "+351 912 345 678"), ("-12.50", "-12.50"),
     ("Maria = Keller", "Maria = Keller"), ("", ""), (42, 42)],
)  # fmt: skip
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(cell, written):
    assert inert(cell) == written


def test_the_csv_keeps_every_other_character_as_it_was():
    frame = pd.DataFrame({"Name": ["=cmd()", 'Zoë, "the" ‮ one'], "Orders": [1, 2]})
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows == [["Name", "Orders"], ["'=cmd()", "1"], ['Zoë, "the" ‮ one', "2"]]
