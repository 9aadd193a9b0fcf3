"""The right column: the lead, turning them into a customer, their orders and notes."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, order_form, session, state
from components.callbacks import callback
from components.formatting import (
    full_time,
    html_plain,
    initials,
    markdown_plain,
    money,
    shorten,
)
from inbox.errors import InboxError
from inbox.models import CustomerCard, CustomerInput, User, is_our_file
from inbox.services import leads, reads


@callback
def _rename(chat_id: int, key: str, drawn: str) -> None:
    name = st.session_state[key]
    actions.change(
        f"lead-name-{chat_id}",
        lambda: leads.rename_lead(session.store(), actions.actor(), chat_id, name, drawn=drawn),
        "Renamed",
    )


def _new_customer_key(chat_id: int, field: str) -> str:
    return state.group_key(f"new-customer-{chat_id}", field)


@callback
def _save_new(chat_id: int, name_key: str) -> None:
    details = {
        f: st.session_state.get(_new_customer_key(chat_id, f), "") for f in ("phone", "email")
    }
    details["name"] = st.session_state.get(name_key, "")
    actions.run(
        lambda: leads.save_as_customer(
            session.store(), actions.actor(), chat_id, CustomerInput(**details)
        ),
        "Saved as a customer",
    )


@callback
def _link(chat_id: int, customer_id: int) -> None:
    actions.run(
        lambda: leads.link_to_customer(session.store(), actions.actor(), chat_id, customer_id),
        "Linked to the customer",
    )


def _note_name(chat_id: int) -> str:
    return f"note-{chat_id}"


@callback
def _add_note(chat_id: int, key: str) -> None:
    if key != state.stored_key(_note_name(chat_id)):
        return  # a second press from a page drawn before the note was stored
    text = st.session_state.get(key, "")
    if actions.run(
        lambda: leads.add_note(session.store(), actions.actor(), chat_id, text), "Note added"
    ):
        state.renew(_note_name(chat_id), forget=True)  # emptied only once it is stored


def _render_lead(card: CustomerCard) -> None:
    contact = card.contact
    face = (
        f'<img class="lead-photo" src="{contact.avatar_url}" alt="Photo">'
        if is_our_file(contact.avatar_url)
        else '<div style="width:44px;height:44px;border-radius:50%;background:#e5e7eb;'
        'display:flex;align-items:center;justify-content:center;font-weight:600">'
        f"{html_plain(initials(contact.display_name))}</div>"
    )
    st.html(
        f'<div style="display:flex;gap:10px;align-items:center">{face}'
        f'<div class="card-line">{"Customer" if card.customer else "Lead"}'
        f"{' · @' + html_plain(contact.handle) if contact.handle else ''}</div></div>"
    )
    if card.visitor_page is not None:  # the visitor's browser named it: plain text only
        page = card.visitor_page
        title = html_plain(shorten(page.title, 80)) if page.title else ""
        st.html(
            f'<p class="card-line">On the page: {title}{" · " if title else ""}'
            f'<span class="card-url">{html_plain(shorten(page.url, 200))}</span></p>'
        )
    name = contact.display_name
    key = state.stored_key(f"lead-name-{card.chat_id}", name)
    st.text_input(
        "Name (edit and press Enter to rename)",
        value=name,
        key=key,
        on_change=_rename,
        args=(card.chat_id, key, name),
        max_chars=200,
    )


def _render_customer(card: CustomerCard) -> None:
    customer = card.customer
    contacts = " · ".join(html_plain(v) for v in (customer.phone, customer.email) if v)
    st.html(
        f'<p class="card-line"><b>{html_plain(customer.name)}</b></p>'
        f'<p class="card-line">{contacts or "no phone or email yet"}</p>'
    )
    if card.order_count:
        count, total = st.columns(2)
        count.metric("Orders", card.order_count)
        total.metric("Total", money(card.order_total))
    st.button(
        "Add order",
        key=f"add-order-{card.chat_id}",
        on_click=order_form.open_form,
        args=(card.chat_id, None),
        type="primary",
        width="stretch",
    )
    st.markdown("**Active orders**")
    if not card.active_orders:
        st.caption("No active orders.")
    for order in card.active_orders:
        st.button(
            f"{order.number} · {order.status.value} · {money(order.total)}",
            key=f"open-order-{order.id}",
            on_click=order_form.open_form,
            args=(card.chat_id, order.id),
            width="stretch",
        )


def _render_save(card: CustomerCard, user: User) -> None:
    chat_id = card.chat_id
    with st.expander("Save as customer", expanded=False):
        new, existing = st.tabs(["New", "Existing"])
        with new:
            name = card.contact.display_name  # the box follows a rename
            name_key = state.stored_key(f"new-customer-name-{chat_id}", name)
            st.text_input("Name", value=name, key=name_key)
            st.text_input("Phone", key=_new_customer_key(chat_id, "phone"))
            st.text_input("Email", key=_new_customer_key(chat_id, "email"))
            st.button("Save customer", key=f"save-customer-{chat_id}", on_click=_save_new,
                      args=(chat_id, name_key))  # fmt: skip
        with existing:
            query = st.text_input(
                "Find by name, phone or email",
                key=f"find-customer-{chat_id}",
                max_chars=200,
                help=reads.LINK_SEARCH_HELP,
            )
            if query.strip():
                _render_link_candidates(chat_id, user, query)


def _render_link_candidates(chat_id: int, user: User, query: str) -> None:
    try:
        candidates = reads.find_customers_to_link(session.store(), user, query)
    except InboxError as error:
        st.caption(str(error))
        return
    if not candidates.found:
        st.caption("Nobody found.")
    for customer in candidates.found:
        details = " · ".join(v for v in (customer.phone, customer.email) if v)
        st.button(
            f"Link to {markdown_plain(customer.name)}"
            + (f" · {markdown_plain(details)}" if details else ""),
            key=f"link-{chat_id}-{customer.id}",
            on_click=_link,
            args=(chat_id, customer.id),
            help="Contacts are hidden until you link: this customer wrote only in channels "
            "you cannot see."
            if customer.masked
            else None,
        )
    if candidates.has_more:
        st.caption("More customers match: type more of the name.")


def _render_notes(card: CustomerCard, zone: ZoneInfo) -> None:
    st.markdown("**Notes**")
    for note in card.notes:
        st.html(
            f'<div class="note">{html_plain(note.text)}<div class="meta">'
            f"{html_plain(note.author_name)} · {full_time(note.created_at, zone)}</div></div>"
        )
    key = state.stored_key(_note_name(card.chat_id))
    st.text_area(
        "New note", key=key, height=70, placeholder="Only staff see notes", persist_state="session"
    )
    st.button("Add note", key=f"add-note-{card.chat_id}", on_click=_add_note,
              args=(card.chat_id, key))  # fmt: skip


def render_card(card: CustomerCard, user: User, zone: ZoneInfo) -> None:
    with st.container(height=680, border=False, key="customer-card"):
        _render_lead(card)
        if card.customer is not None:
            _render_customer(card)
        else:
            _render_save(card, user)
        st.divider()
        _render_notes(card, zone)
