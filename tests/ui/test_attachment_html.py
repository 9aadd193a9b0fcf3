"""How a customer's files show in a bubble: ours to fetch, their names as plain text."""

from components.conversation import attachment_html
from inbox.models import Attachment, FileKind


def test_a_photo_is_a_picture_fetched_from_our_server():
    html = attachment_html(Attachment(id=7, kind=FileKind.PHOTO, mime_type="image/jpeg"))
    assert html == '<img class="attachment photo" src="/api/files/7" alt="Photo">'


def test_a_voice_message_is_a_player():
    html = attachment_html(Attachment(id=8, kind=FileKind.VOICE, mime_type="audio/ogg"))
    assert html.startswith("<audio") and 'src="/api/files/8"' in html


def test_a_document_is_a_download_whose_name_is_plain_text():
    name = '<img src=x onerror="alert(1)">.pdf'
    html = attachment_html(
        Attachment(id=9, kind=FileKind.DOCUMENT, file_name=name, size_bytes=250_000)
    )
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.pdf" in html
    assert 'href="/api/files/9" download' in html and "244 KB" in html


def test_an_animated_sticker_no_browser_draws_is_a_download():
    html = attachment_html(
        Attachment(id=10, kind=FileKind.STICKER, mime_type="application/x-tgsticker")
    )
    assert html.startswith('<a class="attachment file"') and "Sticker" in html
