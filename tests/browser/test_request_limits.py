"""Request bodies are bounded before they are read (finding 4 of issue 6), on every route."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from inbox.services import reply_files
from tests.browser.conftest import post_message
from tests.browser.http import request
from tests.browser.load import PeakMemory, upload

MiB = 1024 * 1024
UPLOAD = "/_stcore/upload_file/session/file"
ROUTES = ["/api/channels/2/messages", "/login", "/logout", UPLOAD, "/nowhere"]


@pytest.mark.parametrize("path", ROUTES)
def test_a_declared_oversized_body_is_refused_before_it_is_read(start_server, path):
    """A file attached to a reply may be as large as the largest a channel takes; nothing
    else is more than a megabyte."""
    server = start_server()
    size = reply_files.upload_limit() + 1 if path == UPLOAD else 64 * MiB
    status, sent = upload(server.port, path, size, chunked=False)
    assert status == 413
    assert sent < 16 * MiB, "the answer came long before the body was sent"


@pytest.mark.parametrize("path", ["/api/channels/2/messages", "/login"])
def test_a_chunked_body_is_cut_off_at_its_limit(start_server, path):
    """Routes that read a body stop at the limit; the others answer without reading it."""
    server = start_server()
    status, sent = upload(server.port, path, 64 * MiB, chunked=True)
    assert status == 413
    assert sent < 16 * MiB


def test_a_flood_of_huge_uploads_barely_moves_the_servers_memory(start_server):
    server = start_server()
    assert post_message(server, 2, "s3", user_id="v", message_id="warm", text="hi")[0] == 201
    jobs = [("/api/channels/2/messages", i % 2 == 0) for i in range(4)]
    jobs += [("/login", i % 2 == 0) for i in range(4)]
    with PeakMemory(server.process.pid) as memory, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda job: upload(server.port, job[0], 256 * MiB, job[1]), jobs))
    print(f"8 parallel 256 MiB uploads: server memory grew by {memory.growth / MiB:.1f} MiB")
    assert [status for status, _ in results] == [413] * 8
    assert memory.growth < 20 * MiB
    assert request(server, "GET", "/api/health").status == 200, "the server keeps serving"


def test_a_body_within_the_limit_still_works(start_server):
    server = start_server()
    status, body = post_message(
        server, 2, "s3", user_id="v", message_id="big", text="x" * 99_000, name="Big"
    )
    assert status == 201 and body["created"]
