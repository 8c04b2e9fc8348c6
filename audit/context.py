"""Per-request context (client IP) that services read when they write audit events."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
