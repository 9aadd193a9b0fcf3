"""What the core hands to pages and takes from them. Times are naive UTC."""

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"


class ChatState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class MessageKind(StrEnum):
    CUSTOMER = "customer"
    MANAGER = "manager"
    SYSTEM = "system"


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for the delivery worker
    SENDING = "sending"  # claimed by the worker, on its way
    SENT = "sent"
    FAILED = "failed"  # the channel said no, or kept failing; Retry sends it again
    UNKNOWN = "unknown"  # the server stopped mid-send: it may have arrived; Retry sends again
    DELIVERED = "delivered"  # sent, and on the customer's phone (never stored: delivered_at)
    READ = "read"  # sent, and the customer has read it (never stored: from customer_reads)

    @property
    def can_retry(self) -> bool:
        return self in (DeliveryState.FAILED, DeliveryState.UNKNOWN)


class SystemEvent(StrEnum):
    ASSIGNED = "assigned"
    REASSIGNED = "reassigned"
    UNASSIGNED = "unassigned"
    CLOSED = "closed"
    REOPENED = "reopened"
    RENAMED = "renamed"
    NOTE_ADDED = "note_added"
    SAVED_AS_CUSTOMER = "saved_as_customer"
    LINKED_TO_CUSTOMER = "linked_to_customer"
    ORDER_CREATED = "order_created"
    ORDER_CHANGED = "order_changed"
    REACTED = "reacted"
    UNSUBSCRIBED = "unsubscribed"
    SUBSCRIBED = "subscribed"
    SNOOZED = "snoozed"
    SNOOZE_ENDED = "snooze_ended"


class OrderStatus(StrEnum):
    NEW = "new"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


FINISHED_ORDER_STATUSES = (OrderStatus.COMPLETED, OrderStatus.CANCELLED)


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class User(Record):
    id: int
    login: str
    name: str
    role: Role
    avatar: str | None = None
    active: bool = True

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Shop(Record):
    """The shop's own settings (Settings → Shop)."""

    name: str
    time_zone: str
    # Weekday (0 is Monday) -> opening and closing time ("09:00", "18:00"); a day not in it is
    # closed. None: no hours set, so the shop is never out of hours.
    working_hours: dict[int, tuple[str, str]] | None = None
    changed_by_name: str | None = None
    changed_at: datetime | None = None

    @field_validator("working_hours", mode="before")
    @classmethod
    def _hours_from_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_open(self, now: datetime) -> bool:
        """Whether `now` (naive UTC) falls within the shop's hours, on its own clock."""
        if self.working_hours is None:
            return True
        local = now.replace(tzinfo=UTC).astimezone(self.zone)
        hours = self.working_hours.get(local.weekday())
        return hours is not None and hours[0] <= f"{local:%H:%M}" < hours[1]


class TeamChange(Record):
    """One change to the team, as Settings lists it."""

    id: int
    action: str
    actor_name: str
    summary: str
    created_at: datetime


class Channel(Record):
    """A connected messenger account. Its settings (tokens, secrets) stay in the store."""

    id: int
    kind: str  # a kind in inbox/channels/registry.py
    name: str
    icon: str
    enabled: bool


class Contact(Record):
    """A lead as the channel knows them."""

    id: int
    channel_id: int
    external_id: str
    display_name: str
    handle: str | None = None
    avatar_url: str | None = None
    customer_id: int | None = None


class Team(Record):
    """Settings → Users and access: everyone, every channel, who sees which, recent changes."""

    users: list[User]
    channels: list[Channel]
    grants: list[tuple[int, int]]  # (user id, channel id)
    changes: list[TeamChange]

    def granted(self, user_id: int, channel_id: int) -> bool:
        return (user_id, channel_id) in self.grants


class Customer(Record):
    id: int
    name: str
    phone: str | None = None
    email: str | None = None
    created_at: datetime


class CustomerRow(Record):
    """One row of the Customers page: who, where they write, what they bought (cancelled
    orders left out)."""

    id: int
    name: str
    phone: str | None
    email: str | None
    channels: str | None
    order_count: int
    order_total: Decimal
    last_order_at: datetime | None


class CustomerList(Record):
    rows: list[CustomerRow]
    has_more: bool


class CustomerChat(Record):
    """One of a customer's chats, as their page lists it."""

    chat_id: int
    contact_id: int
    channel_name: str
    channel_icon: str
    display_name: str
    handle: str | None
    state: ChatState
    last_message_at: datetime
    badge: int


