"""One function per state change. Each runs in one write transaction and writes its own
system message, so the chat's history can never disagree with its state."""
