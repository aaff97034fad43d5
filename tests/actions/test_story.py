"""Replying to a story: the situation sentence and the services that fit."""

from __future__ import annotations

import pytest

from actions import story


def test_the_copy_file_loads_and_covers_every_relation_and_condition_for_both_audiences():
    c = story.copy()
    for aud in ("adult", "young"):
        assert set(c["relation"][aud]) == set(c["relation"]["adult"])
        assert set(c["condition"][aud]) == set(c["condition"]["adult"])
        assert c["no_answer"][aud] and c["services_intro"][aud] and c["no_answer_choices"][aud]


def test_situation_sentence_names_relation_and_condition():
    s = story.situation_sentence({"relation": "far", "conditions": ["rus"]}, "adult")
    assert "faren din" in s and "rus" in s
    young = story.situation_sentence({"relation": "far", "conditions": ["rus"], "strain": True},
                                     "young")
    assert "pappa" in young and "sliten" in young


def test_when_the_danger_is_to_the_writer_the_sentence_speaks_of_them_not_the_relative():
    situation = {"relation": "forelder", "conditions": ["psykisk_lidelse"]}
    for aud in ("adult", "young"):
        s = story.situation_sentence(situation, aud, about_writer=True)
        assert "foreldre" not in s and "mamma" not in s and "hvordan du har det" in s, s


def test_services_fit_the_situation_and_skip_those_already_named(repo):
    rus = story.fitting_services(repo, {"conditions": ["rus"]}, "adult")
    assert rus and rus[0].id == "ivareta-parorendetelefonen"
    again = story.fitting_services(repo, {"conditions": ["rus"]}, "adult",
                                   already="Ring Pårørendetelefonen på 800 40 567.")
    assert all(s.id != "ivareta-parorendetelefonen" for s in again)
    young = story.fitting_services(repo, {}, "young")
    assert young and young[0].id == "kors-pa-halsen"


def test_every_service_list_offers_a_line_open_around_the_clock(repo):
    """A reply that names a line without verified 24/7 hours also names one that has them."""
    for aud, table in story.copy()["services"].items():
        for key, ids in table.items():
            if key == "strain":
                continue
            services = [repo.service(i) for i in ids]
            assert all(services), (aud, key)
            hours = [s.channel_hours("phone") for s in services]
            if not (hours[0] is not None and hours[0].always):
                assert any(h is not None and h.always for h in hours), (aud, key)


def test_after_a_death_the_sentence_never_describes_the_dead_as_living():
    s = story.situation_sentence(
        {"relation": "far", "conditions": ["kreft"], "bereaved": True}, "adult"
    )
    assert "kreft" not in s and "faren din" not in s and "sorg" in s


@pytest.mark.parametrize(
    "text,service",
    [
        ("Kan jeg få nummeret til Pårørendetelefonen?", "ivareta-parorendetelefonen"),
        ("når er pårørendelinjen åpen", "parorendelinjen"),
        ("Jeg vil snakke med Kors på halsen", "kors-pa-halsen"),
        ("ring demenslinjen", "demenslinjen"),
        ("Kan jeg snakke med et menneske?", None),
    ],
)
def test_a_service_asked_for_by_name_is_that_service(repo, text, service):
    sid = story.named_service(text)
    assert sid == service
    if sid:
        assert repo.service(sid) is not None


def test_with_no_article_the_place_to_turn_for_the_ask_comes_first(repo):
    """A complaint nobody has an article for still gets the pasient- og brukerombud, named
    with what it does even without a verified number; other topics get none of their own."""
    klage = story.topic_services(repo, "klage", "adult")
    assert [s.id for s in klage] == ["pasient-og-brukerombudet"]
    assert "klage" in klage[0].offers_no.lower()
    assert story.topic_services(repo, "sorg", "adult") == []
    assert story.topic_services(repo, "klage", "young") == []
    old = story.fitting_services(repo, {"conditions": ["alder"]}, "adult")
    assert old[0].id == "bekymringstelefonen"


def test_a_letter_of_thanks_is_heard_as_thanks_and_never_after_a_crisis_reply():
    from bot.understanding.situation import read

    letter = ("Mor fikk heimesjukepleie i to år og døde på sjukeheimen rett før jul. Eg vil seie "
              "tusen takk. Tusen, tusen takk til alle dei tilsette som stilte opp for henne.")
    situation = read(letter).as_dict()
    assert situation["thanks"] and situation["bereaved"]
    s = story.situation_sentence(situation, "adult")
    assert "godt å høre" in s and "sorg" in s, s
    # a thank-you for help for someone alive
    alive = read("Pappa overlevde. Vi vil med dette takke teamet på sykehuset for alt.").as_dict()
    assert "godt å høre at dere fikk god hjelp" in story.situation_sentence(alive, "adult")
    # after a crisis reply, never "good to hear"
    assert "godt å høre" not in story.situation_sentence(situation, "adult", danger=True)
    # a thank-you for an answer is no letter of thanks
    assert not read("Takk for svar. Hva gjør jeg nå?").thanks
