"""The website widget's HTTP API on the real server (SPEC CH7): only the channel's sites get
CORS and answers, tokens cannot be forged or borrowed, bad bodies get a 4xx and store nothing."""

import json
import time
import urllib.error
import urllib.request

from inbox.services import accounts, channel_settings

SHOP = "http://127.0.0.1:1"  # the shop's origin as the browser names it; nothing listens there


def widget_channel(world):
    channel = accounts.create_channel(world.store, world.olga, "website", "Shop site", "🛍️")
    channel_settings.change_setting(world.store, world.olga, channel.id, "origins", SHOP)
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    return channel.id


def lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def call(server, path, method="GET", body=None, origin=SHOP, token=None, raw=None, headers=()):
    headers = {**({"Origin": origin} if origin else {}), **dict(headers)}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"{server.url}{path}", data=data, method=method,
                                     headers=headers)  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, lower(response.headers), json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, lower(error.headers), json.load(error)


def test_the_widget_api_serves_its_sites_only(start_server):
    server = start_server(widget_channel)
    base = f"/api/channels/{server.prepared}/widget"
    status, headers, _ = call(server, f"{base}/visitor", "OPTIONS")
    assert status == 204 and headers["access-control-allow-origin"] == SHOP
    status, headers, body = call(server, f"{base}/visitor", "POST", origin="https://evil.example")
    assert status == 403 and "access-control-allow-origin" not in headers, body
    status, _, visitor = call(server, f"{base}/visitor", "POST")
    assert status == 201 and visitor["title"] == "Chat with us"
    token = visitor["token"]
    message = {"text": "Hi! Is the <b>scarf</b> in stock?", "client_id": "c-1",
               "page_url": f"{SHOP}/scarves", "page_title": "Scarves"}  # fmt: skip
    assert call(server, f"{base}/messages", "POST", message, token=token)[0] == 200
    assert call(server, f"{base}/messages", "POST", message, token="x.y")[0] == 401
    status, _, other = call(server, f"{base}/visitor", "POST")
    status, _, theirs = call(server, f"{base}/messages?after=0", token=other["token"])
    assert (status, theirs["messages"]) == (200, []), "another visitor sees nothing"
    status, _, mine = call(server, f"{base}/messages?after=0", token=token)
    assert [m["text"] for m in mine["messages"]] == ["Hi! Is the <b>scarf</b> in stock?"]
    for bad in (b"{", b'{"text": ""}', b'{"text": "hi"}', b"[]", "é".encode("latin-1")):
        status, _, body = call(server, f"{base}/messages", "POST", raw=bad, token=token)
        assert status == 422, (bad, status, body)
    status, _, _ = call(server, f"{base}/messages", "POST", message, token=token, origin=None)
    assert status == 403, "no Origin, no answer"
    for site, expected in (("cross-site", 403), ("same-site", 403), ("same-origin", 200)):
        fetched = {"Sec-Fetch-Site": site}
        status, _, _ = call(server, f"{base}/messages", token=token, origin=None, headers=fetched)
        assert status == expected, f"a GET from a page {site} without Origin: {status}"
    own = {"Origin": server.url}  # the inbox's own pages (the demo shop)
    assert call(server, f"{base}/messages", token=token, origin=None, headers=own)[0] == 200
    assert call(server, "/api/channels/999/widget/visitor", "POST")[0] == 404
    assert "Traceback" not in server.log_path.read_text()


def reads_opened(server) -> int:
    return call(server, "/api/health", origin=None)[2]["reads_opened"]


def settled_reads(server) -> int:
    """The server's tally once its delivery worker has looked at the last write (it reads
    after each write, on its next tick, which a loaded machine may hold back a while)."""
    tally = reads_opened(server)
    while True:
        time.sleep(1)
        again = reads_opened(server)
        if again == tally:
            return tally
        tally = again


def test_an_idle_widget_poll_reads_nothing(start_server):
    server = start_server(widget_channel)
    base = f"/api/channels/{server.prepared}/widget"
    token = call(server, f"{base}/visitor", "POST")[2]["token"]
    message = {"text": "Hello", "client_id": "c-1"}
    assert call(server, f"{base}/messages", "POST", message, token=token)[0] == 200
    first = call(server, f"{base}/messages?after=0", token=token)[2]
    assert [m["text"] for m in first["messages"]] == ["Hello"] and first["version"]
    poll = f"{base}/messages?after={first['next_after']}&seen={first['version']}"
    before = settled_reads(server)
    for _ in range(20):
        status, _, idle = call(server, poll, token=token)
        assert (status, idle["unchanged"], idle["messages"]) == (200, True, [])
    assert reads_opened(server) == before, "an idle poll opens no read"
    again = {"text": "Still there?", "client_id": "c-2"}
    assert call(server, f"{base}/messages", "POST", again, token=token)[0] == 200
    moved = call(server, poll, token=token)[2]
    assert not moved["unchanged"] and [m["text"] for m in moved["messages"]] == ["Still there?"]


def test_a_flood_is_refused_with_when_to_try_again_and_not_stored(start_server):
    server = start_server(widget_channel)
    base = f"/api/channels/{server.prepared}/widget"
    token = call(server, f"{base}/visitor", "POST")[2]["token"]
    answers = [
        call(server, f"{base}/messages", "POST", {"text": f"spam {n}", "client_id": f"c-{n}"},
             token=token)
        for n in range(15)
    ]  # fmt: skip
    statuses = [status for status, _, _ in answers]
    assert statuses[:10] == [200] * 10 and 429 in statuses, statuses
    refused = next(answer for answer in answers if answer[0] == 429)
    assert int(refused[1]["retry-after"]) >= 1 and "wait" in refused[2]["error"]
    assert refused[1]["access-control-allow-origin"] == SHOP, "the widget can read the refusal"
    stored = call(server, f"{base}/messages?after=0", token=token)[2]["messages"]
    assert len(stored) == statuses.count(200)
