"""Errors a service raises; their message is safe to show to the person who acted."""


class InboxError(Exception):
    """Base for errors a page can show as they are."""


class NotFound(InboxError):
    """The thing does not exist, or the user may not see it (we do not say which)."""


class PermissionDenied(InboxError):
    """The user is known but not allowed to do this."""


class InvalidInput(InboxError):
    """The input breaks a rule; the message says which."""


class Busy(InboxError):
    """The database refused a write because of a concurrent one; trying again helps."""


TRY_AGAIN = "Someone changed this at the same moment. Please try again."


class ChangedMeanwhile(InboxError):
    """The stored value moved since the page showed it, so nothing was changed: a page drawn
    before someone else's change never undoes it (SPEC R2)."""
