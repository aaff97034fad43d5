"""Proper-noun gazetteer from Apertium's Norwegian dictionaries (issue 4, run R).

``python -m bot.nlp.gazetteer [--out var/nlp/gazetteer.npz]``

Lists every proper noun of the Bokmål and Nynorsk analysers of Debian's
``apertium-nno-nob`` package (GPL-2+) with ``lt-paradigm`` (Debian's ``lttoolbox-dev``),
with its Apertium class: ``top`` (place), ``ant`` (first name), ``cog`` (surname),
``org`` (organisation), ``al`` (other names: laws, books, events). Each lower-cased
surface form (inflected forms such as the genitive included, compound-only pieces left
out) gets a bit mask of its classes; ``parorende.HashCharEmbed.v3`` embeds the mask as a
token feature, so names that training never shows ("Ullevål", "Kari Nordmann") still
carry a hint of their kind.

The dictionaries are independent of NorNE; nothing of the treebank goes in. The output
is written to ``var/`` (never committed); a pipeline trained with it stores the hashed
forms and their masks in its weights.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, Optional, Sequence, Tuple

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
) -> Dict[str, int]:
    """Write the table; from `listings` (saved lt-paradigm output) if given, else by
    running lt-paradigm over the analysers of `standards`."""
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
    keys, values = to_arrays(masks)
    out.parent.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(out, keys=keys, values=values)
    counts = {cls: int(((values >> i) & 1).sum()) for i, cls in enumerate(CLASSES)}
    counts["forms"] = int(len(keys))
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
    args = ap.parse_args(argv)
    try:
        counts = build(
            args.out,
            standards=[s for s in args.standards.split(",") if s],
            listings=args.from_listing,
        )
    except RuntimeError as exc:
        print(f"[gazetteer] {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"out": str(args.out), **counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
