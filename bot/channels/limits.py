"""Guard rails shared by the channels (REST, socket.io, SMS): bounded inputs and rate limits a
client cannot dodge.

- ``max_body_bytes()``: the largest request body a channel reads (``MAX_BODY_BYTES``, default
  16 KiB; a message is cut to ``MAX_MESSAGE_CHARS`` anyway, bot/channels/text.py).
- ``json_object(body)``: the body as a JSON object, or None (invalid UTF-8, not JSON, too deeply
  nested, not an object) — never an exception.
- ``valid_sender_id(value)``: the sender id if it matches ``SENDER_ID`` (1–64 of
  ``A-Za-z0-9_.:-``), else None.
- ``allowed_metadata(raw)``: the client's metadata reduced to the allow-list: only ``mode``
  (``ung`` or ``voksen``, what the widget's young page sends). Everything else is dropped,
  a client-sent ``crisis`` key included; keys the server computes are added after this.
- ``peer_address(request)`` / ``peer_from_environ(environ)``: the client's address, with
  ``X-Forwarded-For`` honoured only behind ``TRUSTED_PROXIES`` proxies (default 0: never);
  IPv6 addresses count per /64 (one subscriber's whole network).
- ``Limiter``: sliding-window limits per key (peer address, sender), in Redis when
  ``RATE_LIMIT_REDIS_URL`` or ``LOCK_STORE_URL`` is set (several processes agree), else in a
  bounded in-memory store whose entries expire. When Redis fails at run time the limiter uses
  memory until Redis answers again: a user's turn never fails because of the limiter.
- ``OnceStore``: "seen before?" with expiry (SMS MessageSid replay protection), in the same
  Redis or memory.
- ``web_limiter(channel)``: the limiter of a web channel: per peer address
  (``RATE_LIMIT_PER_IP_PER_MIN``, default 300, one count for REST and socket.io together) and
  per sender (``<CHANNEL>_RATE_LIMIT_PER_MIN``, default 30).

Keys in Redis are ``RATE_LIMIT_PREFIX`` (default: ``parorende:`` plus a digest of
``TRACKER_URL``, so processes that serve the same conversations share limits and separate
deployments or test runs do not) followed by a digest of the client value: no raw address or
id is stored, and every key expires.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import ipaddress
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple

from bot.settings import env_float, env_int

log = logging.getLogger(__name__)

SENDER_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
DEFAULT_MAX_BODY_BYTES = 16 * 1024
MODES = {True: "ung", False: "voksen"}
MAX_MODE_CHARS = 16


# -- bounded inputs --------------------------------------------------------------------------


def max_body_bytes() -> int:
    return env_int("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, minimum=1024)


def json_object(body: Optional[bytes]) -> Optional[Dict[str, Any]]:
    """The body as a JSON object; None for anything else (never raises)."""
    try:
        data = json.loads((body or b"").decode("utf-8", "strict") or "null")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def valid_sender_id(value: Any) -> Optional[str]:
    """``value`` as a sender id when it is one (a str or int matching SENDER_ID), else None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value) if isinstance(value, str) or abs(value) < 10 ** 64 else ""
    return text if SENDER_ID.fullmatch(text) else None


def allowed_metadata(raw: Any) -> Dict[str, str]:
    """The allow-listed part of client metadata (a dict, or its JSON text): ``mode`` only."""
    from bot.understanding.situation import mode_from_metadata

    if isinstance(raw, (str, bytes)):
        raw = json_object(raw.encode("utf-8", "replace") if isinstance(raw, str) else raw) \
            if len(raw) <= max_body_bytes() else None
    if not isinstance(raw, dict):
        return {}
    mode = raw.get("mode")
    if not isinstance(mode, str) or len(mode) > MAX_MODE_CHARS:
        return {}
    young = mode_from_metadata({"mode": mode})
    return {} if young is None else {"mode": MODES[young]}


# -- the client's address --------------------------------------------------------------------


def trusted_proxies() -> int:
    return env_int("TRUSTED_PROXIES", 0, minimum=0)


