"""multipart/form-data, as platforms take an uploaded file (Telegram's sendPhoto, Meta's and
WhatsApp's uploads)."""

import secrets

# As browsers write a file's name (HTML's form encoding, RFC 7578): its UTF-8 as it is, with
# only the quote and line breaks escaped.
ESCAPED = str.maketrans({'"': "%22", "\r": "%0D", "\n": "%0A"})


def encode(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """The body and its Content-Type for these text fields and files (field -> (file name,
    type, bytes))."""
    boundary = f"inbox-{secrets.token_hex(16)}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, (file_name, mime_type, body) in files.items():
        disposition = f'form-data; name="{name}"; filename="{file_name.translate(ESCAPED)}"'
        head = (
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
            f"Content-Type: {mime_type}\r\n\r\n"
        )
        parts.append(head.encode() + body + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
