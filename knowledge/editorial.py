"""Editorial checks on the article YAML (used by tests/knowledge and ``validate``).

Each check returns a list of :class:`Problem`. Checks that need ../shared (seed headings,
facts ids, the services snapshot) report a single "skip" problem when it is absent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from . import TOPICS, facts, services
from .loader import ContentError, read_articles
from .schema import ArticleModel
from .text import lix

LIX_MAX = {"body": 40.0, "young": 30.0}
REVIEW_WARN_DAYS = 365
REVIEW_FAIL_DAYS = 730


@dataclass(frozen=True)
class Problem:
    level: str  # error | warning | skip
    article: str
    message: str

    def __str__(self) -> str:
        return f"[{self.level}] {self.article}: {self.message}"


Articles = list[tuple[Path, ArticleModel]]


def load_articles() -> tuple[Articles, list[Problem]]:
    try:
        return read_articles(), []
    except ContentError as exc:
        return [], [Problem("error", "-", e) for e in exc.errors]


def check_sources(articles: Articles) -> list[Problem]:
    """Every source resolves: seed file + heading exist; fact id exists and may be cited."""
    if not facts.facts_available():
        return [
            Problem(
                "skip", "-", "../shared/facts not found (set FACTS_DIR): fact sources not resolved"
            )
        ]
    seeds_ok = facts.config.seeds_dir().is_dir()
    out: list[Problem] = [
        Problem("error", ref, f"project fact: {msg}") for ref, msg in facts.project_fact_problems()
    ]
    for _, art in articles:
        for s in art.sources:
            if s.fact:
                rec = facts.resolve_fact(s.fact)
                if rec is None:
                    out.append(Problem("error", art.id, f"fact {s.fact} not found"))
                    continue
                ok, why = facts.record_usable(rec, s.field)
                if not ok:
                    out.append(Problem("error", art.id, f"fact {s.fact} may not be cited: {why}"))
            elif s.seed:
                if not seeds_ok:
                    continue
                ok, why = facts.seed_has_section(s.seed, s.section or "")
                if not ok:
                    out.append(Problem("error", art.id, why))
    if not seeds_ok:
        out.append(
            Problem(
                "skip", "-", "../shared/seeds not found (set SEEDS_DIR): seed headings not checked"
            )
        )
    return out


def _contacts_allowed() -> tuple[set[str], set[str], str]:
    if facts.facts_available():
        phones, hosts = facts.allowed_contacts()
        return phones, hosts, "facts"
    contacts = services.read_snapshot_contacts()
    return set(contacts.get("phones", [])), set(contacts.get("hosts", [])), "snapshot"


def check_contacts(articles: Articles) -> list[Problem]:
    """Every phone number / web address in a text is backed by a verified fact (or pick)."""
    phones, hosts, origin = _contacts_allowed()
    out: list[Problem] = []
    for _, art in articles:
        for field in ("title", "body", "young", "sms"):
            txt = getattr(art, field) or ""
            for d in facts.phone_candidates(txt):
                if d not in phones:
                    out.append(
                        Problem(
                            "error",
                            art.id,
                            f"{field}: phone number {d} is not a verified fact ({origin})",
                        )
                    )
            for h in facts.url_candidates(txt):
                if h not in hosts and not any(h.endswith("." + x) for x in hosts):
                    out.append(
                        Problem(
                            "error",
                            art.id,
                            f"{field}: address {h} is not in a verified fact ({origin})",
                        )
                    )
    return out


# Young texts must not promise a child rights that the law gives as duties of health staff
# (helsepersonelloven § 10 a / § 10 b: staff must *help* meet a child's need for information and
# follow-up; details about the patient stay confidential unless the patient consents). Checked in
# every `young` text and in the sms of barn_unge articles. Say instead what the adults must do:
# "De voksne som behandler ..., skal hjelpe til så du får vite det du trenger."
YOUNG_RIGHTS_PROMISES: tuple[tuple[str, str], ...] = (
    ("rett til å få vite", r"\b(?:rett|krav) (?:til|på) å få vite\b"),
    ("rett til informasjon", r"\b(?:rett|krav) (?:til|på) (?:å få )?informasjon\b"),
    ("rett til å bli sett", r"\b(?:rett|krav) (?:til|på) å bli sett\b"),
    ("rett til oppfølging", r"\b(?:rett|krav) (?:til|på) (?:å få )?oppfølging\b"),
    ("rett til svar", r"\b(?:rett|krav) (?:til|på) (?:å få )?svar\b"),
    ("skal gi deg svar", r"\bskal gi deg\b[^.!?\n]*\bsvar\b"),
    ("skal sørge for at du får svar", r"\bskal\b[^.!?\n]*\bat du får\b[^.!?\n]*\bsvar\b"),
)
_YOUNG_RIGHTS_RE = [(label, re.compile(rx, re.IGNORECASE)) for label, rx in YOUNG_RIGHTS_PROMISES]


def young_rights_promises(text: str) -> list[str]:
    """Labels of the YOUNG_RIGHTS_PROMISES patterns found in a text."""
    return [label for label, rx in _YOUNG_RIGHTS_RE if rx.search(text or "")]


def check_young_promises(articles: Articles) -> list[Problem]:
    """Young texts (and barn_unge sms) never promise children rights that are staff duties."""
    out = []
    for _, art in articles:
        fields = ["young"] + (["sms"] if art.topic == "barn_unge" else [])
        for field in fields:
            for label in young_rights_promises(getattr(art, field) or ""):
                out.append(
                    Problem(
                        "error",
                        art.id,
                        f"{field}: promises a child a right ({label!r}); hpl § 10 a is a duty "
                        "for staff to help - say what the adults must do",
                    )
                )
    return out


# Source titles and refs are shown to users ("Kilde: ..."): plain Norwegian names (a law and
# its paragraph, "Helsedirektoratet: ...", a service's name), never research notes, English page
# titles, file references or bare addresses.
SOURCE_NOTE_WORDS = re.compile(
    r"\b(?:archived?|version|trailing slash|same (?:article|page|item)|page|article|box|"
    r"copy|english|next of kin|services? available|what is|inferred)\b",
    re.IGNORECASE,
)
_URL_LIKE = re.compile(r"^(?:https?://|www\.)|^[\w.-]+\.[a-z]{2,}/\S*$", re.IGNORECASE)
_FILE_REF = re.compile(r"\.ya?ml\b|\.txt\b|#", re.IGNORECASE)


def source_label_problems(label: str) -> list[str]:
    """Why a source title/ref is not a user-facing name (empty list when it is fine)."""
    label = (label or "").strip()
    why = []
    if not label:
        why.append("is empty")
    m = SOURCE_NOTE_WORDS.search(label)
    if m:
        why.append(f"has a research-note/English word ({m.group(0)!r})")
    if _URL_LIKE.search(label):
        why.append("is a web address, not a name")
    if _FILE_REF.search(label):
        why.append("names a file or record, not a source")
    return why


def check_source_labels(articles: Articles) -> list[Problem]:
    """Every source's title and ref reads as a plain, user-facing Norwegian name."""
    out = []
    for _, art in articles:
        for s in art.sources:
            for key in ("title", "ref"):
                for why in source_label_problems(getattr(s, key)):
                    out.append(Problem("error", art.id, f"source {key} {getattr(s, key)!r} {why}"))
    return out