def _normalised(address: str) -> Optional[str]:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_address(peer: Optional[str], forwarded_for: Sequence[str] = (),
                   proxies: Optional[int] = None) -> str:
    """The client's address: the socket peer, or with ``proxies`` trusted proxies in front,
    the address the outermost trusted proxy saw (``proxies``-th entry of X-Forwarded-For from
    the right). A header with fewer entries than trusted proxies is not trusted."""
    proxies = trusted_proxies() if proxies is None else proxies
    if proxies > 0:
        hops = [h.strip() for value in forwarded_for for h in str(value).split(",") if h.strip()]
        if len(hops) >= proxies:
            found = _normalised(hops[-proxies])
            if found:
                return found
    return _normalised(peer or "") or "unknown"


def peer_address(request: Any) -> str:
    """The client's address for a Sanic request (see ``client_address``)."""
    conn = getattr(request, "conn_info", None)
    peer = getattr(conn, "client_ip", None) or getattr(request, "ip", None) or ""
    headers = getattr(request, "headers", None)
    forwarded = headers.getall("x-forwarded-for", []) if headers is not None else []
    return client_address(peer, forwarded)


def peer_from_environ(environ: Mapping[str, Any]) -> str:
    """The client's address for a socket.io connection (its WSGI-style ``environ``)."""
    request = environ.get("sanic.request")
    if request is not None:
        return peer_address(request)
    forwarded = [environ["HTTP_X_FORWARDED_FOR"]] if environ.get("HTTP_X_FORWARDED_FOR") else []
    return client_address(environ.get("REMOTE_ADDR"), forwarded)


# -- shared state: Redis or bounded memory -------------------------------------------------------


class TTLStore:
    """A small in-memory map with expiry and a size bound (oldest dropped first)."""

    def __init__(self, ttl: float, max_items: int = 10000, clock: Callable[[], float] = None):
        self.ttl = ttl
        self.max_items = max_items
        self.clock = clock or time.monotonic
        self._data: "collections.OrderedDict[str, Tuple[float, Any]]" = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return default
            if item[0] < self.clock():
                del self._data[key]
                return default
            return item[1]

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        with self._lock:
            now = self.clock()
            self._data.pop(key, None)
            self._data[key] = (now + (self.ttl if ttl is None else ttl), value)
            while len(self._data) > self.max_items:
                self._data.popitem(last=False)
            # drop expired entries from the old end
            while self._data:
                k, (exp, _) = next(iter(self._data.items()))
                if exp >= now:
                    break
                del self._data[k]

    def add(self, key: str, ttl: Optional[float] = None) -> bool:
        """Set ``key`` if it is not there (or expired); True when it was set."""
        with self._lock:
            item = self._data.get(key)
            if item is not None and item[0] >= self.clock():
                return False
        self.set(key, True, ttl)
        return True

    def incr(self, key: str, ttl: Optional[float] = None) -> int:
        with self._lock:
            item = self._data.get(key)
            alive = item is not None and item[0] >= self.clock()
            value = (item[1] if alive else 0) + 1
        self.set(key, value, ttl)
        return value

    def pop(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


def redis_url() -> str:
    return (os.environ.get("RATE_LIMIT_REDIS_URL") or os.environ.get("LOCK_STORE_URL")
            or "").strip()


def key_prefix() -> str:
    prefix = (os.environ.get("RATE_LIMIT_PREFIX") or "").strip()
    if prefix:
        return prefix
    tracker = os.environ.get("TRACKER_URL", "")
    return "parorende:" + hashlib.sha256(tracker.encode("utf-8")).hexdigest()[:8]


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:24]


