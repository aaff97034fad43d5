"""Unit tests for each scrubber, with Nynorsk and hard negatives."""

from __future__ import annotations

import time

import pytest

from bot.privacy.scrub import (
    ADDRESS,
    EMAIL,
    FNR,
    NAME,
    NUMBER,
    PHONE,
    is_fnr,
    public_numbers,
    scrub,
    scrub_regex,
)
from tests.privacy.conftest import FNR as VALID_FNR


@pytest.mark.parametrize(
    "number, valid",
    [
        (VALID_FNR, True),
        ("110345 33395", True),  # with a space after the birth date
        ("48025503069", True),  # D-number (day + 40)
        ("11034533394", False),  # last control digit wrong
        ("11034533385", False),  # first control digit wrong
        ("32134533395", False),  # no 32nd
        ("12345678901", False),
        ("1103453339", False),  # 10 digits
    ],
)
def test_is_fnr(number, valid):
    assert is_fnr(number) is valid


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"fnr {VALID_FNR}", f"fnr {FNR}"),
        ("fnr 110345 33395 til mamma", f"fnr {FNR} til mamma"),
        ("personnr:110345-33395.", f"personnr:{FNR}."),
        ("D-nummer 48025503069", f"D-nummer {FNR}"),
        ("fødselsnummeret til far er 08116029872", f"fødselsnummeret til far er {FNR}"),  # nn
        ("11034533394", NUMBER),  # invalid checksum: still 11 digits, still not kept
        ("konto 1234.56.78903", f"konto {NUMBER}"),
        ("110345333951", "110345333951"),  # 12 digits: not an fnr
    ],
)
def test_fnr(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ring 91234567", "ring 912 34 567", "ring 91 23 45 67", "ring 9123 4567",
        "ring +47 912 34 567", "ring +4791234567", "ring 0047 91234567", "ring (+47) 22 33 44 55",
        "ring 912-34-567", "ring 912.34.567", "ringje meg på 55 66 77 88", "ring +46 70 123 45 67",
    ],
)
def test_phone(text):
    assert scrub(text) == f"{text.split()[0]}{' meg på' if 'meg på' in text else ''} {PHONE}"


@pytest.mark.parametrize(
    "text",
    [
        "Ring 113 nå!", "Ring 112 hvis han slår", "Ring 110", "Hjelpetelefonen 116 123",
        "Alarmtelefonen 116 111", "legevakt 116 117", "politiet 02800",
        "Pårørendelinjen 90 90 48 48", "Kirkens SOS 22 40 00 40", "Pårørendetelefonen 800 40 567",
        "Kan jeg få pleiepenger i 60 dager?", "vi fikk 12 500 000 kr i arv", "fra 2019 2023",
        "Etter § 3-6 har kommunen plikt", "Saksnummer 2023/12345", "vedtak 12.03.2024",
        "hun er født i 1948", "rom 1204", "kl 08:00 - 15:30", "1 500 000 kroner",
        "Eg har vore pårørande i 20 år", "saka har referanse 22/04567-3", "01012024",
    ],
)
def test_hard_negatives_untouched(text):
    assert scrub(text) == text


