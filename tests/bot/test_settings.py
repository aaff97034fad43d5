"""bot/settings.py, the one parser of numeric environment variables, and what its callers
make of good, blank, garbage, negative and out-of-range values."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from bot import settings
from bot.settings import env_float, env_int
from tests.servers import ROOT

NAME = "PARORENDE_TEST_SETTING"


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.setattr(settings, "_warned", set())


def test_good_values_are_read(monkeypatch):
    monkeypatch.setenv(NAME, "2.5")
    assert env_float(NAME, 1.0) == 2.5
    monkeypatch.setenv(NAME, " 42 ")
    assert env_int(NAME, 7) == 42
    assert env_float(NAME, 1.0) == 42.0
    monkeypatch.setenv(NAME, "-3")
    assert env_int(NAME, 7) == -3  # no bound, no change (rate limits: <= 0 is "off")


def test_whole_numbers_written_as_floats_are_whole(monkeypatch):
    for text, expected in (("2.0", 2), ("1e3", 1000), ("10_000", 10_000)):
        monkeypatch.setenv(NAME, text)
        assert env_int(NAME, 7) == expected
        assert type(env_int(NAME, 7)) is int


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_unset_or_blank_gives_the_default_silently(monkeypatch, caplog, blank):
    assert env_float(NAME, 1.5) == 1.5
    assert env_int(NAME, 7) == 7
    monkeypatch.setenv(NAME, blank)
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        assert env_float(NAME, 1.5, minimum=2.0) == 1.5  # the default is not clamped
        assert env_int(NAME, 7) == 7
    assert caplog.records == []


@pytest.mark.parametrize("garbage", ["abc", "12abc", "1,5", "nan", "inf", "-inf", "0x10"])
def test_garbage_gives_the_default_with_a_warning(monkeypatch, caplog, garbage):
    monkeypatch.setenv(NAME, garbage)
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        assert env_float(NAME, 1.5, minimum=0.0, maximum=100.0) == 1.5
        assert env_int(NAME, 7, minimum=0) == 7
    assert [r.getMessage() for r in caplog.records] == [
        f"{NAME} is not a number; using 1.5", f"{NAME} is not a whole number; using 7"]


def test_a_fraction_is_not_a_whole_number(monkeypatch):
    monkeypatch.setenv(NAME, "1.5")
    assert env_int(NAME, 7) == 7
    assert env_float(NAME, 7.0) == 1.5


def test_out_of_range_is_clamped_or_gives_the_default(monkeypatch):
    monkeypatch.setenv(NAME, "-5")
    assert env_float(NAME, 2.0, minimum=0.1) == 0.1
    assert env_int(NAME, 2, minimum=1) == 1
    assert env_float(NAME, 2.0, minimum=0.1, clamp=False) == 2.0
    monkeypatch.setenv(NAME, "0")
    assert env_float(NAME, 2.0, minimum=0.1) == 0.1
    assert env_float(NAME, 2.0, minimum=0.0) == 0.0  # the bound itself is in range
    monkeypatch.setenv(NAME, "1.7")
    assert env_float(NAME, 0.6, minimum=0.0, maximum=1.0) == 1.0
    assert env_float(NAME, 0.6, minimum=0.0, maximum=1.0, clamp=False) == 0.6
    monkeypatch.setenv(NAME, "0.8")
    assert env_float(NAME, 0.6, minimum=0.0, maximum=1.0) == 0.8


def test_strict_raises_naming_the_variable_not_the_value(monkeypatch):
    monkeypatch.setenv(NAME, "hunter2")
    with pytest.raises(ValueError, match=f"^{NAME} is not a number$"):
        env_float(NAME, 30.0, minimum=0, strict=True)
    monkeypatch.setenv(NAME, "-1")
    with pytest.raises(ValueError, match=f"^{NAME} is below 0$"):
        env_float(NAME, 30.0, minimum=0, strict=True)
    monkeypatch.setenv(NAME, "nan")
    with pytest.raises(ValueError):
        env_float(NAME, 30.0, minimum=0, strict=True)
    monkeypatch.setenv(NAME, "")
    assert env_float(NAME, 30.0, minimum=0, strict=True) == 30.0
    monkeypatch.setenv(NAME, "1.5")
    assert env_float(NAME, 30.0, minimum=0, strict=True) == 1.5


def test_a_bad_value_is_warned_once_and_never_logged(monkeypatch, caplog):
    secret = "sk-live-0123456789"
    monkeypatch.setenv(NAME, secret)
    with caplog.at_level(logging.DEBUG):
        for _ in range(5):  # read per request: one warning, not five
            assert env_int(NAME, 7) == 7
        monkeypatch.setenv(NAME, "-9")
        assert env_int(NAME, 7, minimum=0) == 0
    assert [r.getMessage() for r in caplog.records] == [
        f"{NAME} is not a whole number; using 7", f"{NAME} is below 0; using 0"]
    assert secret not in caplog.text and "-9" not in caplog.text


def test_importing_it_imports_nothing_heavy():
    """scripts/supervise.py and knowledge/ import it: no Rasa, SQLAlchemy or the like."""
    code = ("import sys; import bot.settings; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'rasa', 'sqlalchemy', 'sanic', 'spacy', 'tensorflow', 'numpy', 'knowledge', "
            "'actions'} or (m.startswith('bot.') and m != 'bot.settings')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip() == "[]"


# -- what the callers make of it -------------------------------------------------------------


def test_message_limits_fall_back_instead_of_failing_every_message(monkeypatch):
    from bot.channels.text import max_chars, max_raw_chars

    monkeypatch.setenv("MAX_MESSAGE_CHARS", "lots")
    monkeypatch.setenv("MAX_RAW_MESSAGE_CHARS", "")
    assert (max_chars(), max_raw_chars()) == (2000, 20000)
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "0")
    monkeypatch.setenv("MAX_RAW_MESSAGE_CHARS", "-1")
    assert (max_chars(), max_raw_chars()) == (2000, 20000)
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "500")
    assert max_chars() == 500


def test_forget_timeout_of_zero_or_garbage_is_the_default(monkeypatch):
    from bot.privacy.forget import DEFAULT_TIMEOUT_SECONDS, forget_timeout

    for bad in ("0", "-3", "soon", "inf", ""):
        monkeypatch.setenv("FORGET_TIMEOUT_SECONDS", bad)
        assert forget_timeout() == DEFAULT_TIMEOUT_SECONDS
    monkeypatch.setenv("FORGET_TIMEOUT_SECONDS", "7.5")
    assert forget_timeout() == 7.5


def test_retention_is_strict_for_the_purge_and_falls_back_for_the_logs(monkeypatch, caplog):
    from bot.privacy import purge

    assert purge.retention_days is settings.retention_days  # one reader, both processes
    monkeypatch.setenv("RETENTION_DAYS", " ")
    assert settings.retention_days() == settings.retention_days(strict=False) == 30
    monkeypatch.setenv("RETENTION_DAYS", "0")
    assert settings.retention_days() == settings.retention_days(strict=False) == 0
    monkeypatch.setenv("RETENTION_DAYS", "1.5")
    assert settings.retention_days() == settings.retention_days(strict=False) == 1.5
    for bad in ("-1", "thirty", "nan"):
        monkeypatch.setenv("RETENTION_DAYS", bad)
        with pytest.raises(ValueError, match="RETENTION_DAYS"):
            settings.retention_days()
        with caplog.at_level(logging.WARNING, logger="bot.settings"):
            assert settings.retention_days(strict=False) == 30  # not 0: logs not wiped
    assert "RETENTION_DAYS is below 0; using 30" in caplog.text
    assert "RETENTION_DAYS is not a number; using 30" in caplog.text


def test_purge_interval_clamps_to_off(monkeypatch):
    from bot.privacy import purge

    monkeypatch.setenv("PURGE_INTERVAL_MINUTES", "-5")
    assert purge.interval_seconds() == 0
    monkeypatch.setenv("PURGE_INTERVAL_MINUTES", "hourly")
    assert purge.interval_seconds() == 3600


def test_values_from_elsewhere_follow_the_same_rules(caplog):
    """float_value / int_value: a credentials.yml key, which YAML may give as a number."""
    assert settings.int_value("k", 4, 10) == 4
    assert settings.int_value("k", 4.0, 10) == 4
    assert settings.float_value("k", 60, 1800.0) == 60.0
    assert settings.float_value("k", " 2.5 ", 1800.0) == 2.5
    assert settings.int_value("k", None, 10) == 10
    assert settings.int_value("k", "  ", 10) == 10
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        assert settings.int_value("k", True, 10) == 10
        assert settings.int_value("k", "4.5", 10) == 10
        assert settings.float_value("k", -3, 1800.0, minimum=1.0) == 1.0
    with pytest.raises(ValueError, match="^k is not a number$"):
        settings.float_value("k", "abc", 30.0, strict=True)
    assert [r.getMessage() for r in caplog.records] == [
        "k is not a whole number; using 10", "k is not a whole number; using 10",
        "k is below 1; using 1"]


def test_action_server_settings(monkeypatch):
    from actions.common import kb_timeout
    from actions.config import settings as action_settings

    for name in ("KB_RELOAD_SECONDS", "HANDOFF_TIMEOUT_SECONDS", "HANDOFF_RETRIES",
                 "KB_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    cfg = action_settings()
    assert (cfg.kb_reload_seconds, cfg.handoff_timeout, cfg.handoff_retries) == (30.0, 5.0, 2)
    assert kb_timeout() == 2.5
    monkeypatch.setenv("KB_RELOAD_SECONDS", "-1")
    monkeypatch.setenv("HANDOFF_TIMEOUT_SECONDS", "0")  # no timeout at all: the default
    monkeypatch.setenv("HANDOFF_RETRIES", "1.5")
    monkeypatch.setenv("KB_TIMEOUT_SECONDS", "0")
    cfg = action_settings()
    assert (cfg.kb_reload_seconds, cfg.handoff_timeout, cfg.handoff_retries) == (0.0, 5.0, 2)
    assert kb_timeout() == 0.1
    monkeypatch.setenv("KB_RELOAD_SECONDS", "5")
    monkeypatch.setenv("HANDOFF_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("HANDOFF_RETRIES", "-1")
    cfg = action_settings()
    assert (cfg.kb_reload_seconds, cfg.handoff_timeout, cfg.handoff_retries) == (5.0, 2.5, 0)


def test_timeouts_have_their_floors(monkeypatch):
    from bot.resilience import action_timeout
    from bot.stores.lock_store import lock_timeout, workers

    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "0")
    monkeypatch.setenv("ACTION_TIMEOUT_AFTER_CRISIS_SECONDS", "garbage")
    assert action_timeout() == 0.2
    assert action_timeout(after_crisis=True) == 0.2  # min(0.2, the default 1.0)
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "6")
    assert action_timeout() == 6.0 and action_timeout(after_crisis=True) == 1.0
    monkeypatch.setenv("LOCK_STORE_TIMEOUT_SECONDS", "-1")
    assert lock_timeout() == 0.1
    monkeypatch.setenv("SANIC_WORKERS", "many")
    assert workers() == 1


def test_request_limits(monkeypatch):
    from bot.channels.limits import max_body_bytes, trusted_proxies, web_limiter

    monkeypatch.setenv("MAX_BODY_BYTES", "10")
    monkeypatch.setenv("TRUSTED_PROXIES", "-2")
    assert (max_body_bytes(), trusted_proxies()) == (1024, 0)
    monkeypatch.setenv("RATE_LIMIT_PER_IP_PER_MIN", "0")  # 0: off, kept as it is
    monkeypatch.setenv("REST_RATE_LIMIT_PER_MIN", "x")
    assert web_limiter("rest").limits == {"ip": 0, "sender": 30}


def test_supervisor_settings(monkeypatch, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("supervise", ROOT / "scripts" / "supervise.py")
    supervise = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(supervise)
    monkeypatch.setenv("LOG_MAX_BYTES", "1e6")
    monkeypatch.setenv("LOG_BACKUPS", "-1")
    monkeypatch.setenv("RETENTION_DAYS", "-1")  # the purge refuses it; the logs keep 30 days
    monkeypatch.setenv("RESTART_MAX_SECONDS", "0")
    monkeypatch.setenv("STOP_TIMEOUT_SECONDS", "never")
    handler = supervise.rotating_log("settings", tmp_path).handlers[0]
    try:
        assert (handler.maxBytes, handler.backupCount) == (1_000_000, 0)
        assert handler.retention_seconds == 30 * 86400
    finally:
        handler.close()
    sup = supervise.Supervisor([], tmp_path)
    assert (sup.max_backoff, sup.stop_timeout) == (1.0, 20.0)
