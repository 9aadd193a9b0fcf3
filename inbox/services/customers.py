"""The Customers page (SPEC P1): who the shop's customers are, where they write, what they
bought. A manager sees the customers who wrote in one of their channels."""

from inbox.errors import NotFound
from inbox.models import (
    CustomerInput,
    CustomerList,
    CustomerPage,
    CustomerQuery,
    CustomerRow,
    User,
)
from inbox.services.common import UNCHECKED, merge_fields, require_text
from inbox.store import Store, contacts, customers, orders

CUSTOMER_NOT_FOUND = "This customer does not exist or never wrote in your channels."
EXPORT_LIMIT = 100_000


def list_customers(store: Store, user: User, query: CustomerQuery) -> CustomerList:
    with store.read() as cur:
        rows = customers.list_for(cur, user.id, query.model_copy(update={"limit": query.limit + 1}))
    return CustomerList(rows=rows[: query.limit], has_more=len(rows) > query.limit)


def export_customers(store: Store, user: User, query: CustomerQuery) -> list[CustomerRow]:
    """Every customer the query finds, for a CSV file, up to EXPORT_LIMIT."""
    with store.read() as cur:
        return customers.list_for(cur, user.id, query.model_copy(update={"limit": EXPORT_LIMIT}))


def customer_page(store: Store, user: User, customer_id: int) -> CustomerPage:
    with store.read() as cur:
        customer = customers.visible(cur, user.id, customer_id)
        if customer is None:
            raise NotFound(CUSTOMER_NOT_FOUND)
        chats = customers.chats_of(cur, user.id, customer_id)
        count, total = customers.order_totals(cur, customer_id)
        return CustomerPage(
            customer=customer,
            chats=chats,
            orders=orders.of_customer_in_reach(cur, customer_id, [c.chat_id for c in chats]),
            notes=contacts.notes_of(cur, [c.contact_id for c in chats]),
            order_count=count,
            order_total=total,
        )


def _contacts(customer) -> dict[str, str]:
    return {"name": customer.name, "phone": customer.phone or "", "email": customer.email or ""}


def update_customer(
    store: Store,
    actor: User,
    customer_id: int,
    details: CustomerInput,
    *,
    drawn: CustomerInput = UNCHECKED,
) -> None:
    """Edit a customer's name, phone and email; the chat list shows the new name. `drawn` is
    what the form showed: the fields the manager changed are written, the others stay as they
    are stored now."""
    require_text(details.name, "The name", 200)
    with store.write() as cur:
        customer = customers.visible(cur, actor.id, customer_id)
        if customer is None:
            raise NotFound(CUSTOMER_NOT_FOUND)
        stored = _contacts(customer)
        changed = merge_fields(
            drawn if drawn is UNCHECKED else drawn.model_dump(),
            details.model_dump(),
            stored,
            lambda field, value: f"{field} “{value}”" if value else f"no {field}",
        )
        if changed:
            new = {**stored, **changed}
            customers.update(
                cur, customer_id, new["name"], new["phone"] or None, new["email"] or None
            )
