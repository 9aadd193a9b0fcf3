"""Malformed request bodies, many and repeatable: hand-picked nasty ones, then mutations."""

import json
import random

NASTY = [
    b"",
    b"{",
    b"[" * 1000 + b"]" * 1000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
    b"[" * 100_000,
    b"\xff\xfe\x00{",
    b"\xef\xbb\xbf{}",
    b"null",
    b"[]",
    b'"text"',
    b"1e999999",
    b"NaN",
    b"-Infinity",
    b"123456789012345678901234567890123456789",
    b'{"text": "\\ud800"}',
    b'{"user_id": {"$gt": ""}, "message_id": [], "text": null}',
    b'{"user_id": 1e999, "message_id": true, "text": 12}',
    b'{"user_id": "a", "message_id": "b", "text": "\\u0000"}',
    b"\x00" * 64,
    '{"text": "\u202egnp.exe"}'.encode(),
    b"user_id=a&text=b",
    b"%%%&&&===",
    b"login=%ZZ&password=%&csrf=\xff",
    b"login=" + b"a" * 9000,
    b"next=//evil.example&login=a&password=b",
]


def mutations(seed_body: bytes, count: int, seed: int) -> list[bytes]:
    """Truncations, flipped and inserted bytes, and values of the wrong type."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        body = bytearray(seed_body)
        kind = rng.randrange(5)
        if kind == 0 and body:
            del body[rng.randrange(len(body)) :]
        elif kind == 1 and body:
            for _ in range(rng.randint(1, 4)):
                body[rng.randrange(len(body))] = rng.randrange(256)
        elif kind == 2:
            position = rng.randrange(len(body) + 1)
            body[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == 3:
            try:
                document = json.loads(seed_body)
                key = rng.choice(list(document))
                document[key] = rng.choice(
                    [None, 0, -1, 1.5, 10**40, True, [], {}, [[[]]], "", " ", "x" * 300]
                )
                body = bytearray(json.dumps(document).encode())
            except (ValueError, AttributeError, IndexError):
                body = bytearray(seed_body[::-1])
        else:
            depth = rng.randint(50, 3000)
            body = bytearray(b"[" * depth + bytes(seed_body) + b"]" * rng.randint(0, depth))
        out.append(bytes(body))
    return out
