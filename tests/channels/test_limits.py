"""Bounded inputs and rate limits shared by the channels (bot/channels/limits.py), the Redis
parts against the real Redis on 127.0.0.1:6379 (database 9, own key prefix)."""

from __future__ import annotations

import json
import socket
import uuid

import pytest

from bot.channels import limits as lim

REDIS_URL = "redis://127.0.0.1:6379/9"


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_prefix():
    """A fresh key prefix in database 9; its keys are removed afterwards."""
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    prefix = f"test-limits-{uuid.uuid4().hex[:8]}"
    yield prefix
    client = redis.Redis(host="127.0.0.1", port=6379, db=9)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


class Clock:
    def __init__(self, t: float = 1_000_020.0):  # 20 s into a 60-s window
        self.t = t

    def __call__(self) -> float:
        return self.t


# -- bounded inputs -----------------------------------------------------------------------


@pytest.mark.parametrize("value,expected", [
    ("abc", "abc"), ("real-0123abcd", "real-0123abcd"), ("a.b:c_d-e", "a.b:c_d-e"),
    (42, "42"), ("x" * 64, "x" * 64),
    ("", None), ("x" * 65, None), ("a b", None), ("a/b", None), ("æøå", None),
    ("a\nb", None), ("a\x00", None), (None, None), (True, None), (1.5, None), ([], None),
    ({"a": 1}, None), (10 ** 100, None), ("abc\n", None),
])
def test_sender_ids(value, expected):
    assert lim.valid_sender_id(value) == expected


@pytest.mark.parametrize("raw,expected", [
    ({"mode": "ung"}, {"mode": "ung"}),
    ({"mode": " Voksen "}, {"mode": "voksen"}),
    ({"mode": "young"}, {"mode": "ung"}),
    ('{"mode": "ung"}', {"mode": "ung"}),
    ({"mode": "ung", "crisis": True, "name": "Kari", "x" * 1000: "y"}, {"mode": "ung"}),
    ({"crisis": {"level": "acute"}}, {}),
    ({"mode": "ung" * 100}, {}),
    ({"mode": ["ung"]}, {}),
    ({"mode": "barn"}, {}),
    ("not json", {}), ("[" * 100_000, {}), (None, {}), ([{"mode": "ung"}], {}), (7, {}),
])
def test_metadata_allow_list(raw, expected):
    assert lim.allowed_metadata(raw) == expected


def test_huge_metadata_text_is_not_parsed():
    raw = json.dumps({"mode": "ung", "pad": "x" * 100_000})
    assert lim.allowed_metadata(raw) == {}


@pytest.mark.parametrize("body", [
    b"[" * 100_000, b"{\"a\":" * 50_000, b"\xff\xfe", b"null", b"[]", b"", b"\"x\"", b"1e999999",
])
def test_json_object_never_raises(body):
    assert lim.json_object(body) is None


def test_json_object_reads_an_object():
    assert lim.json_object(b'{"sender": "a", "message": "hei"}') == {"sender": "a",
                                                                      "message": "hei"}


# -- the client's address ----------------------------------------------------------------


def test_forwarded_for_is_ignored_without_trusted_proxies():
    assert lim.client_address("10.0.0.5", ["1.2.3.4"], proxies=0) == "10.0.0.5"


def test_forwarded_for_counts_from_the_right_behind_trusted_proxies():
    # the client prepends a fake hop; the one trusted proxy appended what it saw
    assert lim.client_address("10.0.0.1", ["6.6.6.6, 203.0.113.9"], proxies=1) == "203.0.113.9"
    assert lim.client_address("10.0.0.1", ["6.6.6.6", "203.0.113.9, 10.0.0.2"],
                              proxies=2) == "203.0.113.9"


def test_a_short_or_bad_forwarded_for_falls_back_to_the_peer():
    assert lim.client_address("10.0.0.1", ["203.0.113.9"], proxies=2) == "10.0.0.1"
    assert lim.client_address("10.0.0.1", ["not-an-ip"], proxies=1) == "10.0.0.1"
    assert lim.client_address(None, [], proxies=0) == "unknown"


def test_ipv6_counts_per_64_and_mapped_ipv4_as_ipv4():
    a = lim.client_address("2001:db8:1:2:aaaa::1", [], proxies=0)
    b = lim.client_address("2001:db8:1:2:bbbb::7", [], proxies=0)
    assert a == b == "2001:db8:1:2::/64"
    assert lim.client_address("::ffff:192.0.2.1", [], proxies=0) == "192.0.2.1"


