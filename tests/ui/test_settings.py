"""Settings → Channels through AppTest: administrators only, secrets write-only."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import page_registry
from inbox.channels import registry, telegram
from inbox.services import accounts, shop
from inbox.store import channels
from tests.channels.telegram_standin import TelegramStandIn
from tests.ui.conftest import log_in, open_app, texts, widget

SETTINGS = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")
TOKEN = "123456789:AAH-real-looking-token-value_1234"


def open_settings(user) -> AppTest:
    log_in(user)
    return AppTest.from_file(SETTINGS, default_timeout=30).run()


def everything_shown(at: AppTest) -> str:
    return "\n".join(str(node.proto) for node in at.get("*") if hasattr(node, "proto")) + "\n".join(
        texts(at)
    )


def shown_plain(at: AppTest) -> list[str]:
    """The page's texts as a person reads them, without the Markdown escapes."""
    return [t.replace("\\", "") for t in texts(at)]


def settings_of(world, channel):
    with world.store.read() as cur:
        return channels.settings(cur, channel.id)


def test_a_manager_is_refused_and_sees_no_channel(ui_world):
    at = open_settings(ui_world.anna)
    assert [e.value for e in at.error] == [page_registry.NOT_ALLOWED]
    assert not any("Shop bot" in t for t in texts(at))


def test_an_admin_sees_every_channel_with_its_status(ui_world):
    ui_world.customer_writes("hi", who="a", name="Alice")
    at = open_settings(ui_world.olga)
    labels = [e.label for e in at.expander]
    assert any("Shop bot · telegram · on" in label for label in labels)
    assert any("Website chat · http · on" in label for label in labels)
    assert any("Last customer message" in t for t in texts(at))


@pytest.fixture
def bot(ui_world):
    standin = TelegramStandIn(token=TOKEN)
    accounts.configure_channel(
        ui_world.store, ui_world.olga, ui_world.telegram.id, api_url=standin.base_url
    )
    yield standin
    standin.close()


def test_a_bot_token_is_checked_saved_and_never_shown_back(ui_world, bot):
    at = open_settings(ui_world.olga)
    assert "Connected as" not in everything_shown(at)
    name = f"channel-token-{ui_world.telegram.id}"
    widget(at.text_input, name).input(TOKEN)
    at.button(key=f"save-token-{ui_world.telegram.id}").click().run()
    assert settings_of(ui_world, ui_world.telegram)["token"] == TOKEN
    assert TOKEN not in everything_shown(at)
    assert widget(at.text_input, name).value == ""
    assert any("set, ending …1234" in (w.label or "") for w in at.text_input)
    assert "Connected as @shop_bot" in shown_plain(at)


def test_a_token_telegram_does_not_know_is_refused_with_its_words(ui_world, bot):
    bot.token = "1:another"
    at = open_settings(ui_world.olga)
    widget(at.text_input, f"channel-token-{ui_world.telegram.id}").input(TOKEN)
    at.button(key=f"save-token-{ui_world.telegram.id}").click().run()
    assert settings_of(ui_world, ui_world.telegram)["token"] == "secret"
    assert any("Telegram did not accept this token" in t.value for t in at.toast)


def test_webhook_mode_is_chosen_here_and_refused_without_a_public_address(
    ui_world, bot, monkeypatch
):
    bot.token = "secret"  # the scenario's token
    key = f"channel-mode-{ui_world.telegram.id}"
    at = open_settings(ui_world.olga)
    widget(at.radio, key).set_value(widget(at.radio, key).options[1]).run()
    assert any("INBOX_PUBLIC_URL" in t.value for t in at.toast)
    assert widget(at.radio, key).value.startswith("Polling"), "shows what still holds"
    assert bot.webhook is None

    monkeypatch.setenv("INBOX_PUBLIC_URL", "https://inbox.example.com")
    widget(at.radio, key).set_value(widget(at.radio, key).options[1]).run()
    assert bot.webhook["url"].startswith("https://inbox.example.com/api/channels/")
    assert settings_of(ui_world, ui_world.telegram)["mode"] == "webhook"
    assert any("Telegram posts messages to https://inbox" in t for t in shown_plain(at))


def test_a_token_that_is_not_one_is_refused(ui_world):
    at = open_settings(ui_world.olga)
    widget(at.text_input, f"channel-token-{ui_world.telegram.id}").input("nonsense")
    at.button(key=f"save-token-{ui_world.telegram.id}").click().run()
    assert settings_of(ui_world, ui_world.telegram)["token"] == "secret"
    assert any("bot token" in t.value for t in at.toast)


