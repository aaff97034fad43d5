"""Scrub personal identifiers from log records before any handler writes them.

Two ways in, both idempotent:

* `PIIScrubFilter`: a `logging.Filter` for handlers (``filters: [pii]`` in a dictConfig).
* `install()`: wraps the process's log-record factory, so *every* record is scrubbed when it
  is created, whatever handlers Rasa, Sanic or coloredlogs add later. Records are only
  created for enabled levels, so disabled debug logging costs nothing.

Enable it for the servers with the logging config file ``bot/privacy/logging.yml``
(``rasa run --logging-config-file bot/privacy/logging.yml``,
``rasa run actions --logging-config-file bot/privacy/logging.yml``). Importing
`bot.privacy.tracker_store` also calls `install()`.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any, Callable, Optional

from bot.privacy.scrub import scrub

_local = threading.local()
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_installed: dict = {}


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's message and arguments (and traceback text) by a scrubbed,
    pre-formatted message. Safe against re-entry (scrubbing may itself log)."""
    if getattr(record, "_pii_scrubbed", False) or getattr(_local, "busy", False):
        return record
    _local.busy = True
    try:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - bad format args: keep what we can, scrubbed
            message = f"{record.msg} {record.args!r}"
        if "\\u" in message:  # JSON-escaped text (Rasa's structured logs): "p\u00e5 912 …"
            message = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), message)
        record.msg = scrub(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        record._pii_scrubbed = True
    finally:
        _local.busy = False
    return record


class PIIScrubFilter(logging.Filter):
    """Scrubs every record it sees; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


def install() -> PIIScrubFilter:
    """Scrub every log record of this process from now on (idempotent).

    Usable as a dictConfig filter factory (``(): bot.privacy.logs.install``): the call
    installs the record factory and returns a filter for handlers.
    """
    if "factory" not in _installed:
        previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return scrub_record(previous(*args, **kwargs))

        factory._pii_previous = previous  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
        _installed["factory"] = factory
    return PIIScrubFilter()


def uninstall() -> None:
    """Undo `install()` (tests)."""
    factory: Optional[Callable] = _installed.pop("factory", None)
    if factory is not None and logging.getLogRecordFactory() is factory:
        logging.setLogRecordFactory(factory._pii_previous)  # type: ignore[attr-defined]