def test_trusted_proxies_from_env(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    assert lim.client_address("10.0.0.1", ["203.0.113.9"]) == "203.0.113.9"
    monkeypatch.setenv("TRUSTED_PROXIES", "0")
    assert lim.client_address("10.0.0.1", ["203.0.113.9"]) == "10.0.0.1"


def test_peer_from_environ_without_a_request():
    assert lim.peer_from_environ({"REMOTE_ADDR": "192.0.2.7"}) == "192.0.2.7"


# -- the limiter, in memory ----------------------------------------------------------------


def memory_limiter(limits, clock, **kw) -> lim.Limiter:
    return lim.Limiter("test", limits, 60.0, clock=clock,
                       state=lim.SharedState(url="", prefix="p", **kw))


async def test_limit_per_sender_and_per_ip():
    clock = Clock()
    limiter = memory_limiter({"ip": 5, "sender": 3}, clock)
    assert [await limiter.allow(ip="a", sender="s1") for _ in range(4)] == [True] * 3 + [False]
    # a fresh sender each time does not get around the per-address limit
    assert await limiter.allow(ip="a", sender="s2")
    assert not await limiter.allow(ip="a", sender="s3")
    assert await limiter.allow(ip="b", sender="s4")


async def test_the_window_slides():
    clock = Clock()
    limiter = memory_limiter({"sender": 3}, clock)
    for _ in range(3):
        assert await limiter.allow(sender="s")
    assert not await limiter.allow(sender="s")
    clock.t += 60  # the previous window still weighs 2/3: 4 * 2/3 + 1 > 3
    assert not await limiter.allow(sender="s")
    clock.t += 60
    assert await limiter.allow(sender="s")


async def test_first_refusal_once_per_run():
    clock = Clock()
    limiter = memory_limiter({"sender": 2}, clock)
    verdicts = [await limiter.check(sender="s") for _ in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, False, False, False]
    assert [v.first_refusal for v in verdicts] == [False, False, True, False, False]


async def test_limit_zero_is_off():
    limiter = memory_limiter({"ip": 0, "sender": 0}, Clock())
    assert all([await limiter.allow(ip="a", sender="s") for _ in range(100)])


async def test_memory_is_bounded():
    clock = Clock()
    state = lim.SharedState(url="", prefix="p", max_items=50)
    limiter = lim.Limiter("test", {"sender": 1}, 60.0, clock=clock, state=state)
    for i in range(1000):
        await limiter.allow(sender=f"s{i}")
    assert len(state.memory) <= 50


def test_ttl_store_expires():
    clock = Clock()
    store = lim.TTLStore(10, clock=clock)
    assert store.add("k") and not store.add("k")
    clock.t += 11
    assert store.get("k") is None and store.add("k")


# -- Redis -------------------------------------------------------------------------------


async def test_two_processes_share_limits_through_redis(redis_prefix):
    """Two limiters with their own state objects (as two workers have) agree via Redis."""
    clock = Clock()
    a = lim.Limiter("rest", {"ip": 4}, 60.0, clock=clock,
                    state=lim.SharedState(REDIS_URL, redis_prefix))
    b = lim.Limiter("socketio", {"ip": 4}, 60.0, clock=clock,
                    state=lim.SharedState(REDIS_URL, redis_prefix))
    results = [await (a if i % 2 else b).allow(ip="192.0.2.1") for i in range(6)]
    assert results == [True] * 4 + [False] * 2
    import redis

    keys = [k.decode() for k in redis.Redis(host="127.0.0.1", db=9).keys(f"{redis_prefix}:*")]
    assert keys and all("192.0.2.1" not in k for k in keys)  # digests, not addresses
    assert all(redis.Redis(host="127.0.0.1", db=9).ttl(k) > 0 for k in keys)


async def test_once_store_in_redis(redis_prefix):
    state = lim.SharedState(REDIS_URL, redis_prefix)
    first = lim.OnceStore("sms", 60, state=state)
    other = lim.OnceStore("sms", 60, state=lim.SharedState(REDIS_URL, redis_prefix))
    assert await first.first_time("SM123")
    assert not await other.first_time("SM123")
    assert await other.first_time("SM124")


async def test_redis_down_falls_back_to_memory():
    # a port nothing listens on: every call fails fast, the limiter still limits
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    state = lim.SharedState(f"redis://127.0.0.1:{port}/9", "down", timeout=0.2)
    limiter = lim.Limiter("test", {"sender": 2}, 60.0, clock=Clock(), state=state)
    assert [await limiter.allow(sender="s") for _ in range(3)] == [True, True, False]
    once = lim.OnceStore("sms", 60, state=state)
    assert await once.first_time("SM1") and not await once.first_time("SM1")


def test_default_prefix_follows_the_tracker_store(monkeypatch):
    monkeypatch.delenv("RATE_LIMIT_PREFIX", raising=False)
    monkeypatch.setenv("TRACKER_URL", "sqlite:///a.db")
    a = lim.key_prefix()
    monkeypatch.setenv("TRACKER_URL", "sqlite:///b.db")
    assert lim.key_prefix() != a and "sqlite" not in a
    monkeypatch.setenv("RATE_LIMIT_PREFIX", "mine")
    assert lim.key_prefix() == "mine"


def test_web_limiter_settings(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_PER_IP_PER_MIN", "7")
    monkeypatch.setenv("SOCKETIO_RATE_LIMIT_PER_MIN", "5")
    limiter = lim.web_limiter("socketio")
    assert limiter.limits == {"ip": 7, "sender": 5} and limiter.limit == 5


def test_safe_fallback_text_is_the_domain_response_with_113():
    adult, young = lim.safe_fallback_text(), lim.safe_fallback_text(young=True)
    assert "113" in adult and "113" in young and adult != young
    assert adult.startswith("Beklager, jeg får ikke svart ordentlig akkurat nå.")


def test_a_throttled_warning_logs_once_per_interval_with_the_count(caplog):
    import logging

    from bot.channels.limits import ThrottledWarning

    now = [1000.0]
    warn = ThrottledWarning(logging.getLogger("test.throttled"), "%d refused", 60.0,
                            clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="test.throttled"):
        for _ in range(50):
            warn.hit()
        now[0] += 61
        warn.hit()
    lines = [r.getMessage() for r in caplog.records if r.name == "test.throttled"]
    assert lines == ["1 refused", "50 refused"]
