"""Demo data for a shop selling knitwear: people, channels, leads, conversations and orders.

Everything is made through the services, so the history and the badges are what the app would
have produced. Times are spread over the last days and end shortly before now, so that a demo
shows today's chats with their time and older ones with their date.

    python -m inbox.demo_data [--db PATH] [--if-missing]
"""

import argparse
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from inbox.channels import delivery
from inbox.clock import utc_now
from inbox.models import (
    CustomerInput,
    InboundMessage,
    OrderDraft,
    OrderLineInput,
    OrderStatus,
    Role,
    User,
)
from inbox.services import (
    accounts,
    catalogue,
    conversation,
    inbound,
    leads,
    orders,
    quick_replies,
    shop,
)
from inbox.settings import load_settings
from inbox.store import Store, users
from inbox.store.connection import database_name
from inbox.store.postgres_engine import is_postgres_url

DEMO_PASSWORD = "inbox-demo"

PRODUCTS = [
    ("Merino wool socks", "SOCK-M", "14.90"),
    ("Chunky knit beanie", "BEANIE-C", "29.00"),
    ("Alpaca scarf", "SCARF-A", "59.00"),
    ("Fingerless mittens", "MITT-F", "24.50"),
    ("Cable-knit sweater", "SWEATER-C", "129.00"),
    ("Throw blanket", "BLANKET-T", "89.00"),
    ("Gift card 50", "GIFT-50", "50.00"),
]

# Each conversation alternates customer (C) and manager (M) lines.
CONVERSATIONS = [
    [
        ("C", "Hi! Do you still have the alpaca scarf in grey?"),
        ("M", "Hello! Yes, grey is in stock. Would you like one?"),
        ("C", "Yes please, and how long is delivery to Porto?"),
        ("M", "2–3 working days by courier, 4.90."),
        ("C", "Perfect, let's do it"),
    ],
    [
        ("C", "Hello, what size should I take for the cable-knit sweater? I'm usually an M"),
        ("M", "Our sweaters run a bit large, so an S would fit like a usual M."),
        ("C", "Great, thanks. Can I pay on delivery?"),
    ],
    [
        ("C", "Are the merino socks itchy? My husband hates wool 😅"),
        ("M", "Not at all, merino is very soft. Many customers with sensitive skin love them."),
        ("C", "Then I'll take 3 pairs, size 43"),
        ("M", "Done! I'll prepare the order."),
    ],
    [
        ("C", "Where is my order? It's been a week"),
        ("M", "Sorry for the wait! Let me check the tracking for you."),
        ("M", "It's with the courier and will arrive tomorrow before noon."),
        ("C", "Ok thank you"),
    ],
    [
        ("C", "Do you ship to Germany?"),
    ],
    [
        ("C", "hi"),
        ("C", "is anyone there?"),
        ("C", "I want to buy a gift card for my sister"),
    ],
    [
        ("C", "Can I return the beanie? The colour is not what I expected"),
        ("M", "Of course, returns are free within 30 days. I'll send you a label."),
        ("C", "Thanks, label received"),
    ],
    [
        ("C", "Hello! Do you make custom colours for the throw blanket?"),
        ("M", "We do: any colour from our yarn chart, it takes about 2 weeks."),
        ("C", "Could you send me the chart?"),
        ("M", "Sent to your email just now."),
        ("C", "Beautiful! I'd like the sage green one"),
    ],
    [
        ("C", "Is there a discount if I buy 5 pairs of mittens for my team?"),
        ("M", "Yes, 10% off from 5 items. I can make the order for you."),
    ],
    [
        ("C", "What is the <b>price</b> of the scarf? *bold* `code` ![img](x.png)"),
    ],
    [
        ("C", "Good morning! I ordered socks yesterday, can I add a beanie to the same parcel?"),
        ("M", "Good morning! Yes, I've added it, the parcel leaves today."),
        ("C", "Wonderful, thank you 🙏"),
    ],
    [
        ("C", "Do you have a shop in Lisbon where I can try things on?"),
        ("M", "We're online only, but returns are free, so you can try at home."),
        ("C", "Okay, I'll think about it"),
    ],
]

LEAD_NAMES = [
    "Maria Kowalska", "joão_silva", "Emma Schneider", "Lucas Martin", "Sofia Rossi",
    "Noah Jensen", "Olga Ivanova", "Liam O'Brien", "Chloé Dubois", "Mateo García",
    "Hanna Nowak", "Ines Costa", "Yuki Tanaka", "Pedro Alves", "Clara Weber",
    "Ahmed Hassan", "Elena Popescu", "Tom Baker", "Ana Ferreira", "Mila Horvat",
    "Jonas Berg", "Sara Lind", "Marco Bianchi", "Eva Novak", "Léa Moreau",
    "Diego Ruiz", "Nina Larsen", "Paul Richter", "Rita Sousa", "Igor Petrov",
]  # fmt: skip