class LinkCandidate(BaseModel):
    """A customer found to link a lead to. `masked`: they never wrote in a channel the user
    sees, so their phone and email show only a hint until the lead is linked."""

    id: int
    name: str
    phone: str | None = None
    email: str | None = None
    masked: bool


class LinkCandidates(BaseModel):
    found: list[LinkCandidate]
    has_more: bool


class ChatRow(Record):
    """One row of the chat list, everything it shows without opening the chat."""

    id: int
    name: str
    avatar_url: str | None
    channel_id: int
    channel_name: str
    channel_icon: str
    channel_kind: str  # a kind in inbox/channels/registry.py
    state: ChatState
    assignee_id: int | None
    assignee_name: str | None
    assignee_avatar: str | None
    last_message_at: datetime
    last_customer_at: datetime
    badge: int
    customer_id: int | None
    contact_id: int
    customer_total: Decimal = Decimal("0")  # their orders' sum; read when sorting by it
    last_message_id: int | None = None  # the latest customer or staff message
    snoozed_until: datetime | None = None  # out of Open until then (SPEC T5)
    # Its first line as plain text, and who wrote it: "" for the customer, "You" for the
    # viewer, else the first name of the manager (or the app a reply was sent from).
    last_line: str = ""
    last_by: str = ""
    unseen: bool = False  # news this viewer has not opened since (SPEC C10: a dot)
    # Found by a search: its latest message with the words, and a line of it in pieces, each
    # marked True where it is one of the words.
    found_message_id: int | None = None
    found_excerpt: list[tuple[str, bool]] | None = None

    def without_list_lines(self) -> "ChatRow":
        """The chat as it is read on its own: what only the list shows left out."""
        shown_in_list = ("last_line", "last_by", "unseen", "found_message_id", "found_excerpt")
        return self.model_copy(
            update={name: type(self).model_fields[name].default for name in shown_in_list}
        )


class ChatPage(Record):
    rows: list[ChatRow]
    has_more: bool
    # How many chats each state tab holds under the page's other filters ("open", "snoozed",
    # "closed", "all"); empty where not counted.
    counts: dict[str, int] = {}
    # A search counts each tab up to this many chats: a count above it says "more than this";
    # None: every count is exact.
    counted_up_to: int | None = None


class FileKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    AUDIO = "audio"
    VIDEO = "video"
    STICKER = "sticker"
    PROFILE_PHOTO = "profile_photo"


class Attachment(Record):
    """A file a customer sent; its bytes stay with the channel and are fetched through `url`."""

    id: int
    kind: FileKind
    file_name: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None

    @property
    def url(self) -> str:
        return file_url(self.id)


FILES_PATH = "/api/files/"


def file_url(file_id: int) -> str:
    """Where a logged-in browser gets a channel's file: through our server, never the channel."""
    return f"{FILES_PATH}{file_id}"


def is_our_file(url: str | None) -> bool:
    """A photo the page may show: only one served by us, never an address from elsewhere."""
    return bool(url) and url.startswith(FILES_PATH) and url[len(FILES_PATH) :].isdigit()


class ChannelFile(Record):
    """A channel's file with what fetching it needs: only for the file route, after the access
    check."""

    id: int
    channel_id: int
    channel_kind: str  # a kind in inbox/channels/registry.py
    kind: FileKind
    external_file_id: str
    file_name: str | None = None
    mime_type: str | None = None


class QuotedMessage(Record):
    id: int
    kind: MessageKind
    author_name: str | None
    text: str


class Message(Record):
    id: int
    chat_id: int
    kind: MessageKind
    author_id: int | None
    author_name: str | None
    text: str
    event: SystemEvent | None = None
    reply_to: QuotedMessage | None = None
    external_id: str | None = None
    delivery_state: DeliveryState | None = None
    delivery_error: str | None = None
    attachments: list[Attachment] = []
    edited_at: datetime | None = None
    sent_from: str | None = None  # the kind whose own app a manager sent it from
    template: str | None = None  # the platform's template it was sent as ("name language")
    automatic: bool = False  # the channel's greeting or out-of-hours answer (SPEC CH11)
    created_at: datetime


class Upload(BaseModel):
    """A file a manager attaches to a reply, as the browser handed it over."""

    name: str = Field(max_length=500)
    mime_type: str = Field(default="", max_length=200)
    body: bytes = Field(repr=False)


