"""Pydantic (v1 API) schema for one article YAML file.

Structural rules live here (ids, topics, lengths, GSM-7, source shape). Rules that need
the outside world (seed headings, facts ids, phone numbers) live in
:mod:`knowledge.editorial`, so that loading works where ../shared is absent.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional

from pydantic import BaseModel, Extra, root_validator, validator

from . import TOPICS
from .text import SMS_MAX_SEPTETS, gsm7_length, non_gsm7_chars

ID_RE = re.compile(r"^[a-z0-9-]+$")
FACT_RE = re.compile(r"^[a-z0-9_-]+\.yaml#[a-z0-9-]+$")  # shared or knowledge/facts file
BODY_MAX_CHARS = 1200
QUESTION_MAX_CHARS = 200

ASPECTS = ("hva", "rett", "soke", "hvor_mye", "hvem", "klage", "hvordan", "hvor", "vedtak")
BENEFITS = (
    "omsorgsstonad",
    "pleiepenger",
    "omsorgspenger",
    "opplaeringspenger",
    "hjelpestonad",
    "permisjon",
    "redusert-arbeidstid",
    "avlastning",
    "pasientreiser",
    "parorendestotte",
    "individuell-plan",
    "koordinator",
    "barnekoordinator",
)
PROJECT_TOPICS = ("smalltalk", "out_of_scope")


class SourceModel(BaseModel):
    """A source shown to users as "Kilde: <ref>" and resolvable by the editorial checks."""

    title: str
    ref: str
    fact: Optional[str] = None  # "law.yaml#pbrl-3-3" (file in FACTS_DIR, record id)
    field: Optional[str] = None  # field of a fact record that is verified (see field_status)
    seed: Optional[str] = None  # seed file name in ../shared/seeds
    section: Optional[str] = None  # heading in the seed file
    url: Optional[str] = None
    project: bool = False  # "Om denne tjenesten" - only for smalltalk / out_of_scope

    class Config:
        extra = Extra.forbid

    @root_validator(skip_on_failure=True)
    def _one_kind(cls, values):  # noqa: N805 - pydantic validator
        kinds = [bool(values.get("fact")), bool(values.get("seed")), bool(values.get("project"))]
        if sum(kinds) != 1:
            raise ValueError("a source needs exactly one of: fact, seed (+section), project")
        if values.get("fact") and not FACT_RE.match(values["fact"]):
            raise ValueError(f"fact must look like 'law.yaml#some-id', got {values['fact']!r}")
        if values.get("seed") and not values.get("section"):
            raise ValueError("a seed source needs a section heading")
        if values.get("field") and not values.get("fact"):
            raise ValueError("'field' only applies to fact sources")
        return values


class ArticleModel(BaseModel):
    id: str
    topic: str
    title: str
    body: str
    young: Optional[str] = None
    sms: str
    sources: List[SourceModel]
    reviewed: dt.date
    related: List[str] = []
    keywords: List[str] = []
    # How people actually ask for this article (editor-written, in users' words: Bokmål,
    # Nynorsk, dialect, young). Used only for retrieval, never shown.
    questions: List[str] = []
    # Whether the questions are also NLU examples of the article's topic intent
    # (knowledge/nlu_export.py). False for an overview whose questions span several topics
    # (benefits, respite, coordination): as examples of one topic they blur the intents.
    intent_examples: bool = True
    aspects: List[str] = []
    diagnoses: List[str] = []
    relations: List[str] = []
    benefits: List[str] = []
    default: bool = False
    # Who the article is written for: "all" (an adult body and, where it applies, a young
    # version), or only "adult" / "young" (a young-first text such as "it is not your
    # fault"). The answer logic prefers articles written for the writer's audience.
    audience: str = "all"

    class Config:
        extra = Extra.forbid

    @validator("audience")
    def _audience(cls, v):  # noqa: N805
        if v not in ("all", "adult", "young"):
            raise ValueError("audience must be all, adult or young")
        return v

    @validator("id")
    def _id(cls, v):  # noqa: N805
        if not ID_RE.match(v):
            raise ValueError("id must match [a-z0-9-]+")
        return v

    @validator("topic")
    def _topic(cls, v):  # noqa: N805
        if v not in TOPICS:
            raise ValueError(f"unknown topic {v!r}; use one of {', '.join(TOPICS)}")
        return v

    @validator("title", "body", "sms")
    def _not_blank(cls, v):  # noqa: N805
        if not v or not v.strip():
            raise ValueError("must not be empty")
        return v.strip()

    @validator("young")
    def _young(cls, v):  # noqa: N805
        if v is not None:
            v = v.strip()
            if not v:
                return None
        return v

    @validator("body")
    def _body_len(cls, v):  # noqa: N805
        if len(v) > BODY_MAX_CHARS:
            raise ValueError(f"body is {len(v)} chars; max {BODY_MAX_CHARS}")
        return v

    @validator("sms")
    def _sms(cls, v):  # noqa: N805
        n = gsm7_length(v)
        if n is None:
            raise ValueError(f"sms has characters outside GSM-7: {non_gsm7_chars(v)}")
        if n > SMS_MAX_SEPTETS:
            raise ValueError(f"sms needs {n} septets; max {SMS_MAX_SEPTETS} (2 segments)")
        return v

    @validator("sources")
    def _sources(cls, v):  # noqa: N805
        if not v:
            raise ValueError("at least one source is required")
        return v

    @validator("aspects", each_item=True)
    def _aspect(cls, v):  # noqa: N805
        if v not in ASPECTS:
            raise ValueError(f"unknown aspect {v!r}; use one of {ASPECTS}")
        return v

    @validator("benefits", each_item=True)
    def _benefit(cls, v):  # noqa: N805
        if v not in BENEFITS:
            raise ValueError(f"unknown benefit {v!r}; use one of {BENEFITS}")
        return v

    @validator("questions", each_item=True)
    def _question(cls, v):  # noqa: N805
        v = " ".join(v.split())
        if not v or len(v) > QUESTION_MAX_CHARS:
            raise ValueError(f"a question must be 1-{QUESTION_MAX_CHARS} characters")
        return v

    @validator("keywords", "diagnoses", "relations", each_item=True)
    def _lower(cls, v):  # noqa: N805
        return v.strip().lower()

    @root_validator(skip_on_failure=True)
    def _project_sources(cls, values):  # noqa: N805
        if values["topic"] not in PROJECT_TOPICS and any(s.project for s in values["sources"]):
            raise ValueError("project sources are only allowed for smalltalk/out_of_scope")
        return values
