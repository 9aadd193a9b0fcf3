"""The seam every kind of channel plugs into: what a kind must provide, and what the rest of
the inbox takes from the registry rather than from a kind by name."""

import inspect
import json
import re

import pytest

from inbox.channels import registry
from inbox.channels.base import Kind, Limits, Setting
from inbox.errors import InvalidInput
from inbox.services import accounts, conversation, reads
from inbox.store import channels
from inbox.web import webhooks

WIDGETS = {"text", "number", "choice", "lines", "secret", "generated"}


def missing(kind: Kind, store) -> list[str]:
    """What `kind` lacks of what the inbox needs from a kind of channel."""
    lacks = []
    if not re.fullmatch(r"[a-z][a-z0-9_]*", kind.name or ""):
        lacks.append("a name to store as the channel's kind (lowercase letters)")
    if not (kind.label or "").strip():
        lacks.append("a label for Settings")
    if not callable(kind.send) or len(inspect.signature(kind.send).parameters) != 1:
        lacks.append("send(outgoing)")
    if not isinstance(kind.limits, Limits) or not kind.limits.text_length > 0:
        lacks.append("limits with a text length")
    for route in kind.routes:
        if not route.path.startswith(webhooks.PREFIX):
            lacks.append(f"its route {route.path} under {webhooks.PREFIX}")
    if kind.fetch_file is not None and len(inspect.signature(kind.fetch_file).parameters) != 2:
        lacks.append("fetch_file(settings, file id)")
    try:
        json.dumps(kind.start_settings())
    except (TypeError, ValueError):
        lacks.append("start settings that can be stored as JSON")
    keys = [setting.key for setting in kind.settings]
    if len(keys) != len(set(keys)):
        lacks.append("one setting a key")
    for setting in kind.settings:
        if setting.widget not in WIDGETS:
            lacks.append(f"a widget Settings can draw for {setting.key} (not {setting.widget})")
        if setting.widget == "choice" and not setting.choices:
            lacks.append(f"choices for {setting.key}")
        if not setting.label.strip():
            lacks.append(f"a label for its setting {setting.key}")
    if not all(isinstance(line, str) for line in kind.status(1, kind.start_settings(), None)):
        lacks.append("status(channel id, settings, problem) as lines of text")
    for make in kind.workers:
        worker = make(store)
        if not (
            callable(getattr(worker, "start", None)) and callable(getattr(worker, "stop", None))
        ):
            lacks.append(f"start() and stop() on its worker {make.__name__}")
    return lacks


@pytest.mark.parametrize("kind", registry.KINDS, ids=lambda kind: kind.name)
def test_every_registered_kind_provides_what_the_inbox_needs(kind, store):
    assert missing(kind, store) == []


def test_the_check_finds_what_a_kind_lacks(store):
    broken = Kind(
        name="Fax!", label=" ", send=lambda: None, limits=Limits(text_length=0),
        settings=(Setting("number", "Number", widget="dial"), Setting("number", " ",
                  widget="choice")),
        status=lambda channel_id, config, problem: [None],
    )  # fmt: skip
    assert missing(broken, store) == [
        "a name to store as the channel's kind (lowercase letters)",
        "a label for Settings",
        "send(outgoing)",
        "limits with a text length",
        "one setting a key",
        "a widget Settings can draw for number (not dial)",
        "choices for number",
        "a label for its setting number",
        "status(channel id, settings, problem) as lines of text",
    ]


def test_kinds_have_one_name_and_label_each():
    assert len({kind.name for kind in registry.KINDS}) == len(registry.KINDS)
    assert len({kind.label for kind in registry.KINDS}) == len(registry.KINDS)


def test_every_kinds_routes_are_mounted_once():
    paths = [route.path for route in registry.routes()]
    assert len(paths) == len(set(paths))
    assert set(paths) == {route.path for kind in registry.KINDS for route in kind.routes}


def test_a_channel_of_an_unknown_kind_is_refused_and_nothing_is_stored(world):
    with pytest.raises(InvalidInput, match="no kind of channel called “fax”"):
        accounts.create_channel(world.store, world.olga, "fax", "Fax", "📠")
    assert "Fax" not in [c.name for c in reads.visible_channels(world.store, world.olga)]


def test_a_new_channel_starts_with_its_kinds_settings(world):
    website = accounts.create_channel(world.store, world.olga, "http", "Shop site", "🌐")
    with world.store.read() as cur:
        assert len(channels.settings(cur, website.id)["secret"]) >= 24


def test_a_reply_may_be_as_long_as_its_channel_takes(world):
    telegram_chat = world.customer_writes("hi").chat_id
    website_chat = world.customer_writes("hi", channel=world.website).chat_id
    conversation.send_reply(world.store, world.anna, website_chat, "x" * 10_000)
    with pytest.raises(InvalidInput, match="at most 4096"):
        conversation.send_reply(world.store, world.anna, telegram_chat, "x" * 4097)
    with pytest.raises(InvalidInput, match="at most 10000"):
        conversation.send_reply(world.store, world.anna, website_chat, "x" * 10_001)
