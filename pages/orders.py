"""The Orders page (SPEC P2): every order in reach, filtered, with totals; open one to edit."""

import streamlit as st

from components import order_form, orders_view, page_registry, session, styles
from components.formatting import viewer_zone
from inbox.clock import utc_now
from inbox.services import orders, reads

user = page_registry.open_page(page_registry.ORDERS)
store, zone, now = session.store(), viewer_zone(st.context.timezone), utc_now()
styles.inject()
st.title("Orders")
people = reads.assignable_in_any_channel(store, user)
channels = reads.visible_channels(store, user)
orders_view.render_filters(people, channels)
found = orders.list_orders(store, user, orders_view.current_query(people, channels, zone, now))
orders_view.render_list(found, zone)
order_form.render_if_open(None, page="orders")
