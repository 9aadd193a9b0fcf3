"""The product catalogue (SPEC L3, P2): kept by the team, never rewriting orders taken."""

from decimal import Decimal

import pytest

from inbox.errors import InvalidInput
from inbox.models import CustomerInput, OrderDraft, OrderLineInput
from inbox.services import catalogue, leads, orders, reads


def test_a_product_is_added_changed_and_archived_and_orders_keep_their_lines(world):
    scarf = catalogue.add_product(world.store, world.anna, "Scarf", Decimal("30"), " SC-1 ")
    assert (scarf.sku, scarf.price) == ("SC-1", Decimal("30.00"))
    chat = world.customer_writes("a scarf please").chat_id
    leads.save_as_customer(world.store, world.anna, chat, CustomerInput(name="Maria"))
    order = orders.create_order(
        world.store, world.anna, chat, OrderDraft(lines=[OrderLineInput(product_id=scarf.id)])
    )

    catalogue.update_product(
        world.store, world.boris, scarf.id, "Wool scarf", Decimal("35"), "SC-1"
    )
    assert [(p.name, p.price) for p in reads.catalogue(world.store)] == [
        ("Wool scarf", Decimal("35.00"))
    ]
    catalogue.set_archived(world.store, world.anna, scarf.id, True)
    assert reads.catalogue(world.store) == [], "no longer offered"
    assert [p.active for p in catalogue.everything(world.store)] == [False]
    kept = reads.get_order(world.store, world.anna, order.id)
    assert [(line.name, line.price) for line in kept.lines] == [("Scarf", Decimal("30.00"))]
    catalogue.set_archived(world.store, world.anna, scarf.id, False)
    assert len(reads.catalogue(world.store)) == 1


def test_a_sku_is_one_products_and_a_price_is_not_negative(world):
    catalogue.add_product(world.store, world.anna, "Scarf", Decimal("30"), "SC-1")
    socks = catalogue.add_product(world.store, world.anna, "Socks", Decimal("10"))
    with pytest.raises(InvalidInput, match="belongs to “Scarf”"):
        catalogue.add_product(world.store, world.anna, "Other", Decimal("1"), "SC-1")
    with pytest.raises(InvalidInput, match="belongs to “Scarf”"):
        catalogue.update_product(world.store, world.anna, socks.id, "Socks", Decimal("10"), "SC-1")
    with pytest.raises(InvalidInput, match="negative"):
        catalogue.update_product(world.store, world.anna, socks.id, "Socks", Decimal("-1"), None)
    with pytest.raises(InvalidInput):
        catalogue.add_product(world.store, world.anna, "  ", Decimal("1"))
