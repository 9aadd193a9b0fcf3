"""Files with a reply in the Chats page (SPEC M5): picked beside Send, refused at once when the
channel does not take them, listed under the box and sent with the reply."""

from inbox.models import FileKind, MessageKind
from tests.ui.conftest import open_app, widget
from tests.ui.test_chats_page import html_shown, messages_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _attach(at, chat, *files):
    widget(at.file_uploader, f"attach-{chat}").set_value(list(files)).run()
    assert not at.exception
    return at


def test_picked_files_are_listed_and_go_with_the_reply(ui_world):
    chat = ui_world.customer_writes("Photo of the red one?", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    _attach(at, chat, ("red.png", PNG, "image/png"), ("sizes.pdf", b"%PDF-1.7", "application/pdf"))
    shown = html_shown(at)
    assert "📎 red.png · 1 KB" in shown and "📎 sizes.pdf · 1 KB" in shown
    assert widget(at.file_uploader, f"attach-{chat}").value in (None, []), "ready for more"
    at.button(key=f"detach-{chat}-1").click().run()
    assert "sizes.pdf" not in html_shown(at)
    widget(at.text_area, f"draft-{chat}").input("Here it is").run()
    at.button(key=f"send-{chat}").click().run()
    assert not at.exception
    [sent] = [m for m in messages_of(ui_world, chat) if m.kind == MessageKind.MANAGER]
    assert sent.text == "Here it is"
    assert [(a.kind, a.file_name) for a in sent.attachments] == [(FileKind.PHOTO, "red.png")]
    assert "📎 red.png" not in html_shown(at), "the list is emptied with the box"
    assert f'src="/api/files/{sent.attachments[0].id}"' in html_shown(at), "shown in the chat"


def test_a_file_the_channel_does_not_take_is_named_with_the_reason_and_left_out(ui_world):
    chat = ui_world.customer_writes("The catalogue?", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    huge = b"\x00" * (51 * 1024 * 1024)
    _attach(at, chat, ("catalogue.zip", huge, "application/zip"), ("red.png", PNG, "image/png"))
    assert [t.proto.body for t in at.toast] == [
        "“catalogue.zip” is 51 MB: Telegram takes files of at most 50 MB."
    ]
    shown = html_shown(at)
    assert "📎 red.png" in shown and "catalogue.zip" not in shown


def test_a_reply_of_a_file_alone_is_sent(ui_world):
    chat = ui_world.customer_writes("Invoice please", who="a", name="Alice").chat_id
    at = _attach(open_app(ui_world.anna, chat), chat, ("invoice.pdf", b"%PDF", "application/pdf"))
    at.button(key=f"send-{chat}").click().run()
    [sent] = [m for m in messages_of(ui_world, chat) if m.kind == MessageKind.MANAGER]
    assert (sent.text, [a.file_name for a in sent.attachments]) == ("", ["invoice.pdf"])
