"""The catalogue under Orders: add a product; change, archive or restore one."""

import streamlit as st

from components import actions, session, state
from components.formatting import cents, markdown_plain, money
from inbox.models import Product
from inbox.services import catalogue

NEW_PRODUCT = ("new-product-name", "new-product-sku", "new-product-price")


def _add() -> None:
    values = st.session_state
    name, sku, price = (values[key] for key in NEW_PRODUCT)
    if actions.run(
        lambda: catalogue.add_product(
            session.store(), actions.actor(), name, cents(price), sku or None
        ),
        "Product added",
    ):
        values["new-product-name"], values["new-product-sku"] = "", ""
        values["new-product-price"] = 0.0


def _save(product_id: int) -> None:
    values = st.session_state
    name, sku, price = (
        values[f"product-{field}-{product_id}"] for field in ("name", "sku", "price")
    )
    actions.run(
        lambda: catalogue.update_product(
            session.store(), actions.actor(), product_id, name, cents(price), sku or None
        ),
        "Product saved",
    )


def _archive(product_id: int, archived: bool) -> None:
    actions.run(
        lambda: catalogue.set_archived(session.store(), actions.actor(), product_id, archived),
        "Archived: no longer offered in the order form" if archived else "Offered again",
    )


def render(products: list[Product]) -> None:
    with st.expander("Add a product"):
        name, sku, price = st.columns([3, 1.5, 1.2], vertical_alignment="bottom")
        name.text_input("Name", key="new-product-name", max_chars=300)
        sku.text_input("SKU (optional)", key="new-product-sku", max_chars=100)
        price.number_input("Price", key="new-product-price", min_value=0.0, step=0.5,
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
            for cell, field, text, value in ((name, "name", "Name", product.name),
                                             (sku, "sku", "SKU", product.sku or "")):  # fmt: skip
                key = f"product-{field}-{product.id}"
                state.sync_widget(key, value)
                cell.text_input(text, key=key, max_chars=300)
            price_key = f"product-price-{product.id}"
            state.sync_widget(price_key, float(product.price))
            price.number_input("Price", key=price_key, min_value=0.0, step=0.5, format="%.2f")
            save, archive = st.columns([1, 4])
            save.button("Save", key=f"save-product-{product.id}", on_click=_save,
                        args=(product.id,))  # fmt: skip
            archive.button("Archive" if product.active else "Offer again",
                           key=f"archive-product-{product.id}", on_click=_archive,
                           args=(product.id, product.active))  # fmt: skip
