"""The Customers page: the list, and one customer with their chats, orders and notes."""

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from components import actions, csv_export, page_registry, session, state
from components.callbacks import callback
from components.formatting import full_time, html_plain, list_time, markdown_plain, money
from inbox.clock import in_zone
from inbox.models import (
    SEARCH_MAX_LENGTH,
    CustomerInput,
    CustomerList,
    CustomerPage,
    CustomerQuery,
    CustomerRow,
    User,
)
from inbox.services import customers

SORTS = {"Name": "name", "Total sum": "total", "Orders": "orders", "Last order": "last_order"}
PAGE_SIZE = 50


@callback
def open_customer(customer_id: int | None) -> None:
    """Open a customer (None: back to the list), with the address naming them."""
    st.session_state[state.OPEN_CUSTOMER_ID] = customer_id
    if customer_id is None:
        st.query_params.pop("customer", None)
    else:
        st.query_params["customer"] = str(customer_id)


def follow_link() -> None:
    wanted = state.from_address("customer")
    if wanted is not None:
        st.session_state[state.OPEN_CUSTOMER_ID] = wanted


def current_query() -> CustomerQuery:
    values = st.session_state
    search, sort = values[state.CUSTOMER_SEARCH], values[state.CUSTOMER_SORT]
    return CustomerQuery(
        search=search[:SEARCH_MAX_LENGTH] if isinstance(search, str) else "",
        sort=SORTS.get(sort, "name") if isinstance(sort, str) else "name",
        limit=values[state.CUSTOMER_LIMIT],
    )


def render_filters() -> None:
    search, sort = st.columns([3, 1], vertical_alignment="bottom")
    search.text_input("Search by name, phone or email", key=state.CUSTOMER_SEARCH,
                      max_chars=SEARCH_MAX_LENGTH, placeholder="Name, phone or email")  # fmt: skip
    sort.selectbox("Sort by", list(SORTS), key=state.CUSTOMER_SORT)


@callback
def _show_more() -> None:
    st.session_state[state.CUSTOMER_LIMIT] += PAGE_SIZE


def customers_frame(rows: list[CustomerRow], zone: ZoneInfo) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Name": [r.name for r in rows],
            "Phone": [r.phone or "" for r in rows],
            "Email": [r.email or "" for r in rows],
            "Channels": [r.channels or "" for r in rows],
            "Orders": [r.order_count for r in rows],
            "Total": [str(r.order_total) for r in rows],
            "Last order": [
                in_zone(r.last_order_at, zone).strftime("%Y-%m-%d %H:%M") if r.last_order_at else ""
                for r in rows
            ],
        }
    )


def _export(query: CustomerQuery, user: User, zone: ZoneInfo):
    """The CSV of every customer the list's query finds, made only when it is downloaded."""
    store = session.store()

    def make() -> str:
        return csv_export.csv_text(
            customers_frame(customers.export_customers(store, user, query), zone)
        )

    return make


def render_list(found: CustomerList, user: User, zone: ZoneInfo, now) -> None:
    if not found.rows:
        st.caption("No customer matches." if current_query().search else "No customers yet.")
        return
    widths = [3, 3, 2, 1, 1.4, 1.4]
    header = st.columns(widths)
    titles = ["Name", "Contacts", "Channels", "Orders", "Total", "Last order"]
    for cell, title in zip(header, titles, strict=True):
        cell.caption(title)
    for row in found.rows:
        cells = st.columns(widths, vertical_alignment="center")
        cells[0].button(markdown_plain(row.name), key=f"customer-{row.id}", type="tertiary",
                        on_click=open_customer, args=(row.id,))  # fmt: skip
        contacts = " · ".join(markdown_plain(c) for c in (row.phone, row.email) if c)
        cells[1].markdown(contacts or "—")
        cells[2].markdown(markdown_plain(row.channels or "—"))
        cells[3].markdown(str(row.order_count))
        cells[4].markdown(money(row.order_total))
        cells[5].markdown(list_time(row.last_order_at, zone, now) if row.last_order_at else "—")
    more, download = st.columns([1, 1])
    if found.has_more:
        more.button("Show more", key="customers-more", on_click=_show_more)
    with download:
        csv_file = _export(current_query(), user, zone)
        st.download_button("Download CSV", csv_file, file_name="customers.csv", mime="text/csv",
                           key="csv-customers", on_click="ignore")  # fmt: skip


