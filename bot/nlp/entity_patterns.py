"""Entity-ruler patterns for Norwegian health and public-sector names.

Added by ``train.py`` as a spaCy ``entity_ruler`` AFTER the statistical NER with
``overwrite_ents = true``: a matched name wins over the statistical label (e.g.
"Statsforvalteren" is ORG, not LOC; lower-case "nav" in chat text), other
entities are kept. Hospital and health-trust names are rare in the news-heavy
NorNE corpus.
The patterns are serialised into ``pipeline/entity_ruler/patterns.jsonl``; no
code is needed at load time. Labels follow NorNE: institutions are ORG, a
municipality/county used as an organisation ("Bergen kommune") is GPE_ORG.
"""

from __future__ import annotations

from typing import Dict, List

# Single- or multi-word organisation names, matched case-insensitively.
ORG_NAMES = [
    "Nav",
    "Nav-kontoret",
    "Statsforvalteren",
    "Fylkesmannen",
    "Helsedirektoratet",
    "Helsetilsynet",
    "Statens helsetilsyn",
    "Folkehelseinstituttet",
    "FHI",
    "Helfo",
    "Helsenorge",
    "Husbanken",
    "Bufetat",
    "Bufdir",
    "Pasient- og brukerombudet",
    "Pasientombudet",
    "Kreftforeningen",
    "Nasjonalforeningen for folkehelsen",
    "Nasjonalforeningen",
    "Mental Helse",
    "Pårørendesenteret",
    "Pårørendealliansen",
    "Landsforeningen for pårørende innen psykisk helse",
    "LPP",
    "Rådet for psykisk helse",
    "Røde Kors",
    "Blå Kors",
    "Kirkens Bymisjon",
    "Frelsesarmeen",
    "Rikshospitalet",
    "Radiumhospitalet",
    "Ullevål sykehus",
    "Ullevål universitetssykehus",
    "Haukeland universitetssjukehus",
    "Haukeland universitetssykehus",
    "Haukeland sykehus",
    "Oslo universitetssykehus",
    "Akershus universitetssykehus",
    "Ahus",
    "St. Olavs hospital",
    "St. Olav",
    "Stavanger universitetssjukehus",
    "Universitetssykehuset Nord-Norge",
    "UNN",
    "Sørlandet sykehus",
    "Sykehuset Innlandet",
    "Sykehuset Østfold",
    "Sykehuset i Vestfold",
    "Sykehuset Telemark",
    "Vestre Viken",
    "Diakonhjemmet sykehus",
    "Lovisenberg diakonale sykehus",
    "Helse Sør-Øst",
    "Helse Vest",
    "Helse Midt-Norge",
    "Helse Nord",
]

HOSPITAL_WORDS = ["sykehus", "sjukehus", "universitetssykehus", "universitetssjukehus", "hospital"]
MUNICIPALITY_WORDS = ["kommune", "fylkeskommune", "bydel"]


def _name_pattern(name: str) -> List[Dict]:
    # Tokenize like the nb tokenizer would for these simple names.
    tokens: List[str] = []
    for part in name.split():
        if part.endswith("-") and len(part) > 1:
            tokens.extend([part[:-1], "-"])  # "Pasient-" -> "Pasient", "-"
        else:
            tokens.append(part)
    return [{"LOWER": t.lower()} for t in tokens]


def patterns() -> List[Dict]:
    pats: List[Dict] = []
    for name in ORG_NAMES:
        pats.append({"label": "ORG", "pattern": _name_pattern(name), "id": "org-name"})
    # "Helse Bergen", "Helse Stavanger" (health trusts)
    pats.append(
        {"label": "ORG", "pattern": [{"ORTH": "Helse"}, {"IS_TITLE": True}], "id": "health-trust"}
    )
    # "Voss sjukehus", "Sykehuset Levanger"
    pats.append(
        {
            "label": "ORG",
            "pattern": [{"IS_TITLE": True}, {"LOWER": {"IN": HOSPITAL_WORDS}}],
            "id": "hospital",
        }
    )
    pats.append(
        {
            "label": "ORG",
            "pattern": [{"ORTH": {"IN": ["Sykehuset", "Sjukehuset"]}}, {"IS_TITLE": True}],
            "id": "hospital",
        }
    )
    # "Bergen kommune", "Vestland fylkeskommune", "Stavanger kommune"
    pats.append(
        {
            "label": "GPE_ORG",
            "pattern": [{"IS_TITLE": True}, {"LOWER": {"IN": MUNICIPALITY_WORDS}}],
            "id": "municipality",
        }
    )
    # "Statsforvalteren i Vestland"
    pats.append(
        {
            "label": "ORG",
            "pattern": [
                {"LOWER": {"IN": ["statsforvalteren", "fylkesmannen"]}},
                {"LOWER": "i"},
                {"IS_TITLE": True},
            ],
            "id": "statsforvalter",
        }
    )
    return pats


def add_entity_ruler(nlp, after: str = "ner"):
    """Add the ruler (after ``after``) and return it."""
    ruler = nlp.add_pipe(
        "entity_ruler",
        after=after,
        config={"overwrite_ents": True, "validate": True},
    )
    ruler.add_patterns(patterns())
    return ruler
