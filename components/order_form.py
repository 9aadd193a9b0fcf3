"""The order form (SPEC L3): a dialog that stays open while the page refreshes itself.

The open form is a session-state flag, not the return value of a button, because every
automatic refresh reruns the page and a dialog opened only by a button click would close.
"""

import streamlit as st

from components import actions, order_lines, session, state
from components.callbacks import callback, uninterrupted
from components.formatting import cents, money
from inbox.errors import ChangedMeanwhile, InboxError
from inbox.models import OrderDraft, OrderStatus, Product, order_total
from inbox.services import orders, reads

DELIVERY_METHODS = ["Courier", "Post", "Pickup"]
PAYMENT_METHODS = ["Card", "Cash on delivery", "Bank transfer"]


FORM = "order-form"  # the form's boxes, drawn afresh together (state.renew)


def _key(field: str) -> str:
    return state.group_key(FORM, field)


def _lines_of(draft: OrderDraft, labels: dict[int, str]) -> list[dict]:
    return [
        order_lines.line(
            labels.get(line.product_id, order_lines.FREE_LINE),
            line.name,
            line.quantity,
            float(line.price),
        )
        for line in draft.lines
    ]


def _show(draft: OrderDraft | None, keep: dict | None = None) -> None:
    """Fill the form's boxes from `draft` (blank for a new order), except the fields in `keep`,
    which hold what the manager typed. The boxes are drawn afresh: never set in place."""
    keep = keep or {}
    labels = {p.id: order_lines.product_label(p) for p in reads.catalogue(session.store())}
    if "lines" not in keep:
        order_lines.set_lines(_lines_of(draft, labels) if draft else [order_lines.line()])
    state.renew(FORM)
    values = {
        "status": (draft.status if draft else OrderStatus.NEW).value,
        "delivery_method": draft.delivery_method if draft else DELIVERY_METHODS[0],
        "delivery_address": draft.delivery_address if draft else "",
        "delivery_cost": float(draft.delivery_cost) if draft else 0.0,
        "payment_method": draft.payment_method if draft else PAYMENT_METHODS[0],
        "paid": draft.paid if draft else False,
        "comment": draft.comment if draft else "",
    }
    for field, value in values.items():
        st.session_state[_key(field)] = keep.get(field, value)


@callback
def open_form(chat_id: int | None, order_id: int | None, page: str = "chats") -> None:
    """Fill the form from the order (or with a blank line) and open it on this page. The order
    as it is now is kept with the form: saving writes only what the manager changed."""
    drawn: OrderDraft | None = None
    if order_id is not None:
        try:
            drawn = OrderDraft.of(reads.get_order(session.store(), actions.actor(), order_id))
        except InboxError as error:  # the order vanished or is out of reach
            st.toast(str(error), icon="⚠️")
            return
    _show(drawn)
    st.session_state[state.ORDER_FORM] = {
        "chat_id": chat_id, "order_id": order_id, "page": page, "drawn": drawn, "notice": None,
    }  # fmt: skip


def close_form() -> None:
    st.session_state[state.ORDER_FORM] = None


def draft_from_form(products: dict[str, Product]) -> OrderDraft:
    """What the form says, as the service's input."""
    values = st.session_state
    return OrderDraft(
        lines=order_lines.draft_lines(values[state.ORDER_LINES], products),
        status=OrderStatus(values[_key("status")]),
        delivery_method=values[_key("delivery_method")],
        delivery_address=values[_key("delivery_address")],
        delivery_cost=cents(values[_key("delivery_cost")]),
        payment_method=values[_key("payment_method")],
        paid=values[_key("paid")],
        comment=values[_key("comment")],
    )


def _show_what_is_stored(form: dict, draft: OrderDraft, problem: ChangedMeanwhile) -> None:
    """Someone else changed a field the manager changed too: the form now shows the order as
    stored in those fields, keeps the manager's other changes, and says so."""
    stored = OrderDraft.of(reads.get_order(session.store(), actions.actor(), form["order_id"]))
    drawn, mine = form["drawn"].fields(), draft.fields()
    keep = {f: v for f, v in mine.items() if stored.fields()[f] == drawn[f]}
    raw = {f: st.session_state[_key(f)] for f in keep if f != "lines"}  # as typed, untrimmed
    _show(stored, {**keep, **raw})
    form.update(drawn=stored, notice=str(problem))


def _save(products: dict[str, Product]) -> bool:
    form = st.session_state[state.ORDER_FORM]
    form["notice"] = None

    def save():
        store, user = session.store(), actions.actor()
        draft = draft_from_form(products)
        if form["order_id"] is None:
            return orders.create_order(store, user, form["chat_id"], draft)
        try:
            return orders.update_order(store, user, form["order_id"], draft, drawn=form["drawn"])
        except ChangedMeanwhile as problem:
            _show_what_is_stored(form, draft, problem)
            raise

    done = "Order created" if form["order_id"] is None else "Order saved"
    with uninterrupted():  # run from the dialog's script: stopped midway, it would save twice
        if actions.run(save, done):
            close_form()
            return True
        return False


def _choices(known: list[str], field: str) -> list[str]:
    """The usual choices, and the order's own when it is another (an order stored before)."""
    value = st.session_state[_key(field)]
    return known if value in known else [*known, value]


# Not dismissible: Escape (which also ends a cell edit in the lines table) or a click beside it
# would throw the unsaved form away; Cancel closes it.
@st.dialog("Order", width="large", dismissible=False)
def _dialog(title: str) -> None:
    products = {order_lines.product_label(p): p for p in reads.catalogue(session.store())}
    st.subheader(title, anchor=False)
    notice = st.session_state[state.ORDER_FORM].get("notice")
    if notice:
        st.warning(notice)
    lines = order_lines.table(products)

    delivery, address, cost = st.columns([1.2, 3, 1.2])
    delivery.selectbox("Delivery", _choices(DELIVERY_METHODS, "delivery_method"),
                       key=_key("delivery_method"))  # fmt: skip
    address.text_input("Delivery address", key=_key("delivery_address"), max_chars=1000)
    cost.number_input(
        "Delivery cost", min_value=0.0, step=0.5, format="%.2f", key=_key("delivery_cost")
    )
    payment, paid, status = st.columns([1.5, 1, 1.5], vertical_alignment="bottom")
    payment.selectbox("Payment", _choices(PAYMENT_METHODS, "payment_method"),
                      key=_key("payment_method"))  # fmt: skip
    paid.checkbox("Paid", key=_key("paid"))
    status.selectbox("Status", [s.value for s in OrderStatus], key=_key("status"))
    st.text_area("Comment", key=_key("comment"), height=70, max_chars=5000)
    amounts = [order_lines.amount(row) for row in lines]
    total = order_total(amounts, cents(st.session_state[_key("delivery_cost")]))
    st.markdown(f"### Total: {money(total)}")
    save, cancel = st.columns([1, 1])
    # Not callbacks: a dialog is a fragment, and only a rerun of the whole page closes it (or
    # draws it afresh, showing what someone else changed meanwhile).
    if save.button("Save order", type="primary", key="order-save") and (
        _save(products) or st.session_state[state.ORDER_FORM].get("notice")
    ):
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
