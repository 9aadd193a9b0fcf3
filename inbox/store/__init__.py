"""The only place with SQL."""

from inbox.store.connection import Cursor, Store, app_store, close_store, get_store

__all__ = ["Cursor", "Store", "app_store", "close_store", "get_store"]