@callback
def _save(customer_id: int, keys: dict[str, str], drawn: CustomerInput) -> None:
    """Save what the boxes say; `drawn` is what they showed (a compare-and-set per field)."""

    def save():
        details = CustomerInput(**{field: st.session_state[key] for field, key in keys.items()})
        customers.update_customer(
            session.store(), actions.actor(), customer_id, details, drawn=drawn
        )

    actions.run(save, "Customer saved")


def _render_edit(page: CustomerPage) -> None:
    customer = page.customer
    drawn = CustomerInput(name=customer.name, phone=customer.phone or "",
                          email=customer.email or "")  # fmt: skip
    keys = {}
    with st.expander("Edit contacts"):
        for field, label in (("name", "Name"), ("phone", "Phone"), ("email", "Email")):
            value = getattr(drawn, field)
            keys[field] = state.stored_key(f"customer-{field}-{customer.id}", value)
            st.text_input(label, value=value, key=keys[field], max_chars=200)
        st.button("Save", key=f"save-customer-{customer.id}", on_click=_save,
                  args=(customer.id, keys, drawn))  # fmt: skip


def render_customer(page: CustomerPage, zone: ZoneInfo, now) -> None:
    customer = page.customer
    st.button("« All customers", key="back-to-customers", on_click=open_customer, args=(None,))
    st.subheader(markdown_plain(customer.name))
    facts = [customer.phone, customer.email,
             f"{page.order_count} orders, {money(page.order_total)} in all"]  # fmt: skip
    st.caption(" · ".join(markdown_plain(fact) for fact in facts if fact))
    _render_edit(page)

    st.markdown("**Chats**")
    for chat in page.chats:
        label = (f"{markdown_plain(chat.channel_icon)} {markdown_plain(chat.channel_name)} · "
                 f"{markdown_plain(chat.display_name)}"
                 f"{' @' + markdown_plain(chat.handle) if chat.handle else ''} · "
                 f"{chat.state.value} · {list_time(chat.last_message_at, zone, now)}")  # fmt: skip
        if chat.badge:
            label += f" · :red-badge[{chat.badge}]"
        if st.button(label, key=f"customer-chat-{chat.chat_id}", type="tertiary"):
            st.session_state[state.OPEN_CHAT_ID] = chat.chat_id
            st.switch_page(page_registry.CHATS.path, query_params={"chat": str(chat.chat_id)})

    st.markdown("**Orders**")
    if not page.orders:
        st.caption("No orders yet.")
    else:
        table = pd.DataFrame(
            {
                "Order": [o.number for o in page.orders],
                "Date": [full_time(o.created_at, zone) for o in page.orders],
                "Status": [o.status.value for o in page.orders],
                "Lines": [
                    ", ".join(f"{line.quantity} × {line.name}" for line in o.lines)
                    for o in page.orders
                ],  # fmt: skip
                "Total": [float(o.total) for o in page.orders],
                "Manager": [o.manager_name or "" for o in page.orders],
            }
        )
        total = st.column_config.NumberColumn(format="%.2f")
        st.dataframe(table, hide_index=True, width="stretch", column_config={"Total": total})

    st.markdown("**Notes**")
    if not page.notes:
        st.caption("No notes.")
    for note in page.notes:
        st.html(
            f'<div class="note">{html_plain(note.text)}<div class="meta">'
            f"{html_plain(note.author_name)} · {full_time(note.created_at, zone)}</div></div>"
        )
