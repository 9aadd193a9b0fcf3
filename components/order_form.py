"""The order form (SPEC L3): a dialog that stays open while the page refreshes itself.

The open form is a session-state flag, not the return value of a button, because every
automatic refresh reruns the page and a dialog opened only by a button click would close.
"""

import streamlit as st

from components import actions, order_lines, session, state
from components.formatting import cents, money
from inbox.errors import InboxError
from inbox.models import Order, OrderDraft, OrderStatus, Product, order_total
from inbox.services import orders, reads

DELIVERY_METHODS = ["Courier", "Post", "Pickup"]
PAYMENT_METHODS = ["Card", "Cash on delivery", "Bank transfer"]


def open_form(chat_id: int | None, order_id: int | None, page: str = "chats") -> None:
    """Fill the form from the order (or with a blank line) and open it on this page."""
    order: Order | None = None
    if order_id is not None:
        try:
            order = reads.get_order(session.store(), actions.actor(), order_id)
        except InboxError as error:  # the order vanished or is out of reach
            st.toast(str(error), icon="⚠️")
            return
    labels = {p.id: order_lines.product_label(p) for p in reads.catalogue(session.store())}
    lines = [
        order_lines.line(
            labels.get(line.product_id, order_lines.FREE_LINE),
            line.name,
            line.quantity,
            float(line.price),
        )
        for line in (order.lines if order else [])
    ]
    order_lines.set_lines(lines or [order_lines.line()])
    values = st.session_state
    values["order-status"] = (order.status if order else OrderStatus.NEW).value
    values["order-delivery"] = order.delivery_method if order else DELIVERY_METHODS[0]
    values["order-address"] = order.delivery_address if order else ""
    values["order-delivery-cost"] = float(order.delivery_cost) if order else 0.0
    values["order-payment"] = order.payment_method if order else PAYMENT_METHODS[0]
    values["order-paid"] = order.paid if order else False
    values["order-comment"] = order.comment if order else ""
    values[state.ORDER_FORM] = {"chat_id": chat_id, "order_id": order_id, "page": page}


def close_form() -> None:
    st.session_state[state.ORDER_FORM] = None


def draft_from_form(products: dict[str, Product]) -> OrderDraft:
    """What the form says, as the service's input."""
    values = st.session_state
    return OrderDraft(
        lines=order_lines.draft_lines(values[state.ORDER_LINES], products),
        status=OrderStatus(values["order-status"]),
        delivery_method=values["order-delivery"],
        delivery_address=values["order-address"],
        delivery_cost=cents(values["order-delivery-cost"]),
        payment_method=values["order-payment"],
        paid=values["order-paid"],
        comment=values["order-comment"],
    )


def _save(products: dict[str, Product]) -> bool:
    form = st.session_state[state.ORDER_FORM]

    def save():
        store, user = session.store(), actions.actor()
        draft = draft_from_form(products)
        if form["order_id"] is None:
            return orders.create_order(store, user, form["chat_id"], draft)
        return orders.update_order(store, user, form["order_id"], draft)

    done = "Order created" if form["order_id"] is None else "Order saved"
    if actions.run(save, done):
        close_form()
        return True
    return False


# Not dismissible: Escape (which also ends a cell edit in the lines table) or a click beside it
# would throw the unsaved form away; Cancel closes it.
@st.dialog("Order", width="large", dismissible=False)
def _dialog(title: str) -> None:
    products = {order_lines.product_label(p): p for p in reads.catalogue(session.store())}
    st.subheader(title, anchor=False)
    lines = order_lines.table(products)

    delivery, address, cost = st.columns([1.2, 3, 1.2])
    delivery.selectbox("Delivery", DELIVERY_METHODS, key="order-delivery")
    address.text_input("Delivery address", key="order-address", max_chars=1000)
    cost.number_input(
        "Delivery cost", min_value=0.0, step=0.5, format="%.2f", key="order-delivery-cost"
    )
    payment, paid, status = st.columns([1.5, 1, 1.5], vertical_alignment="bottom")
    payment.selectbox("Payment", PAYMENT_METHODS, key="order-payment")
    paid.checkbox("Paid", key="order-paid")
    status.selectbox("Status", [s.value for s in OrderStatus], key="order-status")
    st.text_area("Comment", key="order-comment", height=70, max_chars=5000)
    amounts = [order_lines.amount(row) for row in lines]
    total = order_total(amounts, cents(st.session_state["order-delivery-cost"]))
    st.markdown(f"### Total: {money(total)}")
    save, cancel = st.columns([1, 1])
    # Not callbacks: a dialog is a fragment, and only a rerun of the whole page closes it.
    if save.button("Save order", type="primary", key="order-save") and _save(products):
        st.rerun()
    if cancel.button("Cancel", key="order-cancel"):
        close_form()
        st.rerun()


def render_if_open(chat_id: int | None, page: str = "chats") -> None:
    """Show the form when it is open on this page (for this chat, on the Chats page); call on
    every run of the page."""
    form = st.session_state[state.ORDER_FORM]
    if form is None or form.get("page", "chats") != page:
        return
    if page == "chats" and form["chat_id"] != chat_id:
        return
    _dialog("New order" if form["order_id"] is None else f"Order #{form['order_id']}")
