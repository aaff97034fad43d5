"""Service records: what the facts allow, opening hours, holidays, the snapshot fallback."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from knowledge import facts, services

OSLO = ZoneInfo("Europe/Oslo")
needs_facts = pytest.mark.skipif(not facts.facts_available(), reason="../shared/facts not found")


@pytest.fixture(scope="module")
def by_id():
    data, _ = services.service_data()
    return {d["id"]: services.service_from_dict(d) for d in data}


def test_scheduled_hours_weekday_evening_weekend(by_id):
    vern = by_id["vern-for-eldre"]  # Mon-Fri 09-15, verified
    assert vern.open_now(dt.datetime(2026, 11, 23, 10, 0, tzinfo=OSLO)) is True  # Monday
    assert vern.open_now(dt.datetime(2026, 11, 23, 15, 0, tzinfo=OSLO)) is False  # closes 15:00
    assert vern.open_now(dt.datetime(2026, 11, 28, 10, 0, tzinfo=OSLO)) is False  # Saturday
    assert vern.next_opening(dt.datetime(2026, 11, 28, 10, 0, tzinfo=OSLO)) == dt.datetime(
        2026, 11, 30, 9, 0, tzinfo=OSLO
    )


def test_public_holidays_are_closed(by_id):
    vern = by_id["vern-for-eldre"]
    assert (
        vern.open_now(dt.datetime(2027, 5, 17, 10, 0, tzinfo=OSLO)) is False
    )  # Grunnlovsdag (Monday)
    assert (
        vern.open_now(dt.datetime(2026, 12, 25, 10, 0, tzinfo=OSLO)) is False
    )  # 1. juledag (Friday)
    # Thursday 24 Dec after closing -> 25/26 holidays, 27 Sunday -> Monday 28 Dec 09:00
    assert vern.next_opening(dt.datetime(2026, 12, 24, 16, 0, tzinfo=OSLO)) == dt.datetime(
        2026, 12, 28, 9, 0, tzinfo=OSLO
    )


def test_extra_closed_dates_from_overlay(by_id):
    bek = by_id["bekymringstelefonen"]  # closed julaften per the facts
    assert bek.open_now(dt.datetime(2026, 12, 24, 10, 0, tzinfo=OSLO)) is False
    assert bek.open_now(dt.datetime(2026, 12, 23, 10, 0, tzinfo=OSLO)) is True


def test_round_the_clock_lines_open_on_holidays(by_id):
    christmas = dt.datetime(2026, 12, 25, 3, 0, tzinfo=OSLO)
    assert by_id["legevakt-116117"].open_now(christmas) is True
    assert by_id["kirkens-sos"].open_now(christmas) is True


def test_chat_hours_crossing_midnight(by_id):
    alarm = by_id["alarmtelefonen-116111"]  # chat Sun-Fri 16:15-22:45, Sat to 23:45
    assert (
        alarm.open_now(dt.datetime(2026, 11, 28, 23, 30, tzinfo=OSLO), channel="chat") is True
    )  # Saturday
    assert (
        alarm.open_now(dt.datetime(2026, 11, 27, 23, 30, tzinfo=OSLO), channel="chat") is False
    )  # Friday


def test_no_sourced_hours_gives_none(by_id):
    for sid in ("parorendelinjen", "ivareta-parorendetelefonen", "kors-pa-halsen", "nodnummer-113"):
        s = by_id[sid]
        assert s.open_now(dt.datetime(2026, 11, 23, 12, 0, tzinfo=OSLO)) is None, sid
        assert s.next_opening(dt.datetime(2026, 11, 23, 12, 0, tzinfo=OSLO)) is None, sid


def test_naive_datetime_is_oslo_time(by_id):
    vern = by_id["vern-for-eldre"]
    assert vern.open_now(dt.datetime(2026, 11, 23, 9, 30)) is True
    # 08:30 UTC is 09:30 in Oslo in November
    assert vern.open_now(dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.timezone.utc)) is True


@needs_facts
def test_phone_rules_follow_the_facts(by_id):
    assert by_id["lpp-radgivningstelefon"].phone == "22 49 19 22"  # conflict -> pick
    assert by_id["lpp-radgivningstelefon"].phone_status == "conflict"
    assert by_id["parorendelinjen"].phone == "90 90 48 48"
    assert by_id["pasient-og-brukerombudet"].phone is None  # phone field unverified
    assert by_id["demenslinjen"].phone is None  # not found
    assert by_id["rusinfo"].phone is None
    assert by_id["kirkens-sos"].channel_hours("chat") is None  # chat hours in conflict
    assert (
        by_id["mental-helse-hjelpetelefonen"].channel_hours("chat") is None
    )  # chat hours unverified
    assert by_id["mental-helse-hjelpetelefonen"].channel_hours("phone").always


def test_every_service_has_norwegian_text_and_topics(by_id):
    from knowledge import TOPICS

    for s in by_id.values():
        assert s.offers_no, s.id
        assert s.topics and set(s.topics) <= set(TOPICS), s.id


def test_snapshot_used_when_shared_is_absent(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_DIR", str(tmp_path / "nowhere"))
    data, origin = services.service_data()
    assert origin == "snapshot"
    assert {d["id"] for d in data} >= {"parorendelinjen", "nodnummer-113", "kors-pa-halsen"}