class OutgoingFile(BaseModel):
    """A file of a reply on its way out, with its bytes."""

    id: int
    kind: FileKind
    file_name: str
    mime_type: str
    body: bytes = Field(repr=False)


class Outgoing(BaseModel):
    """A reply on its way out, with what its channel needs to send it. channel_settings holds
    secrets: it goes to the connector and nowhere else.

    A reply with files may take the platform several calls (`parts`: its text, then each file,
    or the text as the first file's caption). `parts_sent` of them went out before; a connector
    sends the rest through `send_parts`, so a retry never sends a part twice."""

    message_id: int
    chat_id: int
    text: str
    attempts: int
    reply_to_external_id: str | None = None
    reply_to_text: str | None = None
    recipient: str
    channel_id: int
    channel_kind: str  # a kind in inbox/channels/registry.py
    channel_settings: dict[str, Any]
    customer_wrote_at: datetime | None = None  # their last message in the chat
    template: str | None = None  # send as this approved template ("name language")
    files: list[OutgoingFile] = []
    parts_sent: int = 0
    # Told (part number, the platform's id) as each part of a reply in several goes out.
    _part_sent: Any = PrivateAttr(default=None)

    def on_part_sent(self, record: Callable[[int, str | None], None]) -> None:
        self._part_sent = record

    def send_parts(self, parts: list[Callable[[], str | None]]) -> str | None:
        """Send the parts not sent yet, in order; the platform's id for the first part, when it
        was sent now."""
        first = None
        for number, part in enumerate(parts[self.parts_sent :], start=self.parts_sent + 1):
            external_id = part()
            if number == 1:
                first = external_id
            if self._part_sent is not None and len(parts) > 1:
                self._part_sent(number, external_id)
            self.parts_sent = number
        return first

    @field_validator("channel_settings", mode="before")
    @classmethod
    def _from_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class Note(Record):
    id: int
    contact_id: int
    author_id: int
    author_name: str
    text: str
    created_at: datetime


class Product(Record):
    id: int
    name: str
    sku: str | None
    price: Decimal
    active: bool


class OrderLine(Record):
    product_id: int | None
    name: str
    quantity: int
    price: Decimal

    @property
    def amount(self) -> Decimal:
        return self.price * self.quantity


class Order(Record):
    id: int
    customer_id: int
    customer_name: str
    chat_id: int | None
    manager_id: int | None
    manager_name: str | None
    status: OrderStatus
    lines: list[OrderLine]
    delivery_method: str
    delivery_address: str
    delivery_cost: Decimal
    payment_method: str
    paid: bool
    comment: str
    total: Decimal
    created_at: datetime
    updated_at: datetime

    @property
    def number(self) -> str:
        return f"#{self.id}"


class CustomerPage(Record):
    """A customer with everything about them the user may see: their chats in the user's
    channels, the orders from those chats or from no chat, and the notes on those leads."""

    customer: Customer
    chats: list[CustomerChat]
    orders: list[Order]
    notes: list[Note]
    order_count: int
    order_total: Decimal


class OrderRow(Record):
    """One row of the Orders page."""

    id: int
    created_at: datetime
    customer_id: int
    customer_name: str
    chat_id: int | None
    channel_name: str | None
    manager_name: str | None
    status: OrderStatus
    paid: bool
    total: Decimal

    @property
    def number(self) -> str:
        return f"#{self.id}"


class OrderList(Record):
    rows: list[OrderRow]
    has_more: bool
    count: int  # every order the filters match, not only this page
    total: Decimal  # their sum, cancelled orders left out


class ReportRow(Record):
    label: str
    orders: int
    total: Decimal


class ResponseTime(Record):
    manager: str
    chats: int
    median_seconds: float
    average_seconds: float


class Report(Record):
    """Reports (SPEC P3) for one period: order totals in every cut, and first responses."""

    orders: int
    total: Decimal
    by_period: list[ReportRow]
    by_customer: list[ReportRow]
    by_channel: list[ReportRow]
    by_manager: list[ReportRow]
    by_responsible: list[ReportRow]
    first_responses: list[ResponseTime]


class VisitorPage(Record):
    """The page of the shop's site a website visitor last wrote from, as the browser named it."""

    url: str
    title: str
    seen_at: datetime


class CustomerCard(Record):
    """The right column for one chat: the lead, and the customer once saved."""

    chat_id: int
    contact: Contact
    customer: Customer | None
    notes: list[Note]
    active_orders: list[Order]
    order_count: int
    order_total: Decimal
    visitor_page: VisitorPage | None = None