def check_review(articles: Articles, today: dt.date | None = None) -> list[Problem]:
    today = today or dt.date.today()
    out = []
    for _, art in articles:
        age = (today - art.reviewed).days
        if age > REVIEW_FAIL_DAYS:
            out.append(
                Problem("error", art.id, f"reviewed {art.reviewed} is more than 24 months ago")
            )
        elif age > REVIEW_WARN_DAYS:
            out.append(
                Problem("warning", art.id, f"reviewed {art.reviewed} is more than 12 months ago")
            )
        elif age < 0:
            out.append(Problem("error", art.id, f"reviewed {art.reviewed} is in the future"))
    return out


def check_readability(articles: Articles) -> list[Problem]:
    out = []
    for _, art in articles:
        for field, limit in LIX_MAX.items():
            txt = getattr(art, field)
            if txt and lix(txt) > limit:
                out.append(Problem("error", art.id, f"{field} LIX {lix(txt):.1f} > {limit:.0f}"))
    return out


def check_coverage(articles: Articles) -> list[Problem]:
    out = []
    topics = {a.topic for _, a in articles}
    defaults = {a.topic for _, a in articles if a.default}
    for t in TOPICS:
        if t not in topics:
            out.append(Problem("error", t, "topic has no article"))
        elif t not in defaults:
            out.append(Problem("warning", t, "topic has no default article (first by id is used)"))
    return out


def check_snapshot() -> list[Problem]:
    """The committed snapshot (services + allowed contacts) equals what the facts produce."""
    if not facts.facts_available():
        return [Problem("skip", "-", "../shared/facts not found: services snapshot not compared")]
    if not facts.config.SNAPSHOT_FILE.is_file():
        return [
            Problem("error", "services", "snapshot missing: run python -m knowledge sync-services")
        ]
    stale = services.read_snapshot() != services.build_from_facts()
    stale = stale or services.read_snapshot_contacts() != services.build_contacts()
    if stale:
        return [
            Problem("error", "services", "snapshot is stale: run python -m knowledge sync-services")
        ]
    return []


def run_all(today: dt.date | None = None) -> tuple[Articles, list[Problem]]:
    articles, problems = load_articles()
    if articles:
        problems += check_sources(articles)
        problems += check_contacts(articles)
        problems += check_young_promises(articles)
        problems += check_source_labels(articles)
        problems += check_review(articles, today)
        problems += check_readability(articles)
        problems += check_coverage(articles)
    problems += check_snapshot()
    return articles, problems


def report(articles: Articles, today: dt.date | None = None) -> dict:
    """Counts per topic and audience, mean LIX per audience, articles due for review."""
    today = today or dt.date.today()
    per_topic = {t: {"articles": 0, "young": 0} for t in TOPICS}
    for _, a in articles:
        per_topic[a.topic]["articles"] += 1
        per_topic[a.topic]["young"] += 1 if a.young else 0
    bodies = [lix(a.body) for _, a in articles]
    youngs = [lix(a.young) for _, a in articles if a.young]
    due = sorted(
        (a.id, str(a.reviewed))
        for _, a in articles
        if (today - a.reviewed).days > REVIEW_WARN_DAYS - 30
    )
    return {
        "articles": len(articles),
        "audience": {"adult": len(articles), "young": len(youngs)},
        "per_topic": per_topic,
        "mean_lix": {
            "adult": round(mean(bodies), 1) if bodies else None,
            "young": round(mean(youngs), 1) if youngs else None,
        },
        "due_for_review": due,
    }
