"""Scrub personal identifiers from log records before any handler writes them.

Two ways in, both idempotent:

* `PIIScrubFilter`: a `logging.Filter` for handlers (``filters: [pii]`` in a dictConfig).
* `install()`: wraps the process's log-record factory, so *every* record is scrubbed when it
  is created, whatever handlers Rasa, Sanic or coloredlogs add later. Records are only
  created for enabled levels, so disabled debug logging costs nothing.

Bounded: a message longer than MAX_MESSAGE_CHARS (a traceback longer than MAX_TRACEBACK_CHARS)
is cut before it is scrubbed, so a client cannot make logging slow by sending long values, and
the bound parameters of a failed SQL statement («[parameters: …]» in SQLAlchemy errors: the
scrubbed event JSON, i.e. the user's words) are dropped.

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

MAX_MESSAGE_CHARS = 2000
MAX_TRACEBACK_CHARS = 4000  # the first quarter and the last three quarters are kept
_SQL_PARAMETERS = "[parameters:"
_SQL_PARAMETERS_END = "\n(Background on this error"
PARAMETERS_DROPPED = "[parameters dropped]"


def drop_sql_parameters(text: str) -> str:
    """`text` without SQLAlchemy's «[parameters: …]» (up to its «(Background on this error
    …» line, or to the end). Linear: plain string search."""
    start = text.find(_SQL_PARAMETERS)
    if start < 0:
        return text
    out, pos = [], 0
    while start >= 0:
        out.append(text[pos:start])
        out.append(PARAMETERS_DROPPED)
        end = text.find(_SQL_PARAMETERS_END, start)
        if end < 0:
            pos = len(text)
            break
        pos = end
        start = text.find(_SQL_PARAMETERS, end)
    out.append(text[pos:])
    return "".join(out)


def _bounded(text: str, limit: int, head: int) -> str:
    """`text` cut to about `limit` characters: its first `head` and its last ones."""
    if len(text) <= limit:
        return text
    tail = limit - head
    note = f" … [{len(text) - limit} characters cut]"
    return text[:head] + note + (" … " + text[len(text) - tail:] if tail > 0 else "")


def _clean(text: str, limit: int, head: int) -> str:
    return scrub(_bounded(drop_sql_parameters(text), limit, head))


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
        record.msg = _clean(message, MAX_MESSAGE_CHARS, MAX_MESSAGE_CHARS)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _clean(record.exc_text, MAX_TRACEBACK_CHARS,
                                     MAX_TRACEBACK_CHARS // 4)
        if record.stack_info:
            record.stack_info = _clean(record.stack_info, MAX_TRACEBACK_CHARS,
                                       MAX_TRACEBACK_CHARS // 4)
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
