"""The widget's demo front (bot/web/server.py) and socket.io channel (bot/web/channel.py),
without servers or a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.channel import SocketIOInput, parse_origins
from bot.web.server import create_app, csp

WEB = Path(__file__).resolve().parents[2] / "bot" / "web"


@pytest.fixture
async def aiohttp_client():
    clients = []

    async def make(app):
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
def built(tmp_path):
    (tmp_path / "widget.js").write_text("/* widget */")
    (tmp_path / "widget.css").write_text("/* css */")
    return tmp_path


async def test_pages_carry_the_widget_with_its_settings(aiohttp_client, built):
    client = await aiohttp_client(create_app("http://bot.example:5005", "/ut", built))
    adult = await (await client.get("/")).text()
    young = await (await client.get("/ung")).text()
    for body in (adult, young):
        assert 'src="/widget.js"' in body and 'data-server="http://bot.example:5005"' in body
        assert 'data-exit-url="/ut"' in body and '<html lang="nb">' in body
    assert 'data-mode="ung"' in young and 'data-mode' not in adult
    neutral = await client.get("/ut")
    assert neutral.status == 200 and "widget.js" not in await neutral.text()


async def test_security_headers(aiohttp_client, built):
    client = await aiohttp_client(create_app("https://bot.example", None, built))
    r = await client.get("/")
    policy = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "connect-src 'self' https://bot.example wss://bot.example" in policy
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"


async def test_widget_files_and_missing_build(aiohttp_client, built, tmp_path_factory):
    client = await aiohttp_client(create_app("http://localhost:5005", None, built))
    js = await client.get("/widget.js")
    assert js.status == 200 and js.headers["Content-Type"].startswith("text/javascript")
    assert (await client.get("/widget.css")).status == 200
    assert (await (await client.get("/healthz")).json())["widget_built"] is True
    empty = tmp_path_factory.mktemp("nodist")
    client2 = await aiohttp_client(create_app("http://localhost:5005", None, empty))
    r = await client2.get("/widget.js")
    assert r.status == 503 and "npm ci" in await r.text()


def test_default_exit_is_the_fronts_own_neutral_page(monkeypatch, built):
    monkeypatch.delenv("WIDGET_EXIT_URL", raising=False)
    monkeypatch.delenv("BOT_PUBLIC_URL", raising=False)
    monkeypatch.setenv("BOT_PORT", "5999")
    from bot.web.server import BOT_URL_KEY, EXIT_URL_KEY

    app = create_app(dist=built)
    assert app[EXIT_URL_KEY] == "/ut"
    assert app[BOT_URL_KEY] == "http://localhost:5999"


def test_bad_bot_url_fails_early():
    with pytest.raises(ValueError):
        csp("javascript:alert(1)")


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, []),  # unset: no browser origin (fails closed, review L3)
        ("*", None),
        ("", []),
        ("http://localhost:8080", ["http://localhost:8080"]),
        ("http://a.no/, https://b.no", ["http://a.no", "https://b.no"]),
        (["http://a.no", "http://b.no"], ["http://a.no", "http://b.no"]),
    ],
)
def test_parse_origins(value, expected):
    assert parse_origins(value) == expected


def test_channel_checks_origins(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "http://localhost:8080")
    channel = SocketIOInput.from_credentials({"session_persistence": True})
    assert channel.origin_allowed("http://localhost:8080")
    assert channel.origin_allowed(None)  # not a browser
    assert not channel.origin_allowed("http://evil.example")
    explicit = SocketIOInput.from_credentials({"cors_allowed_origins": "*"})
    assert explicit.origin_allowed("http://evil.example")


def test_channel_without_origins_refuses_browsers(monkeypatch, caplog):
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    with caplog.at_level("ERROR", logger="bot.web.channel"):
        channel = SocketIOInput.from_credentials({"session_persistence": True})
    assert "CORS_ORIGINS" in caplog.text
    assert not channel.origin_allowed("http://localhost:8080")
    assert not channel.origin_allowed("")
    assert channel.origin_allowed(None)  # not a browser: CORS is a browser rule


def test_session_ids_are_server_issued():
    from bot.web.channel import new_session_id, valid_session_id

    ids = {new_session_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(valid_session_id(i) for i in ids)
    for bad in (None, "", "x" * 32, "A" * 32, "0" * 31, "0" * 33, "0" * 32 + "\n", 12, "../" * 11):
        assert not valid_session_id(bad), bad


def test_widget_never_parses_bot_text_as_html():
    sources = "\n".join(p.read_text() for p in (WEB / "widget").glob("*.ts"))
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(",
                         sources)


def test_aiohttp_parses_requests_with_its_c_parser():
    """Review L8: aiohttp 3.9.5 is the newest Rasa 3.6 allows (<3.10). Its request-smuggling
    advisories (CVE-2024-52304, CVE-2025-53643) concern only the pure-Python parser, which is
    used when the C extension is missing or AIOHTTP_NO_EXTENSIONS is set: the demo front must
    run on the C parser."""
    import aiohttp.http_parser as parser

    assert parser.HttpRequestParser is getattr(parser, "HttpRequestParserC", None)
