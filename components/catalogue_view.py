"""The catalogue under Orders: add a product; change, archive or restore one."""

import streamlit as st

from components import actions, session, state
from components.callbacks import callback
from components.formatting import cents, markdown_plain, money
from inbox.models import Product
from inbox.services import catalogue

NEW_PRODUCT = "new-product"  # the add form's fields, emptied together (state.renew)


def _new_product_key(field: str) -> str:
    return state.group_key(NEW_PRODUCT, field)


@callback
def _add() -> None:
    values = st.session_state
    name, sku, price = (values[_new_product_key(f)] for f in ("name", "sku", "price"))
    if actions.run(
        lambda: catalogue.add_product(
            session.store(), actions.actor(), name, cents(price), sku or None
        ),
        "Product added",
    ):
        state.renew(NEW_PRODUCT)


@callback
def _save(product_id: int, keys: dict[str, str], drawn: Product) -> None:
    """Save what the boxes say; `drawn` is the product they showed (a compare-and-set per
    field)."""
    name, sku, price = (st.session_state[keys[field]] for field in ("name", "sku", "price"))
    actions.run(
        lambda: catalogue.update_product(
            session.store(), actions.actor(), product_id, name, cents(price), sku or None,
            drawn=drawn,
        ),
        "Product saved",
    )  # fmt: skip


@callback
def _archive(product_id: int, archived: bool) -> None:
    actions.run(
        lambda: catalogue.set_archived(session.store(), actions.actor(), product_id, archived),
        "Archived: no longer offered in the order form" if archived else "Offered again",
    )


def render(products: list[Product]) -> None:
    with st.expander("Add a product"):
        name, sku, price = st.columns([3, 1.5, 1.2], vertical_alignment="bottom")
        name.text_input("Name", key=_new_product_key("name"), max_chars=300)
        sku.text_input("SKU (optional)", key=_new_product_key("sku"), max_chars=100)
        price.number_input("Price", key=_new_product_key("price"), min_value=0.0, step=0.5,
                           format="%.2f")  # fmt: skip
        st.button("Add product", key="add-product", on_click=_add, type="primary")
    if not products:
        st.caption("The catalogue is empty: orders take free lines until a product is added.")
    for product in products:
        label = f"**{markdown_plain(product.name)}** · {money(product.price)}"
        if product.sku:
            label += f" · {markdown_plain(product.sku)}"
        if not product.active:
            label += " · archived"
        with st.expander(label):
            name, sku, price = st.columns([3, 1.5, 1.2], vertical_alignment="bottom")
            keys = {}
            for cell, field, text, value in ((name, "name", "Name", product.name),
                                             (sku, "sku", "SKU", product.sku or "")):  # fmt: skip
                keys[field] = state.stored_key(f"product-{field}-{product.id}", value)
                cell.text_input(text, value=value, key=keys[field], max_chars=300)
            keys["price"] = state.stored_key(f"product-price-{product.id}", product.price)
            price.number_input("Price", value=float(product.price), key=keys["price"],
                               min_value=0.0, step=0.5, format="%.2f")  # fmt: skip
            save, archive = st.columns([1, 4])
            save.button("Save", key=f"save-product-{product.id}", on_click=_save,
                        args=(product.id, keys, product))  # fmt: skip
            archive.button("Archive" if product.active else "Offer again",
                           key=f"archive-product-{product.id}", on_click=_archive,
                           args=(product.id, product.active))  # fmt: skip