# --- Inputs -------------------------------------------------------------------------------


SEARCH_MAX_LENGTH = 200


class ReplyTemplate(Record):
    key: str  # "name language", as the platform knows it
    label: str
    text: str  # what the conversation shows of it


class ReplyRules(Record):
    """What the reply box knows of the chat's platform: `closes_at` is when it stops taking
    replies (None: never), and `templates` what it still takes after that."""

    app: str
    window: str = ""  # "24 hours"
    closes_at: datetime | None = None
    uses_templates: bool = False  # the platform takes templates once the window has closed
    unsubscribed_at: datetime | None = None  # the customer left the bot: no reply reaches them
    templates: list[ReplyTemplate] = []

    def closed(self, now: datetime) -> bool:
        return self.closes_at is not None and now >= self.closes_at


WEBSITE_VISITOR = "Website visitor"  # the name of a website visitor who gave none


class QuickReply(Record):
    """A saved answer the team shares (SPEC M6); its text may hold variables like
    {customer.first_name}, filled from the chat when inserted."""

    id: int
    title: str
    text: str
    changed_by_name: str | None = None
    changed_at: datetime


class ChatsScreen(Record):
    """All the Chats page shows in one run, read at once (SPEC C, M, T, L)."""

    any_chat: bool  # false: the user's channels have no chat yet
    people: list[User] = []  # who may be chosen in the list's "Handled by"
    page: ChatPage | None = None  # None while the list is collapsed
    chat: ChatRow | None = None
    chat_error: str | None = None  # the open chat is gone or out of reach
    messages: list[Message] = []
    has_earlier: bool = False
    assignable: list[User] = []  # who may be made responsible for the open chat
    card: CustomerCard | None = None
    reply_rules: ReplyRules | None = None  # the open chat's
    shop: Shop | None = None  # its clock says when a snooze ends (with an open chat)
    quick_replies: list[QuickReply] = []  # with an open chat


class ChatFilter(BaseModel):
    """What the chat list is asked for: a tab, an assignee filter, a name search, a page size."""

    # "open" leaves out the snoozed chats, which "snoozed" shows (still open, back later).
    state: Literal["open", "snoozed", "closed", "all"] = "open"
    assignee: Literal["all", "mine", "unassigned"] | int = "all"
    search: str = Field(default="", max_length=SEARCH_MAX_LENGTH)
    channel_id: int | None = None  # None: every channel the user sees
    # "waiting": the customer wrote last (messages after our last reply); "answered": we did.
    answer: Literal["any", "waiting", "answered"] = "any"
    limit: int = Field(default=50, ge=1, le=1000)
    # "recent": the latest customer activity first (SPEC C1); "value": money waiting first,
    # the customer's order total times the messages waiting for a reply.
    order: Literal["recent", "value"] = "recent"

    @field_validator("search")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class OrderLineInput(BaseModel):
    """A product from the catalogue (name and price default from it) or a free line."""

    product_id: int | None = None
    name: str = Field(default="", max_length=300)
    quantity: int = Field(default=1, ge=1, le=100_000)
    price: Money | None = None

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class OrderDraft(BaseModel):
    """The order form: what a manager fills in to create or change an order."""

    lines: list[OrderLineInput] = Field(min_length=1, max_length=200)
    status: OrderStatus = OrderStatus.NEW
    delivery_method: str = Field(default="", max_length=100)
    delivery_address: str = Field(default="", max_length=1000)
    delivery_cost: Money = Decimal("0.00")
    payment_method: str = Field(default="", max_length=100)
    paid: bool = False
    comment: str = Field(default="", max_length=5000)

    @classmethod
    def of(cls, order: "Order") -> "OrderDraft":
        """The form's fields as they are stored for this order."""
        return cls(
            lines=[
                OrderLineInput(
                    product_id=line.product_id,
                    name=line.name,
                    quantity=line.quantity,
                    price=line.price,
                )
                for line in order.lines
            ],
            **{field: getattr(order, field) for field in cls.model_fields if field != "lines"},
        )

    def fields(self) -> dict:
        """Field name -> value, lines included, for comparing one draft with another."""
        return {field: getattr(self, field) for field in type(self).model_fields}


CUSTOMER_SORTS = ("name", "total", "orders", "last_order")


