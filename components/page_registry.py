"""Every page, and who may open it. The menu is built from here, and each page guards itself
with the same rule, so a page left out of someone's menu is refused by URL too."""

from dataclasses import dataclass

import streamlit as st

from components import session, state
from inbox.models import User

NOT_ALLOWED = "This page is not open to you. Ask an administrator if you need it."


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    admins_only: bool = False
    needs_a_channel: bool = False  # a user who sees no channel has nothing to do here

    def allows(self, user: User, sees_a_channel: bool) -> bool:
        if self.admins_only and not user.is_admin:
            return False
        return sees_a_channel or not self.needs_a_channel


CHATS = PageSpec("pages/chats.py", "Chats", "💬", needs_a_channel=True)
CUSTOMERS = PageSpec("pages/customers.py", "Customers", "👥", needs_a_channel=True)
ORDERS = PageSpec("pages/orders.py", "Orders", "🧾", needs_a_channel=True)
REPORTS = PageSpec("pages/reports.py", "Reports", "📊", needs_a_channel=True)
WELCOME = PageSpec("pages/no_access.py", "Welcome", "👋")
SETTINGS = PageSpec("pages/settings.py", "Settings", "⚙️", admins_only=True)
MENU = (CHATS, CUSTOMERS, ORDERS, REPORTS, SETTINGS)


def allowed(user: User) -> list[PageSpec]:
    """The pages this user may open, in menu order; the welcome page first for a user who
    sees no channel."""
    sees_a_channel = session.has_chats_page(user)  # one read for the whole menu
    found = [spec for spec in MENU if spec.allows(user, sees_a_channel)]
    if not any(spec.needs_a_channel for spec in found):
        found.insert(0, WELCOME)
    return found


def menu(user: User) -> list:
    """The menu's pages; the first one opens by default."""
    return [
        st.Page(spec.path, title=spec.title, icon=spec.icon, default=index == 0)
        for index, spec in enumerate(allowed(user))
    ]


def open_page(spec: PageSpec) -> User:
    """The start of every page: the logged-in user, allowed here, or the page stops."""
    state.init()
    user = session.require_user()
    if not spec.allows(user, spec.needs_a_channel and session.has_chats_page(user)):
        st.error(NOT_ALLOWED)
        st.stop()
    st.set_page_config(page_title=f"{spec.title} · Inbox")  # the live check counts in front
    return user
