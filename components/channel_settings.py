"""Settings → Channels: one expander per channel with its status and its settings."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, session, state
from components.callbacks import callback
from components.formatting import full_time, markdown_plain
from inbox.channels import http, registry, telegram
from inbox.services import channel_settings
from inbox.services.channel_settings import ChannelStatus

KINDS = {kind.label: kind.name for kind in registry.KINDS}
NEW_SECRET = "new-channel-secret"  # channel id -> a secret just made, shown once
NEW_CHANNEL = "new-channel"  # the add form's fields, emptied together (state.renew)


def _new_channel_key(field: str) -> str:
    return state.group_key(NEW_CHANNEL, field)


@callback
def _add() -> None:
    values = st.session_state
    kind, name, icon = (values[_new_channel_key(f)] for f in ("kind", "name", "icon"))
    if actions.run(
        lambda: channel_settings.add_channel(
            session.store(), actions.actor(), KINDS[kind], name, icon
        ),
        "Channel added",
    ):
        state.renew(NEW_CHANNEL)


def render_add_form() -> None:
    with st.expander("Add a channel"):
        st.selectbox("Kind", list(KINDS), key=_new_channel_key("kind"))
        name, icon = st.columns([4, 1])
        name.text_input("Name", key=_new_channel_key("name"), max_chars=100)
        icon.text_input("Icon", key=_new_channel_key("icon"), value=None, placeholder="💬",
                        max_chars=4)  # fmt: skip
        st.button("Add channel", key="add-channel", on_click=_add, type="primary")


@callback
def _save_token(channel_id: int, key: str) -> None:
    token = st.session_state.get(key) or ""
    state.renew(f"channel-token-{channel_id}", forget=True)  # write-only: never kept in the page
    actions.run(
        lambda: channel_settings.set_token(session.store(), actions.actor(), channel_id, token),
        "Saved",
    )


@callback
def _save(channel_id: int, what: str, key: str, drawn) -> None:
    value = st.session_state.get(key)
    call = {"callback": channel_settings.set_callback_url, "rate": channel_settings.set_rate}[what]
    actions.change(
        f"channel-{what}-{channel_id}",
        lambda: call(session.store(), actions.actor(), channel_id, value, drawn=drawn),
        "Saved",
    )


RECEIVING = {"Polling (works anywhere)": "polling",
             "Webhook (needs a public https:// address)": "webhook"}  # fmt: skip


@callback
def _set_receiving(channel_id: int, key: str, drawn: str) -> None:
    mode = RECEIVING[st.session_state[key]]
    actions.change(
        f"channel-receiving-{channel_id}",
        lambda: channel_settings.set_receiving(
            session.store(), actions.actor(), channel_id, mode, drawn=drawn
        ),
        "Receiving by webhook" if mode == "webhook" else "Receiving by polling",
    )


@callback
def _toggle(channel_id: int, key: str, drawn: bool) -> None:
    enabled = st.session_state[key]
    actions.change(
        f"channel-enabled-{channel_id}",
        lambda: channel_settings.set_enabled(
            session.store(), actions.actor(), channel_id, enabled, drawn=drawn
        ),
        "Channel on" if enabled else "Channel off: its chats stay readable",
    )


@callback
def _new_secret(channel_id: int) -> None:
    def make():
        secret = channel_settings.new_secret(session.store(), actions.actor(), channel_id)
        st.session_state[NEW_SECRET] = {channel_id: secret}

    actions.run(make, "New secret made")


def _status_lines(status: ChannelStatus, zone: ZoneInfo) -> list[str]:
    lines = []
    if status.kind == telegram.NAME:
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
    title = f"{markdown_plain(status.icon)} {markdown_plain(status.name)} · {status.kind}"
    with st.expander(f"{title} · {'on' if status.enabled else 'off'}"):
        for line in _status_lines(status, zone):
            st.caption(markdown_plain(line))
        on_key = state.stored_key(f"channel-enabled-{status.id}", status.enabled)
        st.toggle(
            "On", value=status.enabled, key=on_key, on_change=_toggle,
            args=(status.id, on_key, status.enabled),
            help="Off stops receiving and sending at once; chats stay readable.",
        )  # fmt: skip
        if status.kind == telegram.NAME:
            hint = status.secrets_set.get("token", "not set")
            token_key = state.stored_key(f"channel-token-{status.id}")
            st.text_input(f"Bot token ({hint})", key=token_key, type="password",
                          placeholder="123456:ABC… from BotFather")  # fmt: skip
            st.button("Save token", key=f"save-token-{status.id}", on_click=_save_token,
                      args=(status.id, token_key))  # fmt: skip
            mode = channel_settings.WEBHOOK if status.webhook_url else channel_settings.POLLING
            mode_key = state.stored_key(f"channel-receiving-{status.id}", mode)
            st.radio("Receive messages by", list(RECEIVING),
                     index=list(RECEIVING.values()).index(mode), key=mode_key,
                     on_change=_set_receiving, args=(status.id, mode_key, mode))  # fmt: skip
        elif status.kind == http.NAME:
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
            url = status.callback_url or ""
            url_key = state.stored_key(f"channel-callback-{status.id}", url)
            st.text_input("Callback URL for replies", value=url, key=url_key,
                          placeholder="https://your-site.example/inbox-replies")  # fmt: skip
            _save_button("Save callback URL", status.id, "callback", url_key, url)
        else:
            rate = float(status.rate or 0)
            rate_key = state.stored_key(f"channel-rate-{status.id}", rate)
            st.number_input(
                "Customer messages a minute (0 is off)",
                value=rate,
                key=rate_key,
                min_value=0.0,
                max_value=channel_settings.MAX_DEMO_RATE,
                step=0.5,
            )
            _save_button("Save rate", status.id, "rate", rate_key, rate)


def _save_button(label: str, channel_id: int, what: str, key: str, drawn) -> None:
    st.button(label, key=f"save-{what}-{channel_id}", on_click=_save,
              args=(channel_id, what, key, drawn))  # fmt: skip
