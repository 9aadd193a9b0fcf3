"""The Customers page through AppTest (SPEC P1)."""

from streamlit.testing.v1 import AppTest

from components import page_registry
from tests.ui.conftest import open_page, texts, widget


def open_customers(user, customer_id=None) -> AppTest:
    query = {"customer": str(customer_id)} if customer_id is not None else None
    return open_page("customers", user, query=query)


def plain(at) -> str:
    """What the page shows as text and as our own HTML, without Markdown escapes."""
    html = [str(h.proto.body) for h in at.get("html")]
    return "\n".join(texts(at) + html).replace("\\", "")


def test_the_shop_pages_are_in_the_menu_of_whoever_sees_a_channel(shop):
    def titles(user):
        return [spec.title for spec in page_registry.allowed(user)]

    assert titles(shop.boris) == ["Chats", "Customers", "Orders", "Reports"]
    assert titles(shop.olga) == ["Chats", "Customers", "Orders", "Reports", "Settings"]
    assert titles(shop.clara) == ["Welcome"]
    clara = open_customers(shop.clara)
    assert [e.value for e in clara.error] == [page_registry.NOT_ALLOWED]


def test_the_list_shows_totals_and_search_narrows_it(shop):
    at = open_customers(shop.anna)
    shown = plain(at)
    assert "Maria Keller" in shown and "Ivo Horvat" in shown and "42.50" in shown
    at.text_input(key="customer_search").input("kell").run()
    shown = plain(at)
    assert "Maria Keller" in shown and "Ivo Horvat" not in shown
    at.selectbox(key="customer_sort").set_value("Total sum").run()
    assert at.text_input(key="customer_search").value == "kell", "the search stays"


def test_opening_a_customer_shows_their_chats_orders_and_notes_and_back(shop):
    at = open_customers(shop.anna)
    at.button(key=f"customer-{shop.maria.id}").click().run()
    assert at.query_params["customer"] == str(shop.maria.id), "the address names the customer"
    shown = plain(at)
    assert "2 orders, 42.50 in all" in shown and "Prefers blue" in shown
    assert at.button(key=f"customer-chat-{shop.tg_chat}") is not None
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 3
    at.button(key="back-to-customers").click().run()
    assert "Ivo Horvat" in plain(at)


def test_a_customer_out_of_reach_is_refused_by_link(shop):
    at = open_customers(shop.clara, shop.maria.id)
    assert [e.value for e in at.error] == [page_registry.NOT_ALLOWED]
    boris = open_customers(shop.boris, shop.maria.id)
    assert "Website chat" not in plain(boris), "only what came through his channels"
    ivo_id = shop.maria.id + 1
    refused = open_customers(shop.boris, ivo_id)
    assert [e.value for e in refused.error] == [
        "This customer does not exist or never wrote in your channels."
    ]
    assert "Ivo" not in plain(refused)


def test_contacts_are_edited_in_place(shop):
    at = open_customers(shop.anna, shop.maria.id)
    widget(at.text_input, f"customer-phone-{shop.maria.id}").input("+351 900 000 000")
    at.button(key=f"save-customer-{shop.maria.id}").click().run()
    assert "+351 900 000 000" in plain(at)
    assert any("Customer saved" in t.value for t in at.toast)
