"""The order form's table of lines: how the grid's edits become the lines that are saved."""

from decimal import Decimal

from components import order_lines
from components.order_lines import FREE_LINE, fold, line
from inbox.models import Product

SOCKS = Product(id=1, name="Wool socks", sku=None, price=Decimal("12.50"), active=True)
SCARF = Product(id=2, name="Scarf", sku=None, price=Decimal("30.00"), active=True)
PRODUCTS = {order_lines.product_label(p): p for p in (SOCKS, SCARF)}


def edits(changed=None, added=(), deleted=()):
    return {"edited_rows": changed or {}, "added_rows": list(added), "deleted_rows": list(deleted)}


def test_picking_a_product_fills_its_name_and_price_and_a_second_pick_replaces_them():
    lines = fold([line()], edits({0: {"Product": "Wool socks · 12.50"}}), PRODUCTS)
    assert lines == [line("Wool socks · 12.50", "Wool socks", 1, 12.5)]
    lines = fold(lines, edits({0: {"Product": "Scarf · 30.00", "Qty": 2}}), PRODUCTS)
    assert lines == [line("Scarf · 30.00", "Scarf", 2, 30.0)]
    assert order_lines.amount(lines[0]) == Decimal("60.00")


def test_a_price_typed_for_a_product_line_is_kept():
    lines = [line("Scarf · 30.00", "Scarf", 1, 30.0)]
    assert fold(lines, edits({0: {"Price": 25.5}}), PRODUCTS)[0]["Price"] == 25.5


def test_rows_are_added_with_defaults_and_deleted():
    lines = [line(name="Gift wrap", price=2.0), line("Scarf · 30.00", "Scarf", 1, 30.0)]
    folded = fold(
        lines, edits(added=[{}, {"Product": "Wool socks · 12.50"}], deleted=[0]), PRODUCTS
    )
    assert folded == [
        line("Scarf · 30.00", "Scarf", 1, 30.0),
        line(FREE_LINE, "", 1, 0.0),
        line("Wool socks · 12.50", "Wool socks", 1, 12.5),
    ]


def test_what_the_grid_cannot_mean_becomes_a_safe_value():
    strange = {"Product": "No such product", "Name": None, "Qty": -4, "Price": float("nan")}
    assert fold([line()], edits({0: strange}), PRODUCTS) == [line(FREE_LINE, "", 1, 0.0)]
    huge = {"Qty": 10**12, "Price": -1, "Name": "‮ Ünïcödé <b>"}
    assert fold([line()], edits({0: huge}), PRODUCTS) == [
        line(FREE_LINE, "‮ Ünïcödé <b>", order_lines.MAX_QUANTITY, 0.0)
    ]


def test_an_empty_free_line_is_left_out_of_the_order_and_products_keep_their_id():
    lines = [line(), line("Scarf · 30.00", "Scarf", 2, 30.0), line(name=" Gift wrap ", price=2)]
    drafts = order_lines.draft_lines(lines, PRODUCTS)
    assert [(d.product_id, d.name, d.quantity, d.price) for d in drafts] == [
        (2, "Scarf", 2, Decimal("30.00")),
        (None, "Gift wrap", 1, Decimal("2.00")),
    ]
