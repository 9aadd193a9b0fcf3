"""Settings → Channels: one expander per channel with its status and its settings."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, session, state
from components.formatting import full_time, markdown_plain
from inbox.models import ChannelKind
from inbox.services import channel_settings
from inbox.services.channel_settings import ChannelStatus

KINDS = {"Telegram bot": ChannelKind.TELEGRAM, "Website widget (HTTP)": ChannelKind.HTTP,
         "Demo customers": ChannelKind.DEMO}  # fmt: skip
NEW_SECRET = "new-channel-secret"  # channel id -> a secret just made, shown once


def _add() -> None:
    values = st.session_state
    kind, name, icon = (
        KINDS[values["new-channel-kind"]],
        values["new-channel-name"],
        values["new-channel-icon"],
    )
    if actions.run(
        lambda: channel_settings.add_channel(session.store(), actions.actor(), kind, name, icon),
        "Channel added",
    ):
        values["new-channel-name"] = ""


def render_add_form() -> None:
    with st.expander("Add a channel"):
        st.selectbox("Kind", list(KINDS), key="new-channel-kind")
        name, icon = st.columns([4, 1])
        name.text_input("Name", key="new-channel-name", max_chars=100)
        icon.text_input("Icon", key="new-channel-icon", value=None, placeholder="💬", max_chars=4)
        st.button("Add channel", key="add-channel", on_click=_add, type="primary")


def _save(channel_id: int, what: str) -> None:
    value = st.session_state.get(f"channel-{what}-{channel_id}")
    store, call = (
        session.store(),
        {
            "token": channel_settings.set_token,
            "callback": channel_settings.set_callback_url,
            "rate": channel_settings.set_rate,
        }[what],
    )
    if (
        actions.run(lambda: call(store, actions.actor(), channel_id, value), "Saved")
        and what == "token"
    ):
        st.session_state[f"channel-token-{channel_id}"] = ""  # write-only: never kept in the page


RECEIVING = {"Polling (works anywhere)": "polling",
             "Webhook (needs a public https:// address)": "webhook"}  # fmt: skip


def _set_receiving(channel_id: int) -> None:
    key = f"channel-receiving-{channel_id}"
    mode = RECEIVING[st.session_state[key]]
    if not actions.run(
        lambda: channel_settings.set_receiving(session.store(), actions.actor(), channel_id, mode),
        "Receiving by webhook" if mode == "webhook" else "Receiving by polling",
    ):
        state.undo_widget(key)


def _save_button(label: str, channel_id: int, what: str) -> None:
    st.button(label, key=f"save-{what}-{channel_id}", on_click=_save, args=(channel_id, what))


def _toggle(channel_id: int) -> None:
    enabled = st.session_state[f"channel-enabled-{channel_id}"]
    actions.run(
        lambda: channel_settings.set_enabled(session.store(), actions.actor(), channel_id, enabled),
        "Channel on" if enabled else "Channel off: its chats stay readable",
    )


def _new_secret(channel_id: int) -> None:
    def make():
        secret = channel_settings.new_secret(session.store(), actions.actor(), channel_id)
        st.session_state[NEW_SECRET] = {channel_id: secret}

    actions.run(make, "New secret made")


def _status_lines(status: ChannelStatus, zone: ZoneInfo) -> list[str]:
    lines = []
    if status.kind == ChannelKind.TELEGRAM:
        if status.bot_username and not status.poll_error:
            lines.append(f"Connected as @{status.bot_username}")
        elif not status.secrets_set.get("token"):
            lines.append("Not connected: set the bot's token.")
        if status.webhook_url:
            lines.append(f"Telegram posts messages to {status.webhook_url}")
    if status.last_received_at:
        lines.append(f"Last customer message: {full_time(status.last_received_at, zone)}")
    else:
        lines.append("No customer message yet.")
    lines.append(f"Replies waiting to go out: {status.waiting}")
    if status.last_failure:
        lines.append(f"Last reply not delivered: {status.last_failure}")
    if status.poll_error:
        lines.append(f"Receiving: {status.poll_error}")
    return lines


def render_channel(status: ChannelStatus, zone: ZoneInfo) -> None:
    title = f"{markdown_plain(status.icon)} {markdown_plain(status.name)} · {status.kind.value}"
    with st.expander(f"{title} · {'on' if status.enabled else 'off'}"):
        for line in _status_lines(status, zone):
            st.caption(markdown_plain(line))
        st.toggle(
            "On", value=status.enabled, key=f"channel-enabled-{status.id}", on_change=_toggle,
            args=(status.id,), help="Off stops receiving and sending at once; chats stay readable.",
        )  # fmt: skip
        if status.kind == ChannelKind.TELEGRAM:
            hint = status.secrets_set.get("token", "not set")
            st.text_input(f"Bot token ({hint})", key=f"channel-token-{status.id}", type="password",
                          placeholder="123456:ABC… from BotFather")  # fmt: skip
            _save_button("Save token", status.id, "token")
            names = list(RECEIVING)
            state.sync_widget(f"channel-receiving-{status.id}", names[bool(status.webhook_url)])
            st.radio("Receive messages by", names, key=f"channel-receiving-{status.id}",
                     on_change=_set_receiving, args=(status.id,))  # fmt: skip
        elif status.kind == ChannelKind.HTTP:
            st.caption(f"Messages come to POST /api/channels/{status.id}/messages")
            shown = st.session_state.get(NEW_SECRET, {}).pop(status.id, None)  # this once
            if shown:
                st.caption("The new secret, shown this once: give it to the widget.")
                st.code(shown, language=None)
            else:
                st.caption(f"Secret: {status.secrets_set.get('secret', 'not set')}")
            st.button(
                "Make a new secret",
                key=f"new-secret-{status.id}",
                on_click=_new_secret,
                args=(status.id,),
            )
            state.sync_widget(f"channel-callback-{status.id}", status.callback_url or "")
            st.text_input("Callback URL for replies", key=f"channel-callback-{status.id}",
                          placeholder="https://your-site.example/inbox-replies")  # fmt: skip
            _save_button("Save callback URL", status.id, "callback")
        else:
            state.sync_widget(f"channel-rate-{status.id}", float(status.rate or 0))
            st.number_input(
                "Customer messages a minute (0 is off)",
                key=f"channel-rate-{status.id}",
                min_value=0.0,
                max_value=channel_settings.MAX_DEMO_RATE,
                step=0.5,
            )
            _save_button("Save rate", status.id, "rate")
