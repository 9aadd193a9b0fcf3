"""The only place with SQL."""

from inbox.store.connection import Cursor, Store, close_store, get_store

__all__ = ["Cursor", "Store", "close_store", "get_store"]
