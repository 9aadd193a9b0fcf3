"""The kinds of channel the inbox knows: adding one is its module and one line here. A
channel's kind is stored as text and checked against this list."""

from inbox.channels import demo, http, meta, telegram, viber, website, whatsapp
from inbox.channels.base import Kind, Worker
from inbox.errors import InvalidInput

KINDS: list[Kind] = [
    telegram.KIND,
    meta.MESSENGER_KIND,
    meta.INSTAGRAM_KIND,
    whatsapp.KIND,
    viber.KIND,
    http.KIND,
    website.KIND,
    demo.KIND,
]

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
CONNECTORS = BY_NAME  # a kind sends its replies itself


def kind(name: str) -> Kind:
    found = BY_NAME.get(name)
    if found is None:
        raise InvalidInput(f"The inbox has no kind of channel called “{name}”.")
    return found


def app_name(kind_name: str) -> str:
    """The platform's own app a kind's messages may be sent from ("Instagram")."""
    found = BY_NAME.get(kind_name)
    return (found.app if found else "") or kind_name


def routes() -> list:
    """Every kind's inbound routes, for the app to mount."""
    return [route for each in KINDS for route in each.routes]


def workers(store) -> list[Worker]:
    """Every kind's workers for this store, for the app to start and stop."""
    return [make(store) for each in KINDS for make in each.workers]
