"""Editorial checks over every article in knowledge/articles (the content gate)."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge import TOPICS, editorial, facts
from knowledge.schema import ArticleModel
from knowledge.text import SMS_MAX_SEPTETS, gsm7_length, lix


@pytest.fixture(scope="module")
def articles():
    arts, problems = editorial.load_articles()
    assert not problems, "\n".join(map(str, problems))
    return arts


def _errors(problems):
    return [str(p) for p in problems if p.level == "error"]


def _skip_if_skipped(problems):
    skipped = [p.message for p in problems if p.level == "skip"]
    if skipped:
        pytest.skip("; ".join(skipped))


def test_schema_valid_and_enough_content(articles):
    assert len(articles) >= 45, f"only {len(articles)} articles"


def test_every_contract_topic_has_an_article_and_a_default(articles):
    assert not [str(p) for p in editorial.check_coverage(articles)]
    assert {a.topic for _, a in articles} == set(TOPICS)


def test_sources_resolve(articles):
    problems = editorial.check_sources(articles)
    assert not _errors(problems), "\n".join(_errors(problems))
    _skip_if_skipped(problems)


def test_phone_numbers_and_urls_are_backed_by_verified_facts(articles):
    problems = editorial.check_contacts(articles)
    assert not _errors(problems), "\n".join(_errors(problems))


def test_review_dates(articles):
    problems = editorial.check_review(articles)
    for p in problems:
        if p.level == "warning":
            import warnings

            warnings.warn(str(p), stacklevel=1)
    assert not _errors(problems), "\n".join(_errors(problems))


def test_readability_lix(articles):
    bad = [
        f"{a.id}: body {lix(a.body):.1f}"
        for _, a in articles
        if lix(a.body) > editorial.LIX_MAX["body"]
    ] + [
        f"{a.id}: young {lix(a.young):.1f}"
        for _, a in articles
        if a.young and lix(a.young) > editorial.LIX_MAX["young"]
    ]
    assert not bad, bad


def test_lengths_and_sms(articles):
    for _, a in articles:
        assert len(a.body) <= 1200, a.id
        n = gsm7_length(a.sms)
        assert n is not None and n <= SMS_MAX_SEPTETS, (a.id, n)


def test_related_ids_exist(articles):
    ids = {a.id for _, a in articles}
    missing = [(a.id, r) for _, a in articles for r in a.related if r not in ids]
    assert not missing, missing


def test_young_relative_articles_exist(articles):
    young_topic = [a for _, a in articles if a.topic == "barn_unge" and a.young]
    assert len(young_topic) >= 4


def test_services_snapshot_matches_facts():
    problems = editorial.check_snapshot()
    assert not _errors(problems), "\n".join(_errors(problems))
    _skip_if_skipped(problems)


# --- the checks themselves catch bad content -----------------------------------------------


def _article(**over) -> ArticleModel:
    base = dict(
        id="x",
        topic="okonomi",
        title="T",
        body="Kort tekst.",
        sms="Kort.",
        sources=[{"title": "t", "ref": "r", "fact": "law.yaml#pbrl-3-3"}],
        reviewed=dt.date(2026, 11, 1),
    )
    base.update(over)
    return ArticleModel.parse_obj(base)


def test_schema_rejects_bad_articles():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        _article(id="Ugyldig Id")
    with pytest.raises(ValidationError):
        _article(topic="vaer")
    with pytest.raises(ValidationError):
        _article(body="x" * 1201)
    with pytest.raises(ValidationError):
        _article(sms="a" * 307)
    with pytest.raises(ValidationError):
        _article(sms="tankestrek – nei")
    with pytest.raises(ValidationError):
        _article(sources=[])
    with pytest.raises(ValidationError):  # project sources only for smalltalk/out_of_scope
        _article(sources=[{"title": "t", "ref": "r", "project": True}])
    with pytest.raises(ValidationError):  # seed without section
        _article(sources=[{"title": "t", "ref": "r", "seed": "000_3b3545d63ab420d8.txt"}])


def test_contact_check_flags_unsourced_numbers_and_addresses():
    bad = [(None, _article(body="Ring 40 50 16 00 eller se eksempel.no. Ring 113."))]
    msgs = _errors(editorial.check_contacts(bad))
    assert any("40501600" in m for m in msgs)  # phone with unverified status
    assert any("eksempel.no" in m for m in msgs)
    assert not any("113" in m for m in msgs)


def test_review_check_warns_after_12_and_fails_after_24_months():
    art = [(None, _article(reviewed=dt.date(2024, 1, 1)))]
    assert editorial.check_review(art, dt.date(2025, 2, 1))[0].level == "warning"
    assert editorial.check_review(art, dt.date(2026, 2, 1))[0].level == "error"
    assert editorial.check_review(art, dt.date(2024, 6, 1)) == []


@pytest.mark.skipif(not facts.facts_available(), reason="../shared/facts not found")
def test_source_check_flags_missing_fact_unverified_fact_and_heading():
    arts = [
        (None, _article(sources=[{"title": "t", "ref": "r", "fact": "law.yaml#finnes-ikke"}])),
        (None, _article(id="y", sources=[{"title": "t", "ref": "r", "fact": "law.yaml#hpl-25"}])),
        (
            None,
            _article(
                id="z",
                sources=[
                    {
                        "title": "t",
                        "ref": "r",
                        "seed": "000_3b3545d63ab420d8.txt",
                        "section": "9.9 Finnes ikke",
                    }
                ],
            ),
        ),
    ]
    msgs = _errors(editorial.check_sources(arts))
    assert any("finnes-ikke" in m for m in msgs)
    assert any("hpl-25" in m and "unverified" in m for m in msgs)
    assert any("9.9 Finnes ikke" in m for m in msgs)


@pytest.mark.skipif(not facts.facts_available(), reason="../shared/facts not found")
@pytest.mark.parametrize(
    "section",
    [
        "2.1 Hvem er pårørende?",
        "3.2 Behov for mer og bedre informasjon",  # hyphenated across a line break in the PDF text
        "4.2 Bedre informasjon, opplæring og veiledning (box: Pårørendesenteret i Stavanger)",
        "Vedlegg 2 Øvrige økonomiske ordninger – Dekning av nødvendige utgifter til reise",
    ],
)
def test_seed_heading_matching_is_robust(section):
    ok, why = facts.seed_has_section("000_3b3545d63ab420d8.txt", section)
    assert ok, why


@pytest.mark.skipif(not facts.facts_available(), reason="../shared/facts not found")
def test_stale_snapshot_is_detected(tmp_path, monkeypatch):
    from knowledge import config

    stale = tmp_path / "services.yaml"
    text = config.SNAPSHOT_FILE.read_text(encoding="utf-8").replace("116 117", "116 118")
    stale.write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "SNAPSHOT_FILE", stale)
    assert _errors(editorial.check_snapshot())


def test_loader_reports_all_content_errors(articles_copy):
    from knowledge.loader import ContentError, read_articles

    src = articles_copy / "okonomi" / "omsorgsstonad.yaml"
    (articles_copy / "klage" / "omsorgsstonad.yaml").write_text(
        src.read_text(encoding="utf-8"), encoding="utf-8"
    )  # wrong folder + duplicate id
    bad = articles_copy / "sorg" / "sorg-og-etterlatte.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("related: []", "related: [finnes-ikke]"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as exc:
        read_articles()
    msgs = "\n".join(exc.value.errors)
    assert "does not match its folder" in msgs
    assert "duplicate id" in msgs
    assert "finnes-ikke" in msgs


# --- editorial rules from the review of 2026-12 (F3 and user-facing sources) --------------------

# The five young texts the review quoted (F3): each promises a child a right that
# helsepersonelloven § 10 a gives as a duty of the staff.
F3_QUOTES = [
    "Er mamma, pappa eller et søsken alvorlig syk? Da har du rett til å få vite hva som skjer.",
    "Du har rett til å få vite hva som skjer.",
    "Har mamma fått kreft? Det er lov å være redd. Du har rett til å få vite hva som skjer.",
    "De voksne som jobber med den syke, skal spørre om deg. "
    "De skal gi deg svar på det du lurer på.",
    "Det hjelper å snakke med noen. Helsepersonell skal også passe på at du får hjelp og svar.",
]
F3_CORRECTED = (
    "De voksne som behandler mamma, pappa, broren eller søsteren din, skal hjelpe til så du får "
    "vite det du trenger, på en måte du forstår. Noen ganger kan de ikke fortelle alt. Det er "
    "ikke fordi du har gjort noe galt. Du kan alltid spørre, og du kan be om en samtale."
)


def test_young_texts_never_promise_staff_duties_as_rights(articles):
    problems = editorial.check_young_promises(articles)
    assert not _errors(problems), "\n".join(_errors(problems))


@pytest.mark.parametrize("quote", F3_QUOTES)
def test_young_promise_check_catches_the_reviewed_quotes(quote):
    assert editorial.young_rights_promises(quote), quote
    msgs = _errors(editorial.check_young_promises([(None, _article(young=quote))]))
    assert msgs and "young" in msgs[0]


def test_young_promise_check_passes_the_corrected_wording_and_adult_rights():
    assert editorial.young_rights_promises(F3_CORRECTED) == []
    # barn_unge sms is checked too; adult bodies may state adult rights (pbrl § 3-3)
    sms = "Barn under 18 år med et alvorlig sykt søsken har rett til informasjon og oppfølging."
    bad = [(None, _article(topic="barn_unge", sms=sms))]
    assert any("sms" in m for m in _errors(editorial.check_young_promises(bad)))
    body = "Nærmeste pårørende har rett til informasjon når pasienten sier ja."
    adult = [(None, _article(body=body))]
    assert not editorial.check_young_promises(adult)


def test_source_titles_and_refs_are_user_facing(articles):
    problems = editorial.check_source_labels(articles)
    assert not _errors(problems), "\n".join(_errors(problems))


@pytest.mark.parametrize(
    "label",
    [
        "What is the Relatives Centre? (other archived version, trailing slash)",
        "same article",
        "same page, 'Contact information' box",
        "Mental health – Services available to next of kin (helsenorge.no)",
        "https://www.helsenorge.no/giftinformasjon/om/",
        "ung.no/oss",
        "helplines.yaml#kors-pa-halsen",
        "",
    ],
)
def test_source_label_check_flags_research_notes(label):
    assert editorial.source_label_problems(label), label
    art = _article(sources=[{"title": label or "x", "ref": label, "fact": "law.yaml#pbrl-3-3"}])
    assert _errors(editorial.check_source_labels([(None, art)]))


@pytest.mark.parametrize(
    "label",
    [
        "pasient- og brukerrettighetsloven § 3-3",
        "Helsedirektoratet: Pårørendeveileder, kap. 1",
        "Regjeringens pårørendestrategi (Vi – de pårørende), kap. 4.4",
        "Kors på halsen (Røde Kors)",
        "113.no: Skal du ringe 113 eller Giftinformasjonen?",
        "nav.no: Pleiepenger i livets sluttfase",
        "UngePårørende.no (Pårørendesenteret)",
    ],
)
def test_source_label_check_passes_plain_norwegian_names(label):
    assert editorial.source_label_problems(label) == [], label


def test_run_all_includes_the_editorial_rules(monkeypatch):
    called = []
    for name in ("check_young_promises", "check_source_labels", "check_contacts", "check_review"):
        monkeypatch.setattr(editorial, name, lambda *a, _n=name, **k: called.append(_n) or [])
    monkeypatch.setattr(editorial, "check_snapshot", lambda: [])
    editorial.run_all()
    assert {"check_young_promises", "check_source_labels", "check_contacts", "check_review"} <= set(
        called
    )


def test_report_lists_articles_due_for_review(articles):
    far = dt.date(2099, 1, 1)
    due = dict(editorial.report(articles, today=far)["due_for_review"])
    assert {a.id for _, a in articles} == set(due)
    today = min(a.reviewed for _, a in articles)
    assert editorial.report(articles, today=today)["due_for_review"] == []
