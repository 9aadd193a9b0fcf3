"""The schema, as named migrations applied in order, each once.

A new migration goes at the end of MIGRATIONS under a new name; an applied one is never edited.
Times are naive UTC timestamps. Ids come from sequences so that URLs and order numbers stay short.

There are no FOREIGN KEY clauses: DuckDB indexes a foreign-key column and turns an update of an
indexed column into a delete and insert, which it then refuses while other rows refer to the row
(making a chat's assignee responsible would fail once the chat has messages). The services check
every reference inside the same write transaction instead, under the store's single writer lock.
"""

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_users_and_channels",
        """
        CREATE SEQUENCE users_id_seq;
        CREATE TABLE users (
            id            BIGINT PRIMARY KEY DEFAULT nextval('users_id_seq'),
            login         VARCHAR NOT NULL UNIQUE,
            name          VARCHAR NOT NULL,
            role          VARCHAR NOT NULL CHECK (role IN ('admin', 'manager')),
            password_hash VARCHAR NOT NULL,
            avatar        VARCHAR,
            active        BOOLEAN NOT NULL DEFAULT TRUE,
            created_at    TIMESTAMP NOT NULL
        );

        CREATE SEQUENCE channels_id_seq;
        -- settings holds the connector's configuration, secrets included: it never leaves the store
        -- except to the connector itself.
        CREATE TABLE channels (
            id         BIGINT PRIMARY KEY DEFAULT nextval('channels_id_seq'),
            kind       VARCHAR NOT NULL CHECK (kind IN ('telegram', 'http', 'demo')),
            name       VARCHAR NOT NULL,
            icon       VARCHAR NOT NULL,
            settings   JSON NOT NULL DEFAULT '{}',
            enabled    BOOLEAN NOT NULL DEFAULT TRUE,
            created_at TIMESTAMP NOT NULL
        );

        -- Managers see the chats of these channels only; admins see every channel.
        CREATE TABLE channel_access (
            user_id    BIGINT NOT NULL,
            channel_id BIGINT NOT NULL,
            PRIMARY KEY (user_id, channel_id)
        );
        """,
    ),
    (
        "0002_customers_contacts_notes",
        """
        CREATE SEQUENCE customers_id_seq;
        CREATE TABLE customers (
            id         BIGINT PRIMARY KEY DEFAULT nextval('customers_id_seq'),
            name       VARCHAR NOT NULL,
            phone      VARCHAR,
            email      VARCHAR,
            created_at TIMESTAMP NOT NULL
        );

        -- A lead as one channel knows them. Several contacts (one per channel) may link to one
        -- customer once a manager saves or links the lead.
        CREATE SEQUENCE contacts_id_seq;
        CREATE TABLE contacts (
            id           BIGINT PRIMARY KEY DEFAULT nextval('contacts_id_seq'),
            channel_id   BIGINT NOT NULL,
            external_id  VARCHAR NOT NULL,
            display_name VARCHAR NOT NULL,
            handle       VARCHAR,
            avatar_url   VARCHAR,
            customer_id  BIGINT,
            created_at   TIMESTAMP NOT NULL,
            UNIQUE (channel_id, external_id)
        );

        CREATE SEQUENCE notes_id_seq;
        CREATE TABLE notes (
            id         BIGINT PRIMARY KEY DEFAULT nextval('notes_id_seq'),
            contact_id BIGINT NOT NULL,
            author_id  BIGINT NOT NULL,
            text       VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0003_chats_and_messages",
        """
        -- One chat per contact. badge, last_customer_at and last_message_at are derived from
        -- messages and kept in the same transaction as the message that changes them, so the
        -- chat list needs no aggregate over messages.
        CREATE SEQUENCE chats_id_seq;
        CREATE TABLE chats (
            id               BIGINT PRIMARY KEY DEFAULT nextval('chats_id_seq'),
            channel_id       BIGINT NOT NULL,
            contact_id       BIGINT NOT NULL UNIQUE,
            state            VARCHAR NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
            assignee_id      BIGINT,
            badge            INTEGER NOT NULL DEFAULT 0,
            last_customer_at TIMESTAMP NOT NULL,
            last_message_at  TIMESTAMP NOT NULL,
            created_at       TIMESTAMP NOT NULL
        );

        -- external_id is the channel's id of the message; unique per chat so that an update the
        -- channel delivers twice is stored once (Telegram numbers messages per chat).
        CREATE SEQUENCE messages_id_seq;
        CREATE TABLE messages (
            id             BIGINT PRIMARY KEY DEFAULT nextval('messages_id_seq'),
            chat_id        BIGINT NOT NULL,
            kind           VARCHAR NOT NULL CHECK (kind IN ('customer', 'manager', 'system')),
            author_id      BIGINT,
            text           VARCHAR NOT NULL,
            event          VARCHAR,
            reply_to_id    BIGINT,
            external_id    VARCHAR,
            delivery_state VARCHAR CHECK (delivery_state IN ('pending', 'sent', 'failed')),
            delivery_error VARCHAR,
            created_at     TIMESTAMP NOT NULL,
            UNIQUE (chat_id, external_id)
        );
        CREATE INDEX messages_by_chat ON messages (chat_id);
        CREATE INDEX contacts_by_customer ON contacts (customer_id);
        """,
    ),
    (
        "0004_products_and_orders",
        """
        CREATE SEQUENCE products_id_seq;
        CREATE TABLE products (
            id     BIGINT PRIMARY KEY DEFAULT nextval('products_id_seq'),
            name   VARCHAR NOT NULL,
            sku    VARCHAR UNIQUE,
            price  DECIMAL(12, 2) NOT NULL CHECK (price >= 0),
            active BOOLEAN NOT NULL DEFAULT TRUE
        );

        -- Order numbers start at 1001 so that a number never looks like a quantity.
        CREATE SEQUENCE orders_id_seq START 1001;
        CREATE TABLE orders (
            id               BIGINT PRIMARY KEY DEFAULT nextval('orders_id_seq'),
            customer_id      BIGINT NOT NULL,
            chat_id          BIGINT,
            manager_id       BIGINT,
            status           VARCHAR NOT NULL CHECK (status IN
                                 ('new', 'confirmed', 'shipped', 'completed', 'cancelled')),
            delivery_method  VARCHAR NOT NULL DEFAULT '',
            delivery_address VARCHAR NOT NULL DEFAULT '',
            delivery_cost    DECIMAL(12, 2) NOT NULL DEFAULT 0,
            payment_method   VARCHAR NOT NULL DEFAULT '',
            paid             BOOLEAN NOT NULL DEFAULT FALSE,
            comment          VARCHAR NOT NULL DEFAULT '',
            -- Computed from the lines and delivery_cost whenever the order is written; stored so
            -- that lists and reports sum it without reading lines.
            total            DECIMAL(14, 2) NOT NULL,
            created_at       TIMESTAMP NOT NULL,
            updated_at       TIMESTAMP NOT NULL
        );

        -- name and price are copied from the product when the line is written: a later change
        -- of the catalogue does not change an order already taken.
        CREATE TABLE order_lines (
            order_id   BIGINT NOT NULL,
            position   INTEGER NOT NULL,
            product_id BIGINT,
            name       VARCHAR NOT NULL,
            quantity   INTEGER NOT NULL CHECK (quantity > 0),
            price      DECIMAL(12, 2) NOT NULL CHECK (price >= 0),
            PRIMARY KEY (order_id, position)
        );
        CREATE INDEX orders_by_customer ON orders (customer_id);
        """,
    ),
    (
        "0005_login_sessions",
        """
        -- A browser's login. The cookie holds the id, signed; the row makes logout and
        -- deactivation take effect at once.
        CREATE TABLE login_sessions (
            id         VARCHAR PRIMARY KEY,
            user_id    BIGINT NOT NULL,
            created_at TIMESTAMP NOT NULL,
            expires_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0006_deliveries",
        """
        -- The outbox of manager replies: the delivery worker's queue and its record. A reply is
        -- claimed ('sending', committed) before it goes out, so a crash mid-send leaves it
        -- 'unknown' instead of sending it twice; only a manager's Retry sends it again.
        -- messages.delivery_state (0003) is copied here and no longer written: DuckDB can neither
        -- widen its CHECK nor drop the column while an index follows it.
        CREATE TABLE deliveries (
            message_id  BIGINT PRIMARY KEY,
            chat_id     BIGINT NOT NULL,
            state       VARCHAR NOT NULL
                        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
            attempts    INTEGER NOT NULL DEFAULT 0,
            next_try_at TIMESTAMP NOT NULL,
            error       VARCHAR,
            updated_at  TIMESTAMP NOT NULL
        );
        INSERT INTO deliveries (message_id, chat_id, state, next_try_at, error, updated_at)
        SELECT id, chat_id, delivery_state, created_at, delivery_error, created_at
        FROM messages WHERE kind = 'manager' AND delivery_state IS NOT NULL;
        """,
    ),
    (
        "0007_channel_files",
        """
        -- Files a channel holds for us: what a customer sent (photo, document, voice message,
        -- sticker, ...) and a lead's profile photo. We keep the channel's reference, not the
        -- bytes: our server fetches the file from the channel when a logged-in manager opens it,
        -- so the channel's token never reaches a browser.
        CREATE SEQUENCE channel_files_id_seq;
        CREATE TABLE channel_files (
            id               BIGINT PRIMARY KEY DEFAULT nextval('channel_files_id_seq'),
            channel_id       BIGINT NOT NULL,
            message_id       BIGINT,  -- an attachment of this message
            contact_id       BIGINT,  -- or this lead's profile photo
            kind             VARCHAR NOT NULL,
            external_file_id VARCHAR NOT NULL,
            file_name        VARCHAR,
            mime_type        VARCHAR,
            size_bytes       BIGINT,
            created_at       TIMESTAMP NOT NULL
        );
        CREATE INDEX channel_files_by_message ON channel_files (message_id);
        -- A customer who edits a message in the messenger: the stored text is replaced, and this
        -- says when, so the bubble is marked "edited".
        ALTER TABLE messages ADD COLUMN edited_at TIMESTAMP;
        """,
    ),
    (
        "0008_team_changes",
        """
        -- Who changed the team, and when: users added, passwords reset, roles, deactivation,
        -- channel access. `summary` is written in words at the time, so it still reads right
        -- after a rename.
        CREATE SEQUENCE team_changes_id_seq;
        CREATE TABLE team_changes (
            id         BIGINT PRIMARY KEY DEFAULT nextval('team_changes_id_seq'),
            actor_id   BIGINT NOT NULL,
            user_id    BIGINT NOT NULL,
            channel_id BIGINT,
            action     VARCHAR NOT NULL,
            summary    VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0009_app_secrets",
        """
        -- Secrets every app server on this database shares: on PostgreSQL, the key that signs
        -- login cookies lives here, so a login made through one server holds on all of them.
        -- (On DuckDB the key stays in its file beside the database.)
        CREATE TABLE app_secrets (
            name  VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        );
        """,
    ),
    (
        "0010_leases_and_claimers",
        """
        -- Work that one server of several does at a time (polling a Telegram bot, the demo's
        -- customers): held by one server until it expires or is let go.
        CREATE TABLE leases (
            name       VARCHAR PRIMARY KEY,
            holder     VARCHAR NOT NULL,
            expires_at TIMESTAMP NOT NULL
        );
        -- The server sending a claimed reply: when it is gone, the reply's fate is unknown.
        ALTER TABLE deliveries ADD COLUMN claimed_by VARCHAR;
        """,
    ),
    (
        "0011_channel_problems",
        """
        -- What goes wrong receiving from a channel (a Telegram bot's polling), for Settings:
        -- whichever server polls, the administrator sees it on any server. Gone once it works.
        CREATE TABLE channel_problems (
            channel_id BIGINT PRIMARY KEY,
            problem    VARCHAR NOT NULL,
            noticed_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0012_chat_list_order_postgresql",
        """
        -- The chat list's order: PostgreSQL walks it to the first page instead of sorting every
        -- chat (100k chats: 30 ms to 2 ms).
        CREATE INDEX chats_by_activity ON chats (last_customer_at DESC, id DESC);
        """,
    ),
    (
        "0013_channel_kind_as_text",
        """
        -- A channel's kind is checked by inbox/channels/registry.py, so that a new kind needs no
        -- migration. DuckDB cannot drop a CHECK: the table is built again without it, once.
        CREATE TABLE channels_without_check (
            id         BIGINT PRIMARY KEY DEFAULT nextval('channels_id_seq'),
            kind       VARCHAR NOT NULL,
            name       VARCHAR NOT NULL,
            icon       VARCHAR NOT NULL,
            settings   JSON NOT NULL DEFAULT '{}',
            enabled    BOOLEAN NOT NULL DEFAULT TRUE,
            created_at TIMESTAMP NOT NULL
        );
        INSERT INTO channels_without_check (id, kind, name, icon, settings, enabled, created_at)
        SELECT id, kind, name, icon, settings, enabled, created_at FROM channels;
        DROP TABLE channels;
        ALTER TABLE channels_without_check RENAME TO channels;
        """,
    ),
    (
        "0014_customer_reads_and_visitor_pages",
        """
        -- How far a customer has read a chat (the website widget tells us), and the page a
        -- website visitor wrote from. Both one row per chat / contact, moved forward in place.
        CREATE TABLE customer_reads (
            chat_id    BIGINT PRIMARY KEY,
            message_id BIGINT NOT NULL,
            read_at    TIMESTAMP NOT NULL
        );
        CREATE TABLE visitor_pages (
            contact_id BIGINT PRIMARY KEY,
            url        VARCHAR NOT NULL,
            title      VARCHAR NOT NULL,
            seen_at    TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0015_kept_files_and_messages_sent_elsewhere",
        """
        -- The bytes of files whose channel addresses expire (Meta's attachment links): fetched
        -- when the message arrives and kept here, so every server of the team can serve them.
        CREATE TABLE kept_files (
            file_id BIGINT PRIMARY KEY,
            body    BYTEA NOT NULL,
            kept_at TIMESTAMP NOT NULL
        );
        -- A reply a manager sent from the platform's own app (the kind's name): shown as staff,
        -- "sent from Instagram", never as the customer's.
        ALTER TABLE messages ADD COLUMN sent_from VARCHAR;
        """,
    ),
    (
        "0016_delivered_replies_and_templates",
        """
        -- When the platform said a reply reached the customer's phone (WhatsApp's "delivered"):
        -- a reply stays 'sent' and shows ✓✓ delivered, then ✓✓ read from customer_reads.
        ALTER TABLE deliveries ADD COLUMN delivered_at TIMESTAMP;
        -- The platform's approved template a reply was sent as ("name language"), for
        -- platforms that take only templates once their reply window has closed (WhatsApp).
        ALTER TABLE messages ADD COLUMN template VARCHAR;
        """,
    ),
    (
        "0017_unsubscribed_chats",
        """
        -- When the customer unsubscribed from the bot (Viber): the platform delivers no reply
        -- while this is later than their last message, so replies are refused before sending.
        ALTER TABLE chats ADD COLUMN unsubscribed_at TIMESTAMP;
        """,
    ),
    (
        "0018_message_search",
        """
        -- The words of customer and staff messages (inbox/store/search_index.py): a word's
        -- number is a hash of the word, so a message's words are written without a look-up.
        CREATE TABLE search_words (
            id   BIGINT PRIMARY KEY,
            word VARCHAR NOT NULL
        );
        CREATE TABLE message_words (
            word_id    BIGINT NOT NULL,
            message_id BIGINT NOT NULL,
            chat_id    BIGINT NOT NULL
        );
        """,
    ),
    (
        "0019_message_search_postgresql",
        """
        -- DuckDB scans these; PostgreSQL reads them by index, a word's rows from the index
        -- alone (they are all in it), grouped by chat.
        CREATE INDEX search_words_by_word ON search_words (word text_pattern_ops);
        CREATE INDEX message_words_by_word ON message_words (word_id, chat_id, message_id);
        """,
    ),
    (
        "0020_last_messages_and_views",
        """
        -- The chat's latest customer or staff message, for the list's line of it (SPEC C10);
        -- kept in the same transaction as the message, as badge is.
        ALTER TABLE chats ADD COLUMN last_message_id BIGINT;
        UPDATE chats SET last_message_id = (
            SELECT max(m.id) FROM messages m WHERE m.chat_id = chats.id AND m.kind <> 'system'
        );
        -- Up to which message each user has seen each chat: a later one marks the chat in
        -- their list (a dot), whatever the team's badge says.
        CREATE TABLE chat_views (
            user_id         BIGINT NOT NULL,
            chat_id         BIGINT NOT NULL,
            seen_message_id BIGINT NOT NULL,
            PRIMARY KEY (user_id, chat_id)
        );
        """,
    ),
    (
        "0021_contact_search_keys",
        """
        -- What the chat list's search looks in for a lead (inbox/search.py name_key): their
        -- names, handle, email and phone digits, case-folded in one column, so that a search
        -- scans one column of one table instead of five through two joins.
        ALTER TABLE contacts ADD COLUMN search_key VARCHAR;
        """,
    ),
    (
        "0022_contact_search_keys_postgresql",
        """
        -- A name search looks for part of a word (LIKE '%…%'): trigrams find it by index.
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX contacts_by_search_key ON contacts USING gin (search_key gin_trgm_ops);
        """,
    ),
    (
        "0023_shop",
        """
        -- The shop itself, one row: its name (for quick replies) and its time zone (snoozes
        -- until "tomorrow 9:00", working hours), set by administrators; until then the
        -- defaults of inbox/store/shop.py.
        CREATE TABLE shop (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            name       VARCHAR NOT NULL,
            time_zone  VARCHAR NOT NULL,
            changed_by BIGINT,
            changed_at TIMESTAMP
        );
        """,
    ),
    (
        "0024_snoozes",
        """
        -- Until when a chat is snoozed (SPEC T5): out of the Open tab, back then.
        ALTER TABLE chats ADD COLUMN snoozed_until TIMESTAMP;
        """,
    ),
    (
        "0025_snoozes_postgresql",
        """
        -- The workers ask for the next snooze to end after every write.
        CREATE INDEX chats_by_snooze ON chats (snoozed_until) WHERE snoozed_until IS NOT NULL;
        """,
    ),
    (
        "0026_quick_replies",
        """
        -- Saved answers the whole team shares (SPEC M6), with who changed each one last.
        CREATE SEQUENCE quick_replies_id_seq;
        CREATE TABLE quick_replies (
            id         BIGINT PRIMARY KEY DEFAULT nextval('quick_replies_id_seq'),
            title      VARCHAR NOT NULL,
            text       VARCHAR NOT NULL,
            changed_by BIGINT NOT NULL,
            changed_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0027_reply_files",
        """
        -- A reply with files may take its platform several calls (SPEC M5): how many went out,
        -- so a retry goes on from there and never sends one twice. The files' bytes are kept in
        -- kept_files, under channel_files rows of the reply.
        ALTER TABLE deliveries ADD COLUMN parts_sent INTEGER DEFAULT 0;
        -- The platform's id of each part after the first (which is the message's external_id):
        -- its echo, its "delivered" and its "read" are the reply's.
        CREATE TABLE reply_parts (
            message_id  BIGINT NOT NULL,
            chat_id     BIGINT NOT NULL,
            external_id VARCHAR NOT NULL
        );
        CREATE INDEX reply_parts_by_external_id ON reply_parts (external_id);
        """,
    ),
    (
        "0028_automatic_replies",
        """
        -- A channel's greeting or out-of-hours answer, sent by the inbox itself (SPEC CH11):
        -- shown as "automatic", it makes nobody responsible and leaves the badge.
        ALTER TABLE messages ADD COLUMN automatic BOOLEAN;
        -- The shop's working hours, for the out-of-hours answer: JSON, weekday (0 is Monday)
        -- -> ["09:00", "18:00"]; a day not in it is closed; NULL: no hours set.
        ALTER TABLE shop ADD COLUMN working_hours VARCHAR;
        """,
    ),
    (
        "0029_recent_message_words",
        """
        -- New messages' words (inbox/store/search_index.py): kept apart until there are enough
        -- of them to join message_words, which is kept in word order.
        CREATE TABLE recent_message_words (
            word_id    BIGINT NOT NULL,
            message_id BIGINT NOT NULL,
            chat_id    BIGINT NOT NULL
        );
        """,
    ),
    (
        "0030_recent_message_words_postgresql",
        """
        CREATE INDEX recent_message_words_by_word
            ON recent_message_words (word_id, chat_id, message_id);
        """,
    ),
    (
        "0031_message_words_in_word_order_duckdb",
        """
        -- DuckDB keeps the lowest and highest value of each block of rows it stores: in word
        -- order, a search reads only the blocks that hold its words (1 ms, not 9, at 9M rows).
        CREATE TABLE message_words_in_order AS
            SELECT * FROM message_words ORDER BY word_id, chat_id, message_id;
        DROP TABLE message_words;
        ALTER TABLE message_words_in_order RENAME TO message_words;
        """,
    ),
]

# Not on DuckDB, which turns the update of an indexed row into a delete and an insert (see the
# top of this file), and the columns of 0012 change with every message; it reads the chat list
# fast enough without them.
POSTGRESQL_ONLY = {
    "0012_chat_list_order_postgresql",
    "0019_message_search_postgresql",
    "0022_contact_search_keys_postgresql",
    "0025_snoozes_postgresql",
    "0030_recent_message_words_postgresql",
}
# Only on DuckDB, which has no index for these: PostgreSQL reads them by index in any order.
DUCKDB_ONLY = {"0031_message_words_in_word_order_duckdb"}


def applies(name: str, engine: str) -> bool:
    """Whether the migration of this name is one for this engine."""
    return not (
        (name in POSTGRESQL_ONLY and engine != "postgresql")
        or (name in DUCKDB_ONLY and engine != "duckdb")
    )


def _index_stored_messages(cur) -> None:
    from inbox.store import search_index  # it needs the store, which needs this module

    search_index.backfill(cur)


def _key_stored_contacts(cur) -> None:
    from inbox.store import contacts  # it needs the store, which needs this module

    contacts.backfill_search_keys(cur)


# Steps in Python after a migration: what was stored before the search could find it.
AFTER = {
    "0018_message_search": _index_stored_messages,
    "0021_contact_search_keys": _key_stored_contacts,
}


def apply_migrations(cur, engine: str = "duckdb") -> list[str]:
    """Apply the migrations this database has not seen yet; return their names."""
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    done = {name for (name,) in cur.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done or not applies(name, engine):
            continue
        cur.execute(sql)
        if name in AFTER:
            AFTER[name](cur)
        cur.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
        applied.append(name)
    return applied
