"""Keeping the message search fast while messages arrive (inbox/store/search_index.py): the
words of new messages join the ones in word order once there are enough of them."""

from inbox.store import Store, search_index


def put_words_in_order(store: Store, at_least: int = search_index.RECENT_AT_MOST) -> int:
    """Move the recent words to the others when they are due; how many moved. It looks in a
    read first; the move is a write no page shows, and no counter moves for it."""
    with store.read() as cur:
        if not search_index.ordering_due(cur, store.engine_name, at_least):
            return 0
    with store.write(shown=False, news=False) as cur:
        return search_index.put_in_order(cur, store.engine_name)