# Where the website chat's earlier visitors wrote from: the demo shop, as `make run` serves it.
SHOP_PAGE = {"page_url": "http://localhost:8501/demo/shop", "page_title": "Woolly Fox · knitwear"}
TELEGRAM, WEBSITE, DEMO = "Telegram @woollyfox_bot", "Website chat", "Demo customers"
MESSENGER, INSTAGRAM, WHATSAPP = "Woolly Fox on Facebook", "@woollyfox on Instagram", "WhatsApp"
VIBER = "Woolly Fox on Viber"
# The platforms' channels are simulated: their replies go to the demo's customers, who answer.
# WhatsApp's templates show what a manager may still send after its 24-hour window.
SIMULATED = {"simulated": True, "verify_token": "demo-verify-token"}
WHATSAPP_TEMPLATES = [
    "order_update en_US | Hello! There is news about your Woolly Fox order: reply to see it.",
    "back_in_stock en_US | Good news: what you asked about is back in stock at Woolly Fox.",
]


@dataclass
class DemoLogin:
    login: str
    name: str
    role: Role
    channels: list[str]


DEMO_LOGINS = [
    DemoLogin("admin", "Olivia Admin", Role.ADMIN, ["every channel"]),
    DemoLogin(
        "anna",
        "Anna Petrova",
        Role.MANAGER,
        [TELEGRAM, WEBSITE, DEMO, MESSENGER, INSTAGRAM, WHATSAPP, VIBER],
    ),
    DemoLogin("boris", "Boris Klein", Role.MANAGER, [TELEGRAM, DEMO, INSTAGRAM, WHATSAPP, VIBER]),
]


SHOP_NAME = "Woolly Fox"
QUICK_REPLIES = (
    ("Greeting", "Hello {customer.first_name}! I am {manager.name} of {shop.name}. Can I help?"),
    ("Order status", "Your order {order.number} is {order.status}: {order.total} in all."),
    ("Delivery", "We ship within 1–2 working days, and returns are free within 30 days."),
    ("Sizes", "Our sweaters run true to size. Tell me your height and I'll suggest one."),
    ("Thanks", "Thank you for your order, {customer.first_name}! {shop.name} is glad to have you."),
)


def _later(moment: datetime, rng: random.Random, now: datetime) -> datetime:
    """A few minutes after moment, but never in the future."""
    return min(moment + timedelta(minutes=rng.randint(2, 45)), now - timedelta(seconds=30))


def seed(store: Store, now: datetime | None = None, seed_value: int = 7) -> None:
    """Fill an empty store with the demo shop; DEMO_LOGINS says who can log in."""
    now = now or utc_now()
    rng = random.Random(seed_value)
    people = {
        person.login: accounts.create_user(
            store, person.login, person.name, DEMO_PASSWORD, person.role, avatar
        )
        for person, avatar in zip(DEMO_LOGINS, ("🦉", "🦊", "🐻"), strict=True)
    }
    admin, anna, boris = people["admin"], people["anna"], people["boris"]
    # The bot is there to be connected (Settings → Channels); with no token it has no chats, so
    # that no reply in the demo fails for want of one.
    telegram = accounts.create_channel(store, admin, "telegram", TELEGRAM, "✈️")
    # The demo shop's page (/demo/shop) carries this channel's widget.
    website = accounts.create_channel(store, admin, "website", WEBSITE, "🌐", {
        "origins": [], "title": "Chat with Woolly Fox", "demo_shop": True,
        "greeting": "Hello! Ask us anything about our knitwear, sizes or delivery.",
    })  # fmt: skip
    # A customer message a minute or so, so that a demo shows live traffic (0 turns it off).
    demo = accounts.create_channel(store, admin, "demo", DEMO, "🤖", {"rate": 1.0})
    messenger = accounts.create_channel(store, admin, "messenger", MESSENGER, "💬", SIMULATED)
    instagram = accounts.create_channel(store, admin, "instagram", INSTAGRAM, "📷", SIMULATED)
    whatsapp = accounts.create_channel(store, admin, "whatsapp", WHATSAPP, "🟢", {
        **SIMULATED, "templates": WHATSAPP_TEMPLATES})  # fmt: skip
    viber = accounts.create_channel(store, admin, "viber", VIBER, "💜", SIMULATED)
    for channel in (telegram, website, demo, messenger, instagram, whatsapp, viber):
        accounts.grant_access(store, admin, anna.id, channel.id)
    for channel in (telegram, demo, instagram, whatsapp, viber):
        accounts.grant_access(store, admin, boris.id, channel.id)

    products = [
        catalogue.add_product(store, admin, name, Decimal(price), sku)
        for name, sku, price in PRODUCTS
    ]
    shop.save(store, admin, SHOP_NAME, "Europe/Kyiv", now=now - timedelta(days=10),
              working_hours=shop.parse_hours(["9-18"] * 5 + ["10-15", ""]))  # fmt: skip
    for title, text in QUICK_REPLIES:
        quick_replies.add(store, anna, title, text, now=now - timedelta(days=9))
    channel_cycle = [demo, instagram, website, whatsapp, demo, messenger, viber]
    managers = [anna, boris]
    message_number = 0

    for index, lead_name in enumerate(LEAD_NAMES):
        channel = channel_cycle[index % len(channel_cycle)]
        script = CONVERSATIONS[index % len(CONVERSATIONS)]
        # Later leads wrote more recently: over nine days, the last few in the past hours.
        hours_ago = (len(LEAD_NAMES) - index) ** 1.6 * 0.9 + rng.uniform(0, 0.5)
        moment = now - timedelta(hours=hours_ago)
        replier = managers[index % 2] if channel not in (website, messenger) else anna
        chat_id = None
        for speaker, text in script:
            moment = _later(moment, rng, now)
            if speaker == "C":
                message_number += 1
                result = inbound.receive_customer_message(
                    store,
                    InboundMessage(
                        channel_id=channel.id,
                        external_user_id=f"demo-{index}",
                        display_name=lead_name,
                        handle=lead_name.split()[0].lower() if index % 3 == 0 else None,
                        external_message_id=f"seed-{message_number}",
                        text=text,
                        **(SHOP_PAGE if channel is website else {}),
                    ),
                    now=moment,
                )
                chat_id = result.chat_id
            else:
                reply = conversation.send_reply(store, replier, chat_id, text, now=moment)
                delivery.mark_sent(store, reply.id, now=moment)
        _finish(store, rng, index, chat_id, lead_name, replier, admin, products, moment, now)
    for channel in (website, demo):  # from now on, new chats there are greeted
        accounts.configure_channel(store, admin, channel.id, **AUTO_ANSWERS)


