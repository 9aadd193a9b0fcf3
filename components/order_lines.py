"""The order form's lines as one editable table (SPEC L3, P2): product or free line, quantity,
price and the line's amount, with rows added and removed in the table itself.

The lines live in session state; the table shows them. Each edit the table sends is folded into
the lines (a product picked fills its name and price, amounts are worked out) and the table is
shown afresh under a new key, so what it shows is always what will be saved.
"""

import math
from decimal import Decimal

import pandas as pd
import streamlit as st

from components import state
from components.formatting import cents, money
from inbox.models import OrderLineInput, Product

FREE_LINE = "Free line (type a name)"
MAX_QUANTITY = 100_000
MAX_PRICE = 10_000_000.0


def product_label(product: Product) -> str:
    return f"{product.name} · {money(product.price)}"


def line(product: str = FREE_LINE, name: str = "", quantity: int = 1, price: float = 0.0) -> dict:
    return {"Product": product, "Name": name, "Qty": quantity, "Price": price}


def _quantity(value) -> int:
    try:
        return min(max(int(value), 1), MAX_QUANTITY)
    except (TypeError, ValueError, OverflowError):
        return 1


def _price(value) -> float:
    try:
        price = round(float(value), 2)
    except (TypeError, ValueError):
        return 0.0
    return price if math.isfinite(price) and 0 <= price <= MAX_PRICE else 0.0


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _cleaned(row: dict, before: dict | None, products: dict[str, Product]) -> dict:
    label = row.get("Product")
    label = label if label in products else FREE_LINE
    name, quantity, price = row.get("Name"), row.get("Qty"), row.get("Price")
    cleaned = line(label, _text(name), _quantity(quantity), _price(price))
    picked = products.get(label)
    if picked is not None and (before is None or before["Product"] != label):
        cleaned["Name"], cleaned["Price"] = picked.name, float(picked.price)
    return cleaned


def fold(lines: list[dict], edits: dict | None, products: dict[str, Product]) -> list[dict]:
    """The lines with the table's edits applied: changed cells, added rows, deleted rows."""
    edits = edits or {}
    changed = edits.get("edited_rows", {})
    deleted = set(edits.get("deleted_rows", []))
    folded = []
    for index, before in enumerate(lines):
        if index not in deleted:
            folded.append(_cleaned({**before, **changed.get(index, {})}, before, products))
    for added in edits.get("added_rows", []):
        folded.append(_cleaned({**line(), **added}, None, products))
    return folded


def has_edits(edits: dict | None) -> bool:
    parts = ("edited_rows", "added_rows", "deleted_rows")
    return bool(edits) and any(edits.get(part) for part in parts)


def amount(row: dict) -> Decimal:
    return cents(row["Price"]) * row["Qty"]


def draft_lines(lines: list[dict], products: dict[str, Product]) -> list[OrderLineInput]:
    """The lines as the service's input; an empty free line is left out."""
    drafts = []
    for row in lines:
        product = products.get(row["Product"])
        name = row["Name"].strip()
        if product is None and not name:
            continue
        drafts.append(
            OrderLineInput(
                product_id=product.id if product else None,
                name=name,
                quantity=row["Qty"],
                price=cents(row["Price"]),
            )
        )
    return drafts


def editor_key_for(values) -> str:
    return f"order-lines-{values[state.ORDER_LINES_VERSION]}"


def editor_key() -> str:
    return editor_key_for(st.session_state)


def set_lines(lines: list[dict]) -> None:
    st.session_state[state.ORDER_LINES] = lines
    st.session_state[state.ORDER_LINES_VERSION] += 1  # a new table, showing these lines


def _frame(lines: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(lines or [], columns=["Product", "Name", "Qty", "Price"])
    frame = frame.astype({"Qty": "int64", "Price": "float64"})
    frame["Amount"] = [float(amount(row)) for row in lines]
    return frame


def table(products: dict[str, Product]) -> list[dict]:
    """Fold the table's latest edits into the lines, show them, and return them."""
    edits = st.session_state.get(editor_key())
    if has_edits(edits):
        set_lines(fold(st.session_state[state.ORDER_LINES], edits, products))
    lines = st.session_state[state.ORDER_LINES]
    st.caption(
        "Double-click a cell to change it. **+** above the table adds a line; tick a line's box "
        "and press the bin to remove it."
    )
    st.data_editor(
        _frame(lines),
        key=editor_key(),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "Product": st.column_config.SelectboxColumn(
                "Product",
                options=[FREE_LINE, *products],
                required=True,
                default=FREE_LINE,
                width="medium",
            ),
            "Name": st.column_config.TextColumn("Name on the order", max_chars=300, width="medium"),
            "Qty": st.column_config.NumberColumn(
                "Qty", min_value=1, max_value=MAX_QUANTITY, step=1, default=1, required=True
            ),
            "Price": st.column_config.NumberColumn(
                "Price", min_value=0.0, step=0.01, format="%.2f", default=0.0, required=True
            ),
            "Amount": st.column_config.NumberColumn("Amount", format="%.2f", disabled=True),
        },
    )
    return lines
