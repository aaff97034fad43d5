"""Hand-over targets and young-mode detection."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from actions.handover import ActionHandover, format_opening, handover_reply
from tests.actions.conftest import custom_of, run_action, text_of

OSLO = ZoneInfo("Europe/Oslo")
# A Tuesday afternoon that is not a public holiday.
TUESDAY = "2026-11-24T14:00:00+01:00"


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch):
    monkeypatch.setenv("HANDOVER_NOW", TUESDAY)


async def test_default_target_is_the_helpline_for_all_relatives(
    tracker, dispatcher, domain_dict, repo
):
    await run_action(ActionHandover(), dispatcher, tracker("asks_for_a_human"), domain_dict)
    custom = custom_of(dispatcher)
    service = repo.service("parorendelinjen")
    assert custom["topic"] == "handover"
    handover = custom["handover"]
    assert handover["service"] == service.name
    assert handover["phone"] == service.phone
    # no sourced opening hours: open_now is null and the reply links the service's page
    assert handover["open_now"] is None and handover["opens"] is None
    assert service.web_url in text_of(dispatcher)
    assert custom["alternatives"], "24/7 alternatives expected when hours are unknown"


async def test_substance_use_goes_to_the_parorendetelefon(tracker, dispatcher, domain_dict, repo):
    await run_action(ActionHandover(), dispatcher, tracker("asks_for_a_human_about_drinking"),
                     domain_dict)
    handover = custom_of(dispatcher)["handover"]
    assert handover["service"] == repo.service("ivareta-parorendetelefonen").name
    assert handover["phone"] == "800 40 567"


async def test_young_user_is_handed_to_a_youth_line(tracker, dispatcher, domain_dict, repo):
    await run_action(ActionHandover(), dispatcher, tracker("young_user_asks_for_a_human"),
                     domain_dict)
    custom = custom_of(dispatcher)
    assert custom["audience"] == "young"
    assert custom["handover"]["service"] == repo.service("kors-pa-halsen").name
    assert "116 111" in text_of(dispatcher)


def test_closed_service_says_when_it_opens(repo):
    """Vern for eldre (verified hours Mon-Fri 09-15) on a Sunday night: closed, opens Monday."""
    if repo.service("vern-for-eldre") is None:
        pytest.skip("service vern-for-eldre not in the knowledge base")
    sunday_night = dt.datetime(2026, 11, 29, 3, 0, tzinfo=OSLO)
    reply = handover_reply(repo, "vern-for-eldre", "adult", sunday_night)
    block = reply["custom"]["handover"]
    assert block["open_now"] is False
    assert block["opens"] == "2026-11-30T09:00:00+01:00"
    assert "åpner igjen i morgen kl. 09:00" in reply["text"]
    assert reply["custom"]["alternatives"]


def test_open_service_says_so(repo):
    if repo.service("vern-for-eldre") is None:
        pytest.skip("service vern-for-eldre not in the knowledge base")
    tuesday = dt.datetime(2026, 11, 24, 10, 0, tzinfo=OSLO)
    reply = handover_reply(repo, "vern-for-eldre", "adult", tuesday)
    assert reply["custom"]["handover"]["open_now"] is True
    assert "åpent nå" in reply["text"]
    assert reply["custom"]["alternatives"] == []


def test_format_opening_in_norwegian():
    now = dt.datetime(2026, 11, 24, 20, 0, tzinfo=OSLO)
    assert format_opening(dt.datetime(2026, 11, 25, 9, 0, tzinfo=OSLO), now) == "i morgen kl. 09:00"
    assert format_opening(dt.datetime(2026, 11, 27, 9, 0, tzinfo=OSLO), now).startswith("fredag")


def test_the_young_page_metadata_makes_the_reply_young_even_before_the_slot_is_set(tracker):
    # the widget's first message can be a payload, which the NLU that sets the slot never sees
    from actions.common import audience

    assert audience(tracker("young_page_first_message")) == "young"
    assert audience(tracker("asks_what_omsorgsstonad_is")) == "adult"
