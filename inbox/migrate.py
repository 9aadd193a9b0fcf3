"""Move a store to PostgreSQL: every table, row for row, ids kept.

    python -m inbox.migrate --from data/inbox.duckdb --to postgresql://user@host/inbox

Stop the app first (DuckDB's file is held by one process). The target gets the same schema,
then the rows, in one transaction: a failure leaves it as it was. A target that already holds
rows is refused unless `--replace` is given, which deletes them first. Sequences move past the
copied ids, so the next order number follows the last one. The key that signs login cookies
moves too, so people stay logged in.
"""

import argparse
import sys
from pathlib import Path

from inbox.services.login_sessions import SESSION_KEY
from inbox.settings import Settings
from inbox.store import Store, app_secrets
from inbox.store.connection import Cursor
from inbox.store.postgres_engine import is_postgres_url

BATCH = 5_000
KEPT = {"schema_migrations"}  # each store has its own, and the same


class TargetNotEmpty(Exception):
    pass


def tables(cur: Cursor) -> list[str]:
    names = cur.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
        [],
    ).fetchall()
    return [name for (name,) in names if name not in KEPT]


def row_counts(store: Store) -> dict[str, int]:
    with store.read() as cur:
        return {t: cur.execute(f"SELECT count(*) FROM {t}", []).fetchone()[0] for t in tables(cur)}


def copy(source: Store, target: Store, replace: bool = False, session_key: bytes | None = None):
    """Copy every row of source into target; return the target's row counts."""
    with source.read() as read, target.write() as write:
        names = tables(read)
        filled = [
            t for t in tables(write) if write.execute(f"SELECT 1 FROM {t} LIMIT 1", []).fetchone()
        ]
        if filled and not replace:
            raise TargetNotEmpty(
                f"The target already holds rows ({', '.join(filled)}). "
                "Use --replace to delete them and copy again."
            )
        for name in filled:
            write.execute(f"DELETE FROM {name}", [])
        sequences = {
            seq
            for (seq,) in write.execute(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = current_schema()",
                [],
            ).fetchall()
        }
        for name in names:
            read.execute(f"SELECT * FROM {name}", [])
            columns = [d[0] for d in read.description]
            insert = (
                f"INSERT INTO {name} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' for _ in columns)})"
            )
            while rows := read.fetchmany(BATCH):
                write.executemany(insert, rows)
            if f"{name}_id_seq" in sequences:
                _move_sequence_past(write, name)
        if session_key is not None:
            app_secrets.put(write, SESSION_KEY, session_key.hex())
    return row_counts(target)


def _move_sequence_past(cur: Cursor, table: str) -> None:
    cur.execute(
        f"SELECT setval('{table}_id_seq', max(id)) FROM {table} HAVING max(id) IS NOT NULL", []
    )


def _key_file_of(source: str) -> bytes | None:
    if is_postgres_url(source):
        return None
    path = Settings(db_path=Path(source)).session_key_path
    return bytes.fromhex(path.read_text().strip()) if path.exists() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True, help="DuckDB file or URL")
    parser.add_argument("--to", dest="target", required=True, help="postgresql:// URL")
    parser.add_argument(
        "--replace", action="store_true", help="delete what the target holds, then copy"
    )
    args = parser.parse_args(argv)
    if not is_postgres_url(args.target):
        parser.error("--to must be a postgresql:// URL")
    if not is_postgres_url(args.source) and not Path(args.source).exists():
        parser.error(f"{args.source} does not exist")
    source, target = Store(args.source), Store(args.target)
    try:
        before = row_counts(source)
        after = copy(source, target, args.replace, _key_file_of(args.source))
    except TargetNotEmpty as refused:
        print(refused, file=sys.stderr)
        return 1
    finally:
        source.close()
        target.close()
    differ = False
    for name, count in before.items():
        print(f"{name:<16} {count:>9,} rows -> {after.get(name, 0):>9,}")
        differ |= name != "app_secrets" and count != after.get(name, 0)  # the key file joins it
    if differ:
        print("The row counts differ.", file=sys.stderr)
        return 1
    print(f"Copied {sum(before.values()):,} rows to {target.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
