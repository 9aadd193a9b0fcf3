"""A customer's file fetched from a platform's address, bounded while it streams in."""

import httpx

from inbox.channels.base import PermanentFailure, TemporaryFailure


def fetch_bounded(
    address: str, platform: str, max_bytes: int, timeout: float, headers: dict | None = None
) -> bytes:
    """The bytes at `address`; a 5xx or no answer is worth trying again, another refusal or a
    file larger than `max_bytes` is not. `platform` names who failed in the reason."""
    try:
        with httpx.stream("GET", address, headers=headers, timeout=timeout) as response:
            if response.status_code >= 500:
                raise TemporaryFailure(
                    f"{platform}: the file could not be fetched (HTTP {response.status_code})"
                )
            if not response.is_success:
                raise PermanentFailure(
                    f"{platform} no longer has this file (HTTP {response.status_code})."
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise PermanentFailure("The file is larger than the inbox keeps.")
    except httpx.HTTPError as error:
        raise TemporaryFailure(f"{platform} could not be reached: {error}") from error
    return bytes(body)