class SharedState:
    """Counters and once-keys in Redis (``url``), or in memory when there is no URL or Redis
    fails. After a failure Redis is tried again after ``retry_seconds``."""

    def __init__(self, url: Optional[str] = None, prefix: Optional[str] = None, *,
                 max_items: int = 100_000, timeout: Optional[float] = None,
                 retry_seconds: float = 30.0, clock: Callable[[], float] = None):
        self.url = redis_url() if url is None else url
        self.prefix = key_prefix() if prefix is None else prefix
        self.timeout = timeout if timeout is not None else env_float(
            "RATE_LIMIT_REDIS_TIMEOUT_SECONDS", 0.5, minimum=0.1)
        self.retry_seconds = retry_seconds
        self.clock = clock or time.monotonic
        self.memory = TTLStore(3600.0, max_items=max_items, clock=self.clock)
        self._client: Any = None
        self._loop: Any = None
        self._down_until = 0.0

    @property
    def uses_redis(self) -> bool:
        return bool(self.url)

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix,) + parts)

    def _redis(self) -> Any:
        """A client bound to the running event loop (redis.asyncio connections are)."""
        if not self.url or time.monotonic() < self._down_until:
            return None
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            import redis.asyncio as aioredis

            from bot.stores.lock_store import parse_redis_url

            self._client = aioredis.Redis(
                **parse_redis_url(self.url), socket_timeout=self.timeout,
                socket_connect_timeout=self.timeout)
            self._loop = loop
        return self._client

    def _failed(self, error: BaseException) -> None:
        if time.monotonic() >= self._down_until:
            log.warning("rate-limit store: Redis unavailable (%s); using memory for %.0f s",
                        type(error).__name__, self.retry_seconds)
        self._down_until = time.monotonic() + self.retry_seconds
        self._client = None

    async def _run(self, work: Callable[[Any], Any]) -> Any:
        """``work(client)`` against Redis within the timeout; None when Redis is not used or
        failed (the caller then uses memory)."""
        client = self._redis()
        if client is None:
            return None
        try:
            return await asyncio.wait_for(work(client), timeout=self.timeout * 2)
        except Exception as error:  # noqa: BLE001 - any Redis failure falls back to memory
            self._failed(error)
            return None

    async def window_counts(self, key: str, index: int, ttl: float) -> Tuple[int, int]:
        """Count one hit in window ``index`` of ``key``; (this window's count, the previous
        window's count)."""
        cur, prev = f"{key}:{index}", f"{key}:{index - 1}"

        async def work(client: Any) -> Tuple[int, int]:
            pipe = client.pipeline(transaction=False)
            pipe.incr(cur)
            pipe.expire(cur, int(ttl) + 1)
            pipe.get(prev)
            n, _, p = await pipe.execute()
            return int(n), int(p or 0)

        found = await self._run(work)
        if found is not None:
            return found
        return self.memory.incr(cur, ttl), int(self.memory.get(prev) or 0)

    async def add_once(self, key: str, ttl: float) -> bool:
        """True the first time ``key`` is added within ``ttl`` seconds."""

        async def work(client: Any) -> bool:
            return bool(await client.set(key, b"1", nx=True, ex=max(1, int(ttl))))

        found = await self._run(work)
        if found is not None:
            # remember it in memory too, so a Redis outage right after does not forget it
            self.memory.set(key, True, ttl)
            return found
        return self.memory.add(key, ttl)


_shared: Dict[Tuple[str, str], SharedState] = {}


def shared_state() -> SharedState:
    """One SharedState per (Redis URL, prefix) in this process."""
    key = (redis_url(), key_prefix())
    if key not in _shared:
        _shared[key] = SharedState(*key)
    return _shared[key]


# -- rate limits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    first_refusal: bool = False  # the first refused hit of a run (answer it; ignore the rest)


