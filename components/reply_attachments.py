"""Files a manager attaches to a reply (SPEC M5): picked beside Send, checked against the
chat's channel at once (a refused file is named with the reason and left out), and listed under
the box until the reply is sent or a file is taken off. They stay with the chat's draft while
another chat is open."""

import streamlit as st

from components import state
from components.callbacks import callback
from components.formatting import html_plain, markdown_plain
from inbox.channels.base import MB
from inbox.errors import InvalidInput
from inbox.models import Upload
from inbox.services import reply_files

PICKER = "attach"


def attached(chat_id: int) -> list[Upload]:
    return list(st.session_state[state.ATTACHED].get(chat_id, []))


def forget(chat_id: int) -> None:
    kept = dict(st.session_state[state.ATTACHED])
    kept.pop(chat_id, None)
    st.session_state[state.ATTACHED] = kept


def _keep(chat_id: int, files: list[Upload]) -> None:
    st.session_state[state.ATTACHED] = {**st.session_state[state.ATTACHED], chat_id: files}


@callback
def _take(chat_id: int, channel_kind: str, key: str) -> None:
    """Add what was picked, one file at a time, so that one the channel refuses leaves the
    others in; the picker is drawn empty again."""
    picked = st.session_state.get(key) or []
    state.renew(f"{PICKER}-{chat_id}")
    files = attached(chat_id)
    for each in picked:
        upload = Upload(name=each.name, mime_type=each.type or "", body=each.getvalue())
        try:
            reply_files.prepare(channel_kind, [*files, upload])
        except InvalidInput as refused:
            st.toast(str(refused), icon="⚠️")
            continue
        files.append(upload)
    _keep(chat_id, files)


@callback
def _drop(chat_id: int, index: int, name: str) -> None:
    files = attached(chat_id)
    if index < len(files) and files[index].name == name:  # the list as it was drawn
        del files[index]
        _keep(chat_id, files)


def takes_files(channel_kind: str) -> bool:
    return reply_files.largest_file(channel_kind) > 0


def render_button(chat_id: int, channel_kind: str) -> None:
    """📎 beside Send, opening the file picker (for a channel that takes files)."""
    note = reply_files.accepted_note(channel_kind)
    largest = reply_files.largest_file(channel_kind)
    with st.popover(
        "📎", help="Attach photos and files", key=f"attach-menu-{chat_id}", width="stretch"
    ):
        key = state.stored_key(f"{PICKER}-{chat_id}")
        st.file_uploader(
            "Photos and files", accept_multiple_files=True, key=key,
            max_upload_size=max(1, -(-largest // MB)),
            on_change=_take, args=(chat_id, channel_kind, key),
        )  # fmt: skip
        st.caption(note)


def render_list(chat_id: int) -> None:
    """What goes with Send, each with ✕ to take it off."""
    files = attached(chat_id)
    if not files:
        return
    with st.container(key=f"attached-{chat_id}", horizontal=True, gap="small"):
        for index, each in enumerate(files):
            size = reply_files.size_text(len(each.body))
            st.html(
                f'<span class="attached-file" title="{html_plain(each.name)}">📎 '
                f"{html_plain(reply_files.clean_name(each.name))} · {size}</span>"
            )
            st.button(
                "✕", key=f"detach-{chat_id}-{index}", help=f"Take {markdown_plain(each.name)} off",
                on_click=_drop, args=(chat_id, index, each.name), type="tertiary",
            )  # fmt: skip
