"""Settings → Channels is drawn and checked from a kind's description alone: a kind made up
here, registered as a module would be, gets its settings stored, checked, compared and kept
secret with no code of its own in the services or the page."""

import pytest

from inbox.channels import registry
from inbox.channels.base import Kind, Limits, Setting
from inbox.errors import ChangedMeanwhile, InvalidInput, PermissionDenied
from inbox.services import channel_settings
from inbox.store import channels

PAGER = Kind(
    name="pager",
    label="Pager gateway",
    send=lambda outgoing: None,
    limits=Limits(text_length=160),
    settings=(
        Setting("gateway", "Gateway address", required=True, max_length=50),
        Setting("api_key", "API key", widget="secret"),
        Setting("per_hour", "Pages an hour", widget="number", minimum=1, maximum=100,
                default=10.0, unit="an hour"),
        Setting("numbers", "Numbers that may page us", widget="lines", max_length=40),
        Setting("tone", "Tone", widget="choice", default="beep",
                choices=(("beep", "Beep"), ("chirp", "Chirp"))),
    ),
    status=lambda channel_id, config, problem: [f"Gateway {config.get('gateway') or 'unset'}"],
)  # fmt: skip


@pytest.fixture
def pager(world, monkeypatch):
    monkeypatch.setattr(registry, "KINDS", [*registry.KINDS, PAGER])
    monkeypatch.setitem(registry.BY_NAME, PAGER.name, PAGER)
    return channel_settings.add_channel(world.store, world.olga, "pager", "Pagers", "📟")


def status_of(world, channel):
    [found] = [s for s in channel_settings.overview(world.store, world.olga) if s.id == channel.id]
    return found


def stored(world, channel):
    with world.store.read() as cur:
        return channels.settings(cur, channel.id)


def test_a_new_kinds_settings_are_stored_as_described(world, pager):
    change = channel_settings.change_setting
    change(world.store, world.olga, pager.id, "gateway", "  gw.example:99  ", drawn=None)
    change(world.store, world.olga, pager.id, "per_hour", "25", drawn=10.0)
    change(world.store, world.olga, pager.id, "numbers", "+380 1\n\n  +380 2 \n", drawn=None)
    change(world.store, world.olga, pager.id, "tone", "chirp", drawn="beep")
    status = status_of(world, pager)
    assert status.values == {
        "gateway": "gw.example:99", "per_hour": 25.0, "numbers": ["+380 1", "+380 2"],
        "tone": "chirp",
        # what every channel has: its automatic answers, none set yet
        "auto_greeting": None, "auto_away": None, "auto_every_hours": 12.0,
    }  # fmt: skip
    assert status.lines == ["Gateway gw.example:99"]


def test_a_secret_is_write_only(world, pager):
    key = "sk-live-0123456789abcdef"
    channel_settings.change_setting(world.store, world.olga, pager.id, "api_key", key)
    status = status_of(world, pager)
    assert key not in status.model_dump_json()
    assert status.secrets_set == {"api_key": "set, ending …cdef"}
    assert "api_key" not in status.values
    assert stored(world, pager)["api_key"] == key


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("gateway", "   ", "Gateway address is needed"),
        ("gateway", "x" * 51, "at most 50 characters"),
        ("per_hour", "many", "a number, please"),
        ("per_hour", 0, "between 1 and 100"),
        ("numbers", ["1" * 41], "at most 40 characters"),
        ("tone", "siren", "choose one of the options"),
        ("colour", "red", "no setting “colour”"),
    ],
)
def test_what_a_kind_refuses_changes_nothing(world, pager, key, value, reason):
    before = stored(world, pager)
    with pytest.raises(InvalidInput, match=reason):
        channel_settings.change_setting(world.store, world.olga, pager.id, key, value)
    assert stored(world, pager) == before


def test_a_page_drawn_before_someone_elses_change_does_not_undo_it(world, pager):
    change = channel_settings.change_setting
    change(world.store, world.olga, pager.id, "per_hour", 30, drawn=10.0)
    with pytest.raises(ChangedMeanwhile, match="Pages an hour .* now 30 an hour"):
        change(world.store, world.olga, pager.id, "per_hour", 40, drawn=10.0)
    change(world.store, world.olga, pager.id, "per_hour", 30, drawn=10.0)  # already so: fine
    assert status_of(world, pager).values["per_hour"] == 30.0


def test_a_manager_cannot_change_a_setting(world, pager):
    with pytest.raises(PermissionDenied):
        channel_settings.change_setting(world.store, world.anna, pager.id, "gateway", "x")
    assert "gateway" not in stored(world, pager)
