"""Quick replies in the reply box (SPEC M6): a picker, "/" and a few letters in the box, the
variables still without a value pointed out, and the team's list to change."""

import functools
import json
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from components import actions, session, state
from components.callbacks import callback
from components.formatting import full_time, html_plain, markdown_plain, shorten, viewer_zone
from inbox.models import QuickReply
from inbox.services import quick_replies

PICKER = "quick-pick"
NEW = "quick-new"
BOX = "reply-box"  # the container of the reply box, which "/" watches
HELP = (
    "Type / and a few letters in the reply box, or choose one here. Variables are filled from "
    "the chat when you insert it: " + ", ".join(f"{{{v}}}" for v in quick_replies.VARIABLES)
)


@functools.cache
def _slash():
    """Declared inside a script run (see live._checker)."""
    folder = Path(__file__).parent / "quick_reply_slash"
    return components.declare_component("quick_reply_slash", path=str(folder))


def filled(replies: list[QuickReply], values: dict[str, str | None]) -> dict[int, str]:
    return {reply.id: quick_replies.fill(reply.text, values) for reply in replies}


@callback
def _insert(chat_id: int, key: str, texts: dict[int, str], max_chars: int) -> None:
    """Add the chosen reply to the box. The box is drawn afresh with the new text: a box the
    browser knows is never given a value by the page (see state.stored_key)."""
    chosen = st.session_state.get(key)
    state.renew(PICKER)
    if chosen not in texts:
        return
    draft = st.session_state.get(state.draft_key(chat_id), "") or ""
    text = f"{draft.rstrip()}\n{texts[chosen]}" if draft.strip() else texts[chosen]
    if len(text) > max_chars:
        st.toast(f"That does not fit: a reply here takes at most {max_chars} characters.", icon="⚠️")
        return
    state.renew(state.draft_name(chat_id), forget=True)
    st.session_state[state.draft_key(chat_id)] = text


def render_picker(
    chat_id: int, replies: list[QuickReply], texts: dict[int, str], max_chars: int
) -> None:
    """Beside Send: choose a reply (type to find it), or open the list to change it. While the
    box holds a variable with no value, what to replace takes the picker's place."""
    titles = {reply.id: reply.title for reply in replies}
    pick, manage = st.columns([5, 1], gap="small", vertical_alignment="center")
    left = quick_replies.unfilled(st.session_state.get(state.draft_key(chat_id)) or "")
    if left:
        names = ", ".join(f"<mark>{{{html_plain(name)}}}</mark>" for name in left)
        them = "it" if len(left) == 1 else "them"
        pick.html(f'<div class="unfilled">⚠️ No value in this chat for {names}: '
                  f"replace {them} with your words to send.</div>")  # fmt: skip
    else:
        key = state.stored_key(PICKER, chat_id)
        pick.selectbox(
            "Quick reply", list(titles), index=None, format_func=titles.get, key=key,
            placeholder="⚡ Quick reply…" if titles else "⚡ No quick replies yet",
            label_visibility="collapsed", help=HELP, disabled=not titles,
            on_change=_insert, args=(chat_id, key, texts, max_chars),
        )  # fmt: skip
    manage.button(
        "✎", key=f"quick-manage-{chat_id}", help="Change the team's quick replies",
        on_click=_open_manager, width="stretch",
    )  # fmt: skip


def render_slash(replies: list[QuickReply], texts: dict[int, str]) -> None:
    """ "/" and a few letters in the reply box offer the replies whose title or text has them."""
    with st.container(key="quick-slash"):
        _slash()(
            box=f".st-key-{BOX} textarea",
            replies=json.dumps([{"title": r.title, "text": texts[r.id]} for r in replies]),
            key="quick-slash-check",
            default=None,
        )


# --- the team's list -------------------------------------------------------------------------


@callback
def _open_manager() -> None:
    st.session_state[state.QUICK_REPLIES_OPEN] = True


@callback
def _close_manager() -> None:
    st.session_state[state.QUICK_REPLIES_OPEN] = False


@callback
def _add() -> None:
    title, text = (st.session_state.get(state.group_key(NEW, f)) or "" for f in ("title", "text"))
    store = session.store()
    if actions.run(
        lambda: quick_replies.add(store, actions.actor(), title, text), "Quick reply added"
    ):
        state.renew(NEW)


def _edit_keys(reply: QuickReply) -> tuple[str, str]:
    drawn = (reply.title, reply.text)
    return (
        state.stored_key(f"quick-{reply.id}-title", drawn),
        state.stored_key(f"quick-{reply.id}-text", drawn),
    )


@callback
def _save(reply: QuickReply) -> None:
    title_key, text_key = _edit_keys(reply)
    title, text = st.session_state.get(title_key, ""), st.session_state.get(text_key, "")
    store = session.store()
    actions.change(
        f"quick-{reply.id}-title",
        lambda: quick_replies.edit(store, actions.actor(), reply.id, title, text, drawn=reply),
        "Quick reply saved",
    )


@callback
def _delete(reply: QuickReply) -> None:
    store = session.store()
    actions.run(
        lambda: quick_replies.delete(store, actions.actor(), reply.id, drawn=reply),
        "Quick reply deleted",
    )


@st.dialog("Quick replies", width="large", on_dismiss=_close_manager)
def _manager() -> None:
    st.caption(
        "Shared by the whole team. Variables are filled from the chat when a reply is "
        "inserted; one with no value stays in braces for the manager to replace: "
        + ", ".join(f"`{{{v}}}`" for v in quick_replies.VARIABLES)
    )
    with st.expander("➕ New quick reply", expanded=False):
        st.text_input("Title", key=state.group_key(NEW, "title"), max_chars=80)
        st.text_area("Text", key=state.group_key(NEW, "text"), max_chars=4000, height=100)
        st.button("Add", key=state.group_key(NEW, "add"), type="primary", on_click=_add)
    replies = quick_replies.list_all(session.store())  # what the list holds now
    if not replies:
        st.info("No quick replies yet: add the answers you type most often.")
    zone = viewer_zone(st.context.timezone)
    for reply in replies:
        label = f"{reply.title} · {shorten(reply.text, 70)}"
        with st.expander(markdown_plain(label)):
            title_key, text_key = _edit_keys(reply)
            st.text_input("Title", value=reply.title, key=title_key, max_chars=80)
            st.text_area("Text", value=reply.text, key=text_key, max_chars=4000, height=100)
            save, delete, who = st.columns([1, 1, 3], vertical_alignment="center")
            save.button("Save", key=f"quick-{reply.id}~save", type="primary", on_click=_save,
                        args=(reply,))  # fmt: skip
            delete.button("Delete", key=f"quick-{reply.id}~delete", on_click=_delete, args=(reply,))
            who.caption(
                f"Changed by {markdown_plain(reply.changed_by_name or '—')}, "
                f"{full_time(reply.changed_at, zone)}"
            )
    if st.button("Done", key="quick-done"):
        _close_manager()
        st.rerun()


def render_manager_if_open() -> None:
    if st.session_state.get(state.QUICK_REPLIES_OPEN):
        _manager()
