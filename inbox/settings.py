"""Configuration from environment variables, read at call time so tests can set them."""

import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseModel):
    db_path: Path = Field(default=PROJECT_ROOT / "data" / "inbox.duckdb")
    # postgresql://user:password@host:port/name: several app servers share it; db_path is then
    # unused.
    database_url: str | None = None
    poll_seconds: float = Field(default=0.5, gt=0)
    # "browser": the page's browser asks /api/changes and reruns the page on news (the design);
    # "autorefresh": streamlit-autorefresh reruns the whole page every tick, for comparison.
    live_check: Literal["browser", "autorefresh"] = "browser"
    port: int = Field(default=8501, gt=0, lt=65536)
    # The address people open, e.g. https://inbox.example.com behind a reverse proxy: login
    # posts must come from it, and cookies are Secure when it is HTTPS.
    public_url: str | None = None

    @field_validator("public_url")
    @classmethod
    def _origin_only(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("INBOX_PUBLIC_URL must look like https://inbox.example.com")
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("postgresql://", "postgres://")):
            raise ValueError("INBOX_DATABASE_URL must start with postgresql://")
        return url

    @property
    def database(self) -> Path | str:
        """The store to open: the PostgreSQL URL when one is set, else the DuckDB file."""
        return self.database_url or self.db_path

    @property
    def session_key_path(self) -> Path:
        """The cookie signing key lives beside the database, outside git."""
        return self.db_path.with_suffix(".session-key")


def load_settings() -> Settings:
    values: dict[str, str] = {}
    for field, variable in (
        ("db_path", "INBOX_DB_PATH"),
        ("database_url", "INBOX_DATABASE_URL"),
        ("poll_seconds", "INBOX_POLL_SECONDS"),
        ("live_check", "INBOX_LIVE_CHECK"),
        ("port", "INBOX_PORT"),
        ("public_url", "INBOX_PUBLIC_URL"),
    ):
        if os.environ.get(variable):
            values[field] = os.environ[variable]
    return Settings(**values)
