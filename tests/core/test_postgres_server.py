"""The PostgreSQL that tests start (`tests/postgres_server.py`): a real server, on 127.0.0.1
only, started by `make test` on a fresh machine as on this one."""

import psycopg


def test_the_test_postgresql_serves_on_127_0_0_1_only(postgres_url):
    with psycopg.connect(postgres_url) as connection:
        (listening,) = connection.execute("SHOW listen_addresses").fetchone()
        (version,) = connection.execute("SHOW server_version_num").fetchone()
    assert listening == "127.0.0.1"
    assert int(version) >= 150000
