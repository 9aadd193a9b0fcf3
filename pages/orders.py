"""The Orders page (SPEC P2): every order in reach, filtered, with totals; open one to edit.
And the product catalogue the order form offers."""

import streamlit as st

from components import catalogue_view, order_form, orders_view, page_registry, session, styles
from components.formatting import viewer_zone
from inbox.clock import utc_now
from inbox.services import catalogue, orders, reads

user = page_registry.open_page(page_registry.ORDERS)
store, zone, now = session.store(), viewer_zone(st.context.timezone), utc_now()
styles.inject()
st.title("Orders")
orders_tab, catalogue_tab = st.tabs(["Orders", "Catalogue"])
with orders_tab:
    people = reads.assignable_in_any_channel(store, user)
    channels = reads.visible_channels(store, user)
    orders_view.render_filters(people, channels)
    query = orders_view.current_query(people, channels, zone, now)
    orders_view.render_list(orders.list_orders(store, user, query), zone)
with catalogue_tab:
    catalogue_view.render(catalogue.everything(store))
order_form.render_if_open(None, page="orders")
