"""The Customers page (SPEC P1): a searchable, sortable list; a customer's chats, orders, notes."""

import streamlit as st

from components import customers_view, page_registry, session, state, styles
from components.formatting import viewer_zone
from inbox.clock import utc_now
from inbox.errors import NotFound
from inbox.services import customers

user = page_registry.open_page(page_registry.CUSTOMERS)
store, zone, now = session.store(), viewer_zone(st.context.timezone), utc_now()
styles.inject()
customers_view.follow_link()
st.title("Customers")

customer_id = st.session_state[state.OPEN_CUSTOMER_ID]
if customer_id is not None:
    try:
        customers_view.render_customer(customers.customer_page(store, user, customer_id), zone, now)
    except NotFound as error:
        st.error(str(error))
        st.button("« All customers", key="back-to-customers", on_click=customers_view.open_customer,
                  args=(None,))  # fmt: skip
else:
    customers_view.render_filters()
    found = customers.list_customers(store, user, customers_view.current_query())
    customers_view.render_list(found, user, zone, now)
