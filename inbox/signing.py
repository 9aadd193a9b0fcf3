"""HMAC signatures with the server's key: cookies and form tokens that cannot be forged."""

import hashlib
import hmac


def sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def matches(key: bytes, text: str, signature: str) -> bool:
    """Constant-time; compares bytes, since compare_digest refuses non-ASCII str."""
    expected = sign(key, text).encode()
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))