def test_a_new_http_secret_is_shown_once_and_the_callback_url_saved(ui_world):
    at = open_settings(ui_world.olga)
    website = ui_world.website.id
    at.button(key=f"new-secret-{website}").click().run()
    secret = settings_of(ui_world, ui_world.website)["secret"]
    assert secret != "s3" and secret in [c.value for c in at.code]
    at.run()
    assert secret not in everything_shown(at), "shown once"
    widget(at.text_input, f"channel-callback_url-{website}").input("ftp://nope")
    at.button(key=f"save-callback_url-{website}").click().run()
    assert "callback_url" not in settings_of(ui_world, ui_world.website)
    widget(at.text_input, f"channel-callback_url-{website}").input("https://shop.example/replies")
    at.button(key=f"save-callback_url-{website}").click().run()
    assert settings_of(ui_world, ui_world.website)["callback_url"] == "https://shop.example/replies"


def test_switching_a_channel_off_stops_its_poller_and_keeps_its_chats(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    with ui_world.store.write() as cur:
        channels.update_settings(cur, ui_world.telegram.id, {"token": TOKEN})
    assert telegram.polled_channels(ui_world.store) == [ui_world.telegram.id]
    at = open_settings(ui_world.olga)
    widget(at.toggle, f"channel-enabled-{ui_world.telegram.id}").set_value(False).run()
    assert telegram.polled_channels(ui_world.store) == []
    chats_page = open_app(ui_world.anna, chat)
    assert "hi" in "".join(str(h.proto.body) for h in chats_page.get("html"))


def test_an_admin_adds_a_demo_channel_and_sets_its_rate(ui_world):
    at = open_settings(ui_world.olga)
    widget(at.selectbox, "new-channel", "kind").set_value("Demo customers")
    widget(at.text_input, "new-channel", "name").input("Showroom")
    at.button(key="add-channel").click().run()
    [label] = [e.label for e in at.expander if "Showroom" in e.label]
    assert "demo · on" in label


def test_a_new_kind_is_drawn_from_its_description(ui_world, monkeypatch):
    """No per-kind code in the page: a kind registered here gets its form and status."""
    from tests.channels.test_kind_settings import PAGER

    monkeypatch.setattr(registry, "KINDS", [*registry.KINDS, PAGER])
    monkeypatch.setitem(registry.BY_NAME, PAGER.name, PAGER)
    pager = accounts.create_channel(ui_world.store, ui_world.olga, "pager", "Pagers", "📟")
    at = open_settings(ui_world.olga)
    assert any("Pagers · pager · on" in e.label for e in at.expander)
    assert "Gateway unset" in shown_plain(at)
    widget(at.text_input, f"channel-gateway-{pager.id}").input("gw.example")
    at.button(key=f"save-gateway-{pager.id}").click().run()
    widget(at.text_input, f"channel-api_key-{pager.id}").input("sk-live-0123456789abcdef")
    at.button(key=f"save-api_key-{pager.id}").click().run()
    widget(at.radio, f"channel-tone-{pager.id}").set_value("Chirp").run()
    assert settings_of(ui_world, pager) == {
        "gateway": "gw.example", "api_key": "sk-live-0123456789abcdef", "tone": "chirp"
    }  # fmt: skip
    assert "Gateway gw.example" in shown_plain(at)
    assert "API key (set, ending …cdef)" in [w.label for w in at.text_input]
    assert "sk-live-0123456789abcdef" not in everything_shown(at)
    assert widget(at.number_input, f"channel-per_hour-{pager.id}").value == 10.0


def test_an_admin_names_the_shop_and_sets_its_time_zone(ui_world):
    at = open_settings(ui_world.olga)
    widget(at.text_input, "shop-name").input("Квіти  <b>Львова</b>")
    widget(at.selectbox, "shop-time_zone").select("Europe/Warsaw")
    [save] = [b for b in at.button if b.key == "save-shop"]
    save.click().run()
    assert not at.exception
    assert widget(at.text_input, "shop-name").value == "Квіти  <b>Львова</b>"
    assert widget(at.selectbox, "shop-time_zone").value == "Europe/Warsaw"
    assert any("Last changed by Olga Admin" in t for t in texts(at))
    assert shop.get(ui_world.store).name == "Квіти  <b>Львова</b>"


def test_an_admin_sets_the_working_hours_and_a_wrong_day_is_named(ui_world):
    at = open_settings(ui_world.olga)
    for weekday in range(5):
        widget(at.text_input, f"shop-day-{weekday}").input("9-18")
    widget(at.text_input, "shop-day-5").input("10:00–14:00")
    [save] = [b for b in at.button if b.key == "save-shop"]
    save.click().run()
    assert not at.exception
    saved = shop.get(ui_world.store).working_hours
    assert saved == {d: ("09:00", "18:00") for d in range(5)} | {5: ("10:00", "14:00")}
    assert widget(at.text_input, "shop-day-0").value == "09:00–18:00"
    assert widget(at.text_input, "shop-day-6").value == ""
    widget(at.text_input, "shop-day-6").input("all day")
    [save] = [b for b in at.button if b.key == "save-shop"]
    save.click().run()
    assert [t.proto.body for t in at.toast] == [
        "Sunday: write the hours as 9:00–18:00, or leave it empty when the shop is closed."
    ]
    assert 6 not in shop.get(ui_world.store).working_hours
