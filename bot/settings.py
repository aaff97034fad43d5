"""Numeric settings from environment variables: the one parser every module uses.

    env_float("LOCK_STORE_TIMEOUT_SECONDS", 2.0, minimum=0.1)
    env_int("TRUSTED_PROXIES", 0, minimum=0)

What a value gives (the same for `env_float` and `env_int`):

- unset, empty or only white space: ``default``, silently;
- not a number, ``nan`` or ``inf`` (for `env_int` also a number with a fraction, "1.5";
  "2.0" and "1e3" are whole numbers): ``default``, with a warning;
- below ``minimum`` or above ``maximum`` (bounds included): the nearest bound
  (``clamp=True``, the default) or ``default`` (``clamp=False``, for settings where a bound
  is not a useful value, e.g. a timeout of 0), with a warning;
- otherwise the number.

With ``strict=True`` a bad or out-of-range value raises ``ValueError`` instead (for a setting
where a silent substitute would break a promise, e.g. the retention period). ``default``
itself is returned as given, not checked against the bounds.

Warnings and errors name the variable, the bound or the default used, never the value read
(a secret pasted into the wrong variable must not reach the logs); a warning is given once
per problem and value, not on every call (several settings are read per request).

`float_value` and `int_value` read a value from elsewhere by the same rules (a key in
credentials.yml that wins over the environment: bot/channels/sms.py). A setting read by more
than one process lives here too (`retention_days`).

Standard library only: `scripts/supervise.py` and `knowledge/` import this module, and
importing it must not import Rasa or anything else heavy.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Any, Optional, Set, Tuple, Union

log = logging.getLogger(__name__)

Number = Union[int, float]

_warned: Set[Tuple[str, str]] = set()  # (problem, value) already warned of


def env_float(name: str, default: float, minimum: Optional[float] = None,
              maximum: Optional[float] = None, *, clamp: bool = True,
              strict: bool = False) -> float:
    """The number in environment variable ``name`` (see the module docstring), as a float."""
    return float_value(name, os.environ.get(name), default, minimum, maximum, clamp=clamp,
                       strict=strict)


def env_int(name: str, default: int, minimum: Optional[int] = None,
            maximum: Optional[int] = None, *, clamp: bool = True, strict: bool = False) -> int:
    """The whole number in environment variable ``name`` (see the module docstring)."""
    return int_value(name, os.environ.get(name), default, minimum, maximum, clamp=clamp,
                     strict=strict)


def float_value(name: str, raw: Any, default: float, minimum: Optional[float] = None,
                maximum: Optional[float] = None, *, clamp: bool = True,
                strict: bool = False) -> float:
    """`env_float` for a value from elsewhere (a key in credentials.yml, which YAML may give
    as a number): ``raw`` read by the same rules, ``name`` the setting the messages name;
    ``None`` is unset."""
    value = _read(name, raw, default, minimum, maximum, clamp, strict, _parse_float,
                  "a number")
    return float(value)


def int_value(name: str, raw: Any, default: int, minimum: Optional[int] = None,
              maximum: Optional[int] = None, *, clamp: bool = True, strict: bool = False) -> int:
    """`env_int` for a value from elsewhere (see `float_value`)."""
    value = _read(name, raw, default, minimum, maximum, clamp, strict, _parse_int,
                  "a whole number")
    return int(value)


def _parse_float(text: str) -> Optional[float]:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_int(text: str) -> Optional[int]:
    try:
        return int(text)
    except ValueError:
        value = _parse_float(text)
        return int(value) if value is not None and value.is_integer() else None


def _read(name: str, raw: Any, default: Number, minimum: Optional[Number],
          maximum: Optional[Number], clamp: bool, strict: bool, parse, kind: str) -> Number:
    raw = "" if raw is None else str(raw)
    if not raw.strip():
        return default
    value = parse(raw.strip())
    if value is None:
        return _bad(raw, strict, f"{name} is not {kind}", default)
    if minimum is not None and value < minimum:
        return _bad(raw, strict, f"{name} is below {minimum:g}",
                    minimum if clamp else default)
    if maximum is not None and value > maximum:
        return _bad(raw, strict, f"{name} is above {maximum:g}",
                    maximum if clamp else default)
    return value


def _bad(raw: str, strict: bool, problem: str, used: Number) -> Number:
    if strict:
        raise ValueError(problem)
    if (problem, raw) not in _warned:
        _warned.add((problem, raw))
        log.warning("%s; using %g", problem, used)
    return used


# -- settings read in more than one process --------------------------------------------------

DEFAULT_RETENTION_DAYS = 30


def retention_days(*, strict: bool = True) -> float:
    """RETENTION_DAYS (default 30; 0 and fractions allowed): how long conversations (the
    purge, bot/privacy/purge.py) and `make run`'s logs (scripts/supervise.py) are kept.

    Strict (the purge): a value that is not a number or is negative raises ValueError, so the
    purge never deletes by a period nobody set; its scheduled run logs that as «retention
    purge FAILED» (alert on it), the CLI stops. ``strict=False`` (the supervisor's log
    rotation): the default with a warning instead, so a typo does not stop the bot from
    starting; the same typo still fails every purge loudly, and the log files are bounded by
    LOG_BACKUPS daily files anyway."""
    return env_float("RETENTION_DAYS", DEFAULT_RETENTION_DAYS, minimum=0, clamp=False,
                     strict=strict)