# What an order row stores besides who and when: the form's fields (lines apart, they have
# their own table) and the total computed from them. The service fills exactly these, the
# store writes exactly these, and both forms edit the draft.
ORDER_FIELDS = (*(name for name in OrderDraft.model_fields if name != "lines"), "total")


def order_total(line_amounts: Iterable[Decimal], delivery_cost: Decimal) -> Decimal:
    """The one way an order's total is computed: its lines plus delivery, in cents."""
    return (sum(line_amounts, Decimal("0")) + delivery_cost).quantize(Decimal("0.01"))


class CustomerQuery(BaseModel):
    search: str = Field(default="", max_length=SEARCH_MAX_LENGTH)
    sort: Literal["name", "total", "orders", "last_order"] = "name"
    limit: int = Field(default=50, ge=1, le=1000)

    @field_validator("search")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class OrderQuery(BaseModel):
    """The Orders page's filters. Times are naive UTC; `until` is exclusive."""

    statuses: list[OrderStatus] = Field(default_factory=lambda: list(OrderStatus))
    manager_id: int | None = None
    channel_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(default=100, ge=1, le=1000)


class CustomerInput(BaseModel):
    name: str = Field(max_length=200)
    phone: str = Field(default="", max_length=50)
    email: str = Field(default="", max_length=200)

    @field_validator("name", "phone", "email")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class InboundFile(BaseModel):
    """A file as the channel describes it; the bytes stay with the channel."""

    kind: FileKind
    external_file_id: str = Field(min_length=1, max_length=4000)  # an id, or a file's address
    file_name: str | None = Field(default=None, max_length=500)
    mime_type: str | None = Field(default=None, max_length=200)
    size_bytes: int | None = Field(default=None, ge=0)


class InboundMessage(BaseModel):
    """A customer message as a channel hands it to us: some text, files, or both."""

    channel_id: int
    external_user_id: str = Field(min_length=1, max_length=200)
    display_name: str = Field(default="", max_length=500)
    handle: str | None = Field(default=None, max_length=200)
    avatar_url: str | None = Field(default=None, max_length=2000)
    external_message_id: str = Field(min_length=1, max_length=200)
    text: str
    attachments: list[InboundFile] = Field(default=[], max_length=20)
    page_url: str | None = Field(default=None, max_length=2000)  # where a website visitor is
    page_title: str = Field(default="", max_length=500)
    # Sent by a program, not a person (a bot, an email's Auto-Submitted): never auto-answered.
    automatic: bool = False


class InboundEcho(BaseModel):
    """A message the shop sent to a customer from the platform's own app, as the platform
    tells us of it: stored as staff, "sent from" that app."""

    channel_id: int
    external_user_id: str = Field(min_length=1, max_length=200)  # the customer it went to
    external_message_id: str = Field(min_length=1, max_length=200)
    text: str
    attachments: list[InboundFile] = Field(default=[], max_length=20)
    sent_from: str  # the kind, whose app it was


class InboundRead(BaseModel):
    """The customer has read our replies: up to a time, or up to one message of the platform."""

    channel_id: int
    external_user_id: str = Field(min_length=1, max_length=200)
    up_to: datetime | None = None
    up_to_external_id: str | None = Field(default=None, max_length=200)


class InboundStatus(BaseModel):
    """What became of a reply the platform took: on the customer's phone, read, or failed
    (with the platform's reason). "sent" tells nothing new."""

    channel_id: int
    external_user_id: str = Field(min_length=1, max_length=200)  # the customer it went to
    external_message_id: str = Field(min_length=1, max_length=200)  # the platform's id of it
    status: Literal["sent", "delivered", "read", "failed"]
    reason: str = Field(default="", max_length=1000)


class InboundSubscription(BaseModel):
    """The customer unsubscribed from the shop's bot (the platform delivers nothing to them
    until they write again), or subscribed again."""

    channel_id: int
    external_user_id: str = Field(min_length=1, max_length=200)
    subscribed: bool


class InboundReaction(BaseModel):
    """The customer reacted to a message with an emoji (or took the reaction back: no emoji):
    a short system line, stored once by the platform's id of the reaction."""

    channel_id: int
    external_user_id: str = Field(min_length=1, max_length=200)
    external_message_id: str = Field(min_length=1, max_length=200)
    reacted_to: str = Field(default="", max_length=200)
    emoji: str = Field(default="", max_length=40)


class InboundResult(Record):
    chat_id: int
    message_id: int
    created: bool
    contact_id: int
    new_lead: bool = False  # the first message from this person in this channel