def _finish(
    store, rng, index, chat_id, lead_name, replier: User, admin: User, products, moment, now
):
    """Give some chats a customer, orders, notes, a hand-picked assignee or a closed state."""
    step = lambda: _later(moment, rng, now)  # noqa: E731
    if index % 3 == 1:
        customer_name = lead_name.replace("_", " ").title() if "_" in lead_name else lead_name
        phone = f"+351 9{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
        first_name = unicodedata.normalize("NFKD", customer_name.split()[0]).encode(
            "ascii", "ignore"
        )
        email = first_name.decode().lower() + "@example.com"
        leads.save_as_customer(
            store, replier, chat_id, CustomerInput(name=customer_name, phone=phone, email=email),
            now=step(),
        )  # fmt: skip
        for number in range(1 + index % 2):
            picked = rng.sample(products, k=1 + (index + number) % 3)
            status = list(OrderStatus)[(index + number) % len(OrderStatus)]
            orders.create_order(
                store,
                replier,
                chat_id,
                OrderDraft(
                    lines=[
                        OrderLineInput(product_id=p.id, quantity=1 + rng.randint(0, 2))
                        for p in picked
                    ],
                    status=status,
                    delivery_method="Courier" if index % 2 else "Post",
                    delivery_address=f"Rua das Flores {10 + index}, Porto",
                    delivery_cost=Decimal("4.90"),
                    payment_method="Card" if index % 4 else "Cash on delivery",
                    paid=status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED),
                ),
                now=step(),
            )
    if index % 5 == 2:
        leads.add_note(store, replier, chat_id, "Prefers messages in the evening.", now=step())
    if index % 7 == 3:
        conversation.assign(store, admin, chat_id, replier.id, now=step())
    if index % 6 == 5 and index < 24:
        conversation.close_chat(store, replier, chat_id, now=step())


AUTO_ANSWERS = {
    "auto_greeting": f"Hello from {SHOP_NAME}! A manager will answer you in a few minutes.",
    "auto_away": "Thanks for writing! We are closed now (Mon–Fri 9–18, Sat 10–15, Kyiv time) "
    "and will answer first thing when we open.",
}


def print_logins() -> None:
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        print(
            f"  {login.login:<6} {login.name:<14} {login.role.value:<8} {', '.join(login.channels)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=None,
        help="database file or postgresql:// URL (INBOX_DATABASE_URL, else INBOX_DB_PATH)",
    )
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when the database has people"
    )
    args = parser.parse_args()
    target = args.db or load_settings().database
    exists = _has_people(target) if is_postgres_url(target) else Path(target).exists()
    if exists:
        if args.if_missing:
            print(f"Using the existing database {database_name(target)}.")
            print_logins()
            return
        raise SystemExit(f"{database_name(target)} has data; remove it first or use --if-missing.")
    store = Store(target)
    try:
        seed(store)
    finally:
        store.close()
    print(f"Created the demo database {store.name}.")
    print_logins()


def _has_people(url: str) -> bool:
    store = Store(url)
    try:
        with store.read() as cur:
            return bool(users.list_all(cur))
    finally:
        store.close()


if __name__ == "__main__":
    main()
