"""Settings → Channels: one expander per channel with its status and its settings."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, session, state
from components.callbacks import callback
from components.formatting import full_time, markdown_plain
from inbox.channels import registry
from inbox.channels.base import Setting
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
def _save_secret(channel_id: int, setting: str, key: str) -> None:
    value = st.session_state.get(key) or ""
    state.renew(f"channel-{setting}-{channel_id}", forget=True)  # write-only: never kept
    actions.run(
        lambda: channel_settings.change_setting(
            session.store(), actions.actor(), channel_id, setting, value
        ),
        "Saved",
    )


@callback
def _save(channel_id: int, setting: str, key: str, drawn) -> None:
    value = st.session_state.get(key)
    actions.change(
        f"channel-{setting}-{channel_id}",
        lambda: channel_settings.change_setting(
            session.store(), actions.actor(), channel_id, setting, value, drawn=drawn
        ),
        "Saved",
    )


@callback
def _choose(channel_id: int, setting: Setting, key: str, drawn: str) -> None:
    labels = {label: value for value, label in setting.choices}
    value = labels[st.session_state[key]]
    actions.change(
        f"channel-{setting.key}-{channel_id}",
        lambda: channel_settings.change_setting(
            session.store(), actions.actor(), channel_id, setting.key, value, drawn=drawn
        ),
        f"{setting.label}: {dict(setting.choices)[value]}",
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
def _new_secret(channel_id: int, setting: str) -> None:
    def make():
        secret = channel_settings.new_secret(session.store(), actions.actor(), channel_id, setting)
        st.session_state[NEW_SECRET] = {(channel_id, setting): secret}

    actions.run(make, "New secret made")


def _status_lines(status: ChannelStatus, zone: ZoneInfo) -> list[str]:
    lines = list(status.lines)
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


def _secret(status: ChannelStatus, setting: Setting) -> None:
    hint = status.secrets_set.get(setting.key, "not set")
    key = state.stored_key(f"channel-{setting.key}-{status.id}")
    st.text_input(f"{setting.label} ({hint})", key=key, type="password", help=setting.help or None,
                  placeholder=setting.placeholder, max_chars=setting.max_length)  # fmt: skip
    st.button(f"Save {setting.label.lower()}", key=f"save-{setting.key}-{status.id}",
              on_click=_save_secret, args=(status.id, setting.key, key))  # fmt: skip


def _generated(status: ChannelStatus, setting: Setting) -> None:
    shown = st.session_state.get(NEW_SECRET, {}).pop((status.id, setting.key), None)  # this once
    if shown:
        st.caption(f"The new {setting.label.lower()}, shown this once: give it to the other side.")
        st.code(shown, language=None)
    else:
        st.caption(f"{setting.label}: {status.secrets_set.get(setting.key, 'not set')}")
    st.button(f"Make a new {setting.label.lower()}", key=f"new-{setting.key}-{status.id}",
              on_click=_new_secret, args=(status.id, setting.key),
              help=setting.help or None)  # fmt: skip


def _choice(status: ChannelStatus, setting: Setting) -> None:
    drawn = status.values.get(setting.key)
    values = [value for value, _ in setting.choices]
    key = state.stored_key(f"channel-{setting.key}-{status.id}", drawn)
    st.radio(setting.label, [label for _, label in setting.choices],
             index=values.index(drawn) if drawn in values else 0, key=key,
             help=setting.help or None, on_change=_choose,
             args=(status.id, setting, key, drawn))  # fmt: skip


def _asked(status: ChannelStatus, setting: Setting) -> None:
    """A text, a number or lines, saved by its button."""
    drawn = status.values.get(setting.key)
    key = state.stored_key(f"channel-{setting.key}-{status.id}", drawn)
    common = {"key": key, "help": setting.help or None}
    if setting.widget == "number":
        low, high = (None if n is None else float(n) for n in (setting.minimum, setting.maximum))
        st.number_input(setting.label, value=float(drawn or 0), min_value=low, max_value=high,
                        step=float(setting.step), **common)  # fmt: skip
    elif setting.widget == "lines":
        st.text_area(setting.label, value="\n".join(drawn or []), max_chars=setting.max_length,
                     placeholder=setting.placeholder, **common)  # fmt: skip
    else:
        st.text_input(setting.label, value=drawn or "", max_chars=setting.max_length,
                      placeholder=setting.placeholder, **common)  # fmt: skip
    st.button(f"Save {setting.label[0].lower()}{setting.label[1:]}",
              key=f"save-{setting.key}-{status.id}", on_click=_save,
              args=(status.id, setting.key, key, drawn))  # fmt: skip


DRAW = {"secret": _secret, "generated": _generated, "choice": _choice}


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
        kind = registry.BY_NAME.get(status.kind)
        for setting in kind.every_setting if kind else ():
            DRAW.get(setting.widget, _asked)(status, setting)
