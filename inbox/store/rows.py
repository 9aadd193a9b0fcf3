"""Turning result rows into models."""

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from inbox.store.connection import Cursor

M = TypeVar("M", bound=BaseModel)


def fetch_models(cur: Cursor, model: type[M], sql: str, params: Sequence[Any] = ()) -> list[M]:
    cur.execute(sql, list(params))
    columns = [d[0] for d in cur.description]
    return [model(**dict(zip(columns, row, strict=True))) for row in cur.fetchall()]


def fetch_model(cur: Cursor, model: type[M], sql: str, params: Sequence[Any] = ()) -> M | None:
    found = fetch_models(cur, model, sql, params)
    return found[0] if found else None


def fetch_value(cur: Cursor, sql: str, params: Sequence[Any] = ()) -> Any:
    row = cur.execute(sql, list(params)).fetchone()
    return row[0] if row else None
