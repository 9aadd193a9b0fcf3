"""Configuration from environment variables, read at call time so tests can set them."""

import os
from pathlib import Path

from pydantic import BaseModel, Field

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseModel):
    db_path: Path = Field(default=PROJECT_ROOT / "data" / "inbox.duckdb")
    poll_seconds: float = Field(default=2.0, gt=0)
    port: int = Field(default=8501, gt=0, lt=65536)

    @property
    def session_key_path(self) -> Path:
        """The cookie signing key lives beside the database, outside git."""
        return self.db_path.with_suffix(".session-key")


def load_settings() -> Settings:
    values: dict[str, str] = {}
    for field, variable in (
        ("db_path", "INBOX_DB_PATH"),
        ("poll_seconds", "INBOX_POLL_SECONDS"),
        ("port", "INBOX_PORT"),
    ):
        if os.environ.get(variable):
            values[field] = os.environ[variable]
    return Settings(**values)