def test_public_numbers_come_from_the_facts_file():
    assert {"90904848", "80040567", "22400040"} <= public_numbers()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mail: kari.nordmann@example.no", f"mail: {EMAIL}"),
        ("Eg har e-post torunn.ås@eksempel.no.", f"Eg har e-post {EMAIL}."),
        ("a+b@sub.example.com og c@d.no", f"{EMAIL} og {EMAIL}"),
        ("send til per(at)example.no", f"send til {EMAIL}"),
        ("hvor@", "hvor@"),
    ],
)
def test_email(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mamma bor i Storgata 12", f"mamma bor i {ADDRESS}"),
        ("Han bor i Kongens gate 5B alene", f"Han bor i {ADDRESS} alene"),
        ("adressen er sognsveien 3b", f"adressen er {ADDRESS}"),
        ("Bygdøy allé 3, 0257 Oslo", ADDRESS),
        ("Eg bur i Skogvegen 14 saman med far", f"Eg bur i {ADDRESS} saman med far"),
        ("Postboks 123 Sentrum", ADDRESS),
        ("send til 4005 Stavanger", f"send til {ADDRESS}"),
        ("Øvre Slottsgate 8", ADDRESS),
        ("Solbakken 7", ADDRESS),
        ("fikk sykehjemsplass 1. mars", "fikk sykehjemsplass 1. mars"),
        ("penga 500 kr", "penga 500 kr"),
        ("i 2019 Mamma fikk demens", "i 2019 Mamma fikk demens"),
        ("på veien 3 ganger", "på veien 3 ganger"),
        ("har ringt 116 117", "har ringt 116 117"),
    ],
)
def test_address(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mamma heter Kari Nordmann", f"Mamma heter {NAME}"),
        ("eg heiter ola og mor mi er sjuk", f"eg heiter {NAME} og mor mi er sjuk"),
        ("Ho heiter Solveig", f"Ho heiter {NAME}"),
        ("doktor Hansen sa nei", f"doktor {NAME} sa nei"),
        ("Broren min Per drikker", f"Broren min {NAME} drikker"),
        ("Bestefar Haldor vil ikke spise", f"Bestefar {NAME} vil ikke spise"),
        ("Jeg snakket med Hans i går.", f"Jeg snakket med {NAME} i går."),
        ("Hans mor er syk.", "Hans mor er syk."),  # "his"
        ("kari og jeg bytter på", f"{NAME} og jeg bytter på"),
        ("mannen min heter Tor Erik", f"mannen min heter {NAME}"),
        ("Jeg ringte Gudrun Eide", f"Jeg ringte {NAME}"),
        ("Karis mor er syk", f"{NAME} mor er syk"),
    ],
)
def test_names(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mamma og pappa er syke", "mor og far", "Pårørendelinjen og Mental Helse",
        "Kirkens SOS", "Røde Kors og Blå Kors", "Kors på halsen", "Jeg er sliten",
        "Hei! Er du en robot?", "Per dag får jeg 200 kr", "Dag og natt er like",
        "Liv og helse", "Kan jeg snakke med et menneske?", "St. Olavs hospital",
        "NAV sier nei", "Pasient- og brukerombudet", "jeg har det tungt",
        "Eg er pårørande til mor mi", "Kona mi, D-nummer mangler",
    ],
)
def test_name_negatives(text):
    assert scrub(text) == text


def test_everything_at_once():
    text = (f"Mamma heter Kari Nordmann, fnr {VALID_FNR}, bor i Storgata 12, 0150 Oslo. "
            "Ring meg på 912 34 567 eller kari@example.no. Ring 113 om natta.")
    assert scrub(text) == (f"Mamma heter {NAME}, fnr {FNR}, bor i {ADDRESS}. "
                           f"Ring meg på {PHONE} eller {EMAIL}. Ring 113 om natta.")


def test_none_and_empty():
    assert scrub(None) is None
    assert scrub("") == ""


def test_regex_path_is_fast():
    text = ("Mamma heter Kari og bor i Storgata 12. Ring 912 34 567 eller kari@example.no, "
            f"fnr {VALID_FNR}. Hun er sliten og vi trenger avlastning fra kommunen.")
    scrub(text)
    start = time.perf_counter()
    for _ in range(200):
        scrub(text, use_ner=False)
        scrub_regex(text)
    per_message = (time.perf_counter() - start) / 200
    assert per_message < 0.005, f"{per_message * 1000:.2f} ms per message"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("skriv til o'neill@example.no", f"skriv til {EMAIL}"),  # apostrophe in the local part
        ("'kari@example.no'", f"{EMAIL}'"),
        ("''''''''''''''''' 1", "''''''''''''''''' 1"),  # the old quadratic case: nothing to find
        ("Bor i AAAAAAAAAAAAAAAAAAAAAAAAA-A Storgata 12", f"Bor i {ADDRESS}"),  # leading word
        ("Hun er født i\n\n   1950 Oslo", "Hun er født i\n\n   1950 Oslo"),  # year cue across space
        ("født i 1950 Oslo og flyttet", "født i 1950 Oslo og flyttet"),
        ("Mamma heter     Kari", f"Mamma heter     {NAME}"),  # long whitespace before the name
        ("x" + "\n" * 500 + "Liv er syk", "x" + "\n" * 500 + "Liv er syk"),  # sentence start
        ("[[[[[[[[[[ Kari", f"[[[[[[[[[[ {NAME}"),  # unclosed brackets protect nothing
    ],
)
def test_linear_time_rules_keep_their_results(text, expected):
    """The rules rewritten for linear time (bounded windows, run starts) find the same."""
    assert scrub(text) == expected
