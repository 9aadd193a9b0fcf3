"""Orders taken in a chat, and changes to them."""

from datetime import datetime
from typing import Any

from inbox.errors import InvalidInput, NotFound
from inbox.models import (
    Order,
    OrderDraft,
    OrderLine,
    OrderLineInput,
    OrderList,
    OrderQuery,
    SystemEvent,
    User,
    order_total,
)
from inbox.services.common import (
    ORDER_NOT_FOUND,
    UNCHECKED,
    merge_fields,
    now_or_utc,
    record_event,
    require_chat,
)
from inbox.store import Cursor, Store, orders, products


def list_orders(store: Store, user: User, query: OrderQuery) -> OrderList:
    """The Orders page: orders in the user's reach that match the filters, newest first."""
    with store.read() as cur:
        return orders.list_for(cur, user.id, query)


def _resolve_line(cur: Cursor, line: OrderLineInput) -> OrderLine:
    """A catalogue line takes the product's name and price unless the manager typed others."""
    if line.product_id is not None:
        product = products.get(cur, line.product_id)
        if product is None:
            raise InvalidInput("A line names a product that is not in the catalogue.")
        name = line.name or product.name
        price = line.price if line.price is not None else product.price
    else:
        if not line.name:
            raise InvalidInput("A free line needs a name.")
        if line.price is None:
            raise InvalidInput(f"The line “{line.name}” needs a price.")
        name, price = line.name, line.price
    return OrderLine(product_id=line.product_id, name=name, quantity=line.quantity, price=price)


def _values(draft: OrderDraft, lines: list[OrderLine]) -> dict[str, Any]:
    """The order row's fields (models.ORDER_FIELDS) from the draft: text trimmed, the total
    computed."""
    values = draft.model_dump(exclude={"lines"})
    for name in ("delivery_method", "delivery_address", "payment_method", "comment"):
        values[name] = values[name].strip()
    values["status"] = draft.status.value
    values["total"] = order_total((line.amount for line in lines), draft.delivery_cost)
    return values


def create_order(
    store: Store, actor: User, chat_id: int, draft: OrderDraft, now: datetime | None = None
) -> Order:
    """Take an order in a chat whose lead has been saved as a customer."""
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        if chat.customer_id is None:
            raise InvalidInput("Save the lead as a customer before taking an order.")
        lines = [_resolve_line(cur, line) for line in draft.lines]
        values = _values(draft, lines)
        order_id = orders.insert(cur, chat.customer_id, chat_id, actor.id, values, now)
        orders.replace_lines(cur, order_id, lines)
        record_event(
            cur,
            chat_id,
            SystemEvent.ORDER_CREATED,
            f"{actor.name} created order #{order_id}, total {values['total']}.",
            now,
            actor,
        )
        return orders.get(cur, order_id)


def _describe_changes(before: Order, after: dict[str, Any], lines: list[OrderLine]) -> list[str]:
    changes = []
    if before.status.value != after["status"]:
        changes.append(f"status {before.status.value} → {after['status']}")
    if before.total != after["total"]:
        changes.append(f"total {before.total} → {after['total']}")
    if before.lines != lines:
        changes.append("items")
    for field in ("delivery_method", "delivery_address", "payment_method", "comment"):
        if getattr(before, field) != after[field]:
            changes.append(field.replace("_", " "))
    if before.delivery_cost != after["delivery_cost"] and before.total == after["total"]:
        changes.append("delivery cost")
    if before.paid != after["paid"]:
        changes.append("paid" if after["paid"] else "not paid")
    return changes


def describe_field(field: str, value: Any) -> str:
    """One field of the order form as a person reads it, in a "changed meanwhile" message."""
    if field == "lines":
        return "other items"
    if field == "status":
        return f"status {value.value}"
    if field == "paid":
        return "paid" if value else "not paid"
    if field == "delivery_cost":
        return f"delivery cost {value}"
    return f"{field.replace('_', ' ')} “{value}”"


def update_order(
    store: Store,
    actor: User,
    order_id: int,
    draft: OrderDraft,
    now: datetime | None = None,
    *,
    drawn: OrderDraft = UNCHECKED,
) -> Order:
    """Change an order; the chat it was taken in records what changed. `drawn` is the order as
    the form showed it: only the fields the manager changed are written, so another manager's
    change to other fields stays, and a change to the same field since is refused."""
    now = now_or_utc(now)
    with store.write() as cur:
        before = orders.get(cur, order_id)
        if before is None or not orders.in_reach(cur, actor.id, order_id):
            raise NotFound(ORDER_NOT_FOUND)
        stored = OrderDraft.of(before)
        changed = merge_fields(
            drawn if drawn is UNCHECKED else drawn.fields(),
            draft.fields(),
            stored.fields(),
            describe_field,
        )
        if not changed:
            return before
        merged = stored.model_copy(update=changed)
        lines = [_resolve_line(cur, line) for line in merged.lines]
        values = _values(merged, lines)
        changes = _describe_changes(before, values, lines)
        if not changes:
            return before
        orders.update(cur, order_id, values, now)
        orders.replace_lines(cur, order_id, lines)
        if before.chat_id is not None:
            record_event(
                cur,
                before.chat_id,
                SystemEvent.ORDER_CHANGED,
                f"{actor.name} changed order #{order_id}: {', '.join(changes)}.",
                now,
                actor,
            )
        return orders.get(cur, order_id)