class Limiter:
    """Sliding-window limits: at most ``limits[name]`` hits per ``window`` seconds per value
    of each named key (e.g. ``{"ip": 300, "sender": 30}``; a limit ≤ 0 is off).

    The count of the current window plus the previous window's count weighted by how much of
    it still overlaps (the usual sliding-window estimate; two counters per key). Refused hits
    count too, so a client that keeps sending stays refused. Keys in ``shared`` (e.g. "ip")
    are one count across every limiter of this process group; others are per ``name``.
    """

    def __init__(self, name: str, limits: Mapping[str, int], window: float = 60.0, *,
                 shared: Sequence[str] = ("ip",), state: Optional[SharedState] = None,
                 clock: Callable[[], float] = None):
        self.name = name
        self.limits = {k: int(v) for k, v in limits.items()}
        self.window = float(window)
        self.shared = set(shared)
        self.clock = clock or time.time
        self.state = state if state is not None else shared_state()

    @property
    def limit(self) -> int:
        """The per-sender limit (for settings checks and messages)."""
        return self.limits.get("sender", 0)

    async def check(self, **values: Optional[str]) -> Verdict:
        now = self.clock()
        index = int(now // self.window)
        overlap = 1.0 - (now - index * self.window) / self.window
        refused = []  # (estimate, limit) of every rule over its limit
        for rule, value in values.items():
            limit = self.limits.get(rule, 0)
            if limit <= 0 or not value:
                continue
            scope = rule if rule in self.shared else f"{self.name}:{rule}"
            key = self.state.key("rl", scope, digest(str(value)))
            cur, prev = await self.state.window_counts(key, index, self.window * 2)
            estimate = prev * overlap + cur
            if estimate > limit:
                refused.append((estimate, limit))
        if not refused:
            return Verdict(True)
        return Verdict(False, all(estimate - 1 <= limit for estimate, limit in refused))

    async def allow(self, **values: Optional[str]) -> bool:
        return (await self.check(**values)).allowed


def web_limiter(channel: str) -> Limiter:
    """The limiter of a web channel ("rest", "socketio"): per peer address
    (RATE_LIMIT_PER_IP_PER_MIN, default 300) and per sender (<CHANNEL>_RATE_LIMIT_PER_MIN,
    default 30). Use: ``await limiter.allow(ip=peer_address(request), sender=sender_id)``."""
    return Limiter(channel, {
        "ip": env_int("RATE_LIMIT_PER_IP_PER_MIN", 300),
        "sender": env_int(f"{channel.upper()}_RATE_LIMIT_PER_MIN", 30),
    })


class OnceStore:
    """Remembers keys for ``ttl`` seconds: ``await first_time(key)`` is True once."""

    def __init__(self, name: str, ttl: float, state: Optional[SharedState] = None):
        self.name = name
        self.ttl = ttl
        self.state = state if state is not None else shared_state()

    async def first_time(self, value: str) -> bool:
        return await self.state.add_once(self.state.key("once", self.name, digest(value)),
                                         self.ttl)


class ThrottledWarning:
    """A warning about requests anyone can send (bad signatures, refused origins), logged at
    most once per ``interval`` seconds with the count, and never with client-chosen values:
    such requests must neither fill the log nor put attacker text in it."""

    def __init__(self, logger: logging.Logger, message: str, interval: float = 60.0,
                 clock: Callable[[], float] = None):
        self.logger = logger
        self.message = message  # one %d: how many since the last line
        self.interval = interval
        self.clock = clock or time.monotonic
        self._count = 0
        self._logged: Optional[float] = None

    def hit(self) -> None:
        self._count += 1
        now = self.clock()
        if self._logged is None or now - self._logged >= self.interval:
            self.logger.warning(self.message, self._count)
            self._count, self._logged = 0, now


# -- the safe reply when a turn fails -------------------------------------------------------

_SAFE_FALLBACK_MINIMAL = (
    "Beklager, jeg får ikke svart ordentlig akkurat nå. Er noen i fare, ring 113."
)
_safe_texts: Dict[bool, str] = {}


def safe_fallback_text(young: bool = False) -> str:
    """The text of the domain response ``utter_safe_fallback`` (bot/domain/resilience.yml),
    young or adult variant, read once; a minimal text with 113 if the file cannot be read."""
    if young not in _safe_texts:
        text = _SAFE_FALLBACK_MINIMAL
        try:
            from pathlib import Path

            import yaml

            path = Path(__file__).resolve().parents[1] / "domain" / "resilience.yml"
            variants = yaml.safe_load(path.read_text(encoding="utf-8"))["responses"][
                "utter_safe_fallback"]
            for variant in variants:
                if bool(variant.get("condition")) == young and "113" in variant.get("text", ""):
                    text = " ".join(variant["text"].split())
                    break
        except Exception:  # noqa: BLE001 - the minimal text is always a safe answer
            log.exception("could not read utter_safe_fallback; using the minimal text")
        _safe_texts[young] = text
    return _safe_texts[young]
