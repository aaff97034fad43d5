"""Corpus handling for the Norwegian spaCy pipeline (issue 4).

Reads NorNE (NDT CoNLL files with NER in the MISC column, and the UD
dev/test CoNLL-U files) from ``../shared/data/norne`` (or ``$NORNE_DIR``),
maps the NDT part-of-speech tags to Universal POS, removes every sentence
that also occurs in a UD dev or test file (both written standards), and
writes spaCy ``DocBin`` files under ``var/nlp/`` (git-ignored).

The NorNE texts are never copied into tracked paths.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = REPO_ROOT / "var" / "nlp"

# The two written standards, with the UD file stems used by NorNE.
STANDARDS = {"nob": "no_bokmaal", "nno": "no_nynorsk"}

# NorNE entity labels (9-type version, MISC is present in NDT but rare).
NER_LABELS = ["PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC"]


def norne_dir() -> Path:
    """Location of the NorNE data (``$NORNE_DIR`` overrides ``../shared``)."""
    env = os.environ.get("NORNE_DIR")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "data" / "norne"


def norne_available(base: Optional[Path] = None) -> bool:
    base = base or norne_dir()
    return all(
        (base / "ud" / std / f"{stem}-ud-test.conllu").is_file() for std, stem in STANDARDS.items()
    ) and all((base / "ndt" / std).is_dir() for std in STANDARDS)


def ud_file(split: str, std: str, base: Optional[Path] = None) -> Path:
    base = base or norne_dir()
    return base / "ud" / std / f"{STANDARDS[std]}-ud-{split}.conllu"


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


@dataclass
class Sentence:
    words: List[str]
    lemmas: List[str]
    pos: List[str]  # UPOS (after mapping for NDT)
    ents: List[str]  # BIO tags with NorNE labels, e.g. B-PER
    spaces: List[bool]
    source: str = ""
    # NDT-only raw annotation, kept for the tag mapping
    ndt_pos: List[str] = field(default_factory=list)
    ndt_feats: List[str] = field(default_factory=list)
    heads: List[int] = field(default_factory=list)
    deprels: List[str] = field(default_factory=list)

    @property
    def key(self) -> Tuple[str, ...]:
        return sentence_key(self.words)


def sentence_key(words: Sequence[str]) -> Tuple[str, ...]:
    """Key used for the leakage filter: the exact token sequence."""
    return tuple(words)


def _misc_name(misc: str) -> str:
    for part in misc.split("|"):
        if part.startswith("name="):
            return part[5:]
    return "O"


def _blocks(path: Path) -> Iterator[List[str]]:
    block: List[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if block:
                    yield block
                block = []
            else:
                block.append(line)
    if block:
        yield block


_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "...", "…"}
_NO_SPACE_AFTER = {"(", "[", "{"}


def _heuristic_spaces(words: Sequence[str]) -> List[bool]:
    """NDT has no SpaceAfter information; approximate it for doc.text."""
    spaces = [True] * len(words)
    for i, w in enumerate(words):
        if w in _NO_SPACE_AFTER:
            spaces[i] = False
        if i + 1 < len(words) and words[i + 1] in _NO_SPACE_BEFORE:
            spaces[i] = False
    if spaces:
        spaces[-1] = False
    return spaces


def read_ndt_file(path: Path) -> Iterator[Sentence]:
    """One NDT/NorNE ``.conll`` document (10 columns, NER as name=... in MISC)."""
    for block in _blocks(path):
        rows = [ln.split("\t") for ln in block if not ln.startswith("#")]
        rows = [r for r in rows if len(r) >= 10 and r[0].isdigit()]
        if not rows:
            continue
        words = [r[1] for r in rows]
        yield Sentence(
            words=words,
            lemmas=[r[2] for r in rows],
            pos=[],
            ents=[_misc_name(r[9]) for r in rows],
            spaces=_heuristic_spaces(words),
            source=f"{path.parent.name}/{path.name}",
            ndt_pos=[r[3] for r in rows],
            ndt_feats=[r[5] for r in rows],
            heads=[int(r[6]) for r in rows],
            deprels=[r[7] for r in rows],
        )


def read_ndt(std: str, base: Optional[Path] = None) -> List[Sentence]:
    base = base or norne_dir()
    out: List[Sentence] = []
    for path in sorted((base / "ndt" / std).glob("*.conll")):
        out.extend(read_ndt_file(path))
    return out


def read_conllu(path: Path) -> List[Sentence]:
    """A UD CoNLL-U file from NorNE (UPOS gold, NER as name=... in MISC)."""
    out: List[Sentence] = []
    for block in _blocks(path):
        rows = [ln.split("\t") for ln in block if not ln.startswith("#")]
        rows = [r for r in rows if len(r) >= 10 and r[0].isdigit()]  # skip MWT / empty nodes
        if not rows:
            continue
        out.append(
            Sentence(
                words=[r[1] for r in rows],
                lemmas=[r[2] for r in rows],
                pos=[r[3] for r in rows],
                ents=[_misc_name(r[9]) for r in rows],
                spaces=["SpaceAfter=No" not in r[9].split("|") for r in rows],
                source=path.name,
                heads=[int(r[6]) for r in rows],
                deprels=[r[7] for r in rows],
            )
        )
    return out


# ---------------------------------------------------------------------------
# NDT -> UD mapping
# ---------------------------------------------------------------------------

# Verbs that UD Norwegian tags AUX when they are used as auxiliaries/copula.
# (Nynorsk: vere, vilje; "verte" is VERB in UD_Norwegian-Nynorsk, so it is left out.)
AUX_LEMMAS = {
    "være",
    "vere",
    "ha",
    "bli",
    "kunne",
    "skulle",
    "ville",
    "vilje",
    "måtte",
    "burde",
    "få",
}
COPULA_LEMMAS = {"være", "vere"}
NEGATION = {"ikke", "ikkje", "ikkj", "ei"}
RELATIVE_SOM = {"som"}
LOCATIVE_ADVERBS = {"her", "der", "hit", "dit", "herfra", "derfra"}

_PUNCT_TAGS = {"clb", "<komma>", "<strek>", "<anf>", "<parentes-beg>", "<parentes-slutt>"}
_SIMPLE = {
    "prep": "ADP",
    "konj": "CCONJ",
    "inf-merke": "PART",
    "interj": "INTJ",
    "adv": "ADV",
    "ukjent": "X",
    "symb": "SYM",
}


def map_ndt_pos(sent: Sentence) -> List[str]:
    """Map NDT tags (+ features, lemma and dependency context) to UPOS.

    The rules follow the conversion used for UD_Norwegian-Bokmaal/Nynorsk and were
    checked against the aligned UD dev split (see README for the agreement figure).
    """
    n = len(sent.words)
    deps: List[List[int]] = [[] for _ in range(n)]
    for i, h in enumerate(sent.heads):
        if 0 < h <= n:
            deps[h - 1].append(i)
    out: List[str] = []
    for i in range(n):
        tag = sent.ndt_pos[i]
        feats = set(sent.ndt_feats[i].split("|"))
        lemma = sent.lemmas[i].lower()
        word = sent.words[i]
        rel = sent.deprels[i]
        if tag in _PUNCT_TAGS:
            upos = "PUNCT"
        elif tag == "subst":
            upos = "PROPN" if "prop" in feats else "NOUN"
        elif tag == "verb":
            upos = _verb_upos(i, lemma, feats, sent, deps)
        elif tag == "adj":
            upos = "ADJ"
        elif tag == "det":
            if "poss" in feats:
                upos = "PRON"  # possessives are PRON in UD Norwegian
            elif "kvant" in feats and _is_number(word, lemma):
                upos = "NUM"
            else:
                upos = "DET"
        elif tag == "pron":
            upos = "PRON"
        elif tag == "sbu":
            upos = "PRON" if lemma in RELATIVE_SOM else "SCONJ"
        elif tag == "prep" and lemma in LOCATIVE_ADVERBS:
            upos = "ADV"  # NDT tags her/der/hit/dit as prep, UD as ADV
        elif tag == "prep":
            upos = _prep_upos(i, lemma, rel, sent, deps)
        elif tag == "adv" and lemma in NEGATION:
            upos = "PART"
        else:
            upos = _SIMPLE.get(tag, "X")
        out.append(upos)
    return out


def _prep_upos(i: int, lemma: str, rel: str, sent: Sentence, deps: List[List[int]]) -> str:
    """ADP or SCONJ for an NDT preposition, as the UD conversion decides it.

    UD makes a preposition SCONJ (``mark``) when it introduces a clause or a
    predicative. Worked out from the aligned UD dev split (counts in bot/nlp/README.md):
    conjuncts and fragments stay ADP; object/free predicatives are SCONJ; an infinitive
    ("for å ...") makes SCONJ; a finite clause makes SCONJ, except after a noun (ATR)
    where only a clause with a subjunction ("om at ...") does ("spørsmålet om hvem ..."
    is ADP); a subject predicative is SCONJ only for "som"/"enn" after a verb other than
    the copula ("framstå som leiar"; "er som et museum" is ADP).
    """
    if rel in ("KOORD", "KOORD-ELL", "FRAG"):
        return "ADP"
    if rel in ("OPRED", "FSPRED", "FOPRED"):
        return "SCONJ"
    child_tags = {sent.ndt_pos[j] for j in deps[i]}
    if "inf-merke" in child_tags:
        return "SCONJ"
    verbs = [j for j in deps[i] if sent.ndt_pos[j] == "verb"]
    if verbs:
        if rel != "ATR":
            return "SCONJ"
        has_sbu = any(sent.ndt_pos[k] == "sbu" for j in verbs for k in deps[j])
        return "SCONJ" if has_sbu else "ADP"
    if rel == "SPRED" and lemma in ("som", "enn", "enn å"):
        head = sent.heads[i] - 1 if i < len(sent.heads) else -1
        head_lemma = sent.lemmas[head].lower() if 0 <= head < len(sent.lemmas) else ""
        return "ADP" if head_lemma in COPULA_LEMMAS else "SCONJ"
    return "ADP"


_NUM_WORDS = None


def _is_number(word: str, lemma: str) -> bool:
    if any(ch.isdigit() for ch in word):
        return True
    return lemma in _number_words()


def _number_words() -> Set[str]:
    global _NUM_WORDS
    if _NUM_WORDS is None:
        _NUM_WORDS = set(
            "null to tre fire fem seks sju syv åtte ni ti elleve tolv tretten "
            "fjorten femten seksten sytten søtten atten nitten tjue tjuge tretti tredve førti "
            "femti seksti sytti søtti åtti nitti hundre hundrede tusen million millioner "
            "milliard milliarder mill. mrd. én éin ene eine eneste einaste halvannen "
            "halvanna".split()
        )
    return _NUM_WORDS


def _verb_upos(i, lemma, feats, sent, deps) -> str:
    if lemma not in AUX_LEMMAS:
        return "VERB"
    # In NDT the finite auxiliary heads the verb chain: it is an auxiliary when it
    # governs an infinitive/participle (INFV) or a predicative (SPRED, copula).
    child_rels = {sent.deprels[j] for j in deps[i]}
    if "INFV" in child_rels:
        return "AUX"
    if lemma in COPULA_LEMMAS and ("SPRED" in child_rels):
        return "AUX"
    return "VERB"


# ---------------------------------------------------------------------------
# DocBin conversion
# ---------------------------------------------------------------------------


class HeldOut:
    """Token sequences of the UD dev/test sentences (both written standards).

    An NDT sentence is held out when its token sequence equals a UD dev/test
    sentence, contains one (UD sentences of >= 2 tokens, e.g. when UD split an
    NDT sentence), or is contained in one (NDT sentences of >= 3 tokens, when UD
    merged sentences).
    """

    def __init__(self, sentences: Iterable[Sentence]):
        self.keys: Set[Tuple[str, ...]] = set()
        self.by_bigram: Dict[Tuple[str, str], List[Tuple[str, ...]]] = {}
        joined: List[str] = []
        for s in sentences:
            k = s.key
            if k in self.keys:
                continue
            self.keys.add(k)
            if len(k) >= 2:
                self.by_bigram.setdefault((k[0], k[1]), []).append(k)
            joined.append(" ".join(k))
        self._text = "\n " + " \n ".join(joined) + " \n"

    @classmethod
    def from_ud(
        cls, base: Optional[Path] = None, splits: Iterable[str] = ("dev", "test")
    ) -> "HeldOut":
        sents: List[Sentence] = []
        for std in STANDARDS:
            for split in splits:
                sents.extend(read_conllu(ud_file(split, std, base)))
        return cls(sents)

    def __contains__(self, words: Sequence[str]) -> bool:
        key = tuple(words)
        if key in self.keys:
            return True
        n = len(key)
        for i in range(n - 1):
            for cand in self.by_bigram.get((key[i], key[i + 1]), ()):
                if key[i : i + len(cand)] == cand:
                    return True
        if n >= 3 and (" " + " ".join(key) + " ") in self._text:
            return True
        return False


def ud_keys(
    base: Optional[Path] = None, splits: Iterable[str] = ("dev", "test")
) -> Set[Tuple[str, ...]]:
    return HeldOut.from_ud(base, splits).keys


def training_sentences(
    base: Optional[Path] = None, stds: Iterable[str] = ("nob", "nno")
) -> List[Sentence]:
    """NDT sentences of the given standards minus every UD dev/test sentence."""
    held_out = HeldOut.from_ud(base)
    out: List[Sentence] = []
    for std in stds:
        for s in read_ndt(std, base):
            if s.words in held_out:
                continue
            s.pos = map_ndt_pos(s)
            out.append(s)
    return out


def unify_lemmas(sentences: Sequence[Sentence], primary: str = "nob") -> int:
    """Give word forms shared by both standards the Bokmål lemma.

    The same form often has different lemmas in the two standards ("er":
    være/vere, "sa": si/seie, "meg": jeg/eg). With both standards in training the
    lemmatizer then guesses the standard from a few words of context and often
    picks the wrong one. For a (lower-cased form, UPOS) pair whose Bokmål lemma
    is known, a Nynorsk token with a lemma never seen for that pair in Bokmål gets
    the most frequent Bokmål lemma. Forms only found in Nynorsk keep their
    Nynorsk lemma ("ikkje", "eg"). Returns the number of changed tokens.
    """
    from collections import Counter, defaultdict

    nob: Dict[Tuple[str, str], Counter] = defaultdict(Counter)
    for s in sentences:
        if s.source.startswith(primary + "/"):
            for w, p, lem in zip(s.words, s.pos, s.lemmas):
                nob[(w.lower(), p)][lem] += 1
    changed = 0
    for s in sentences:
        if s.source.startswith(primary + "/"):
            continue
        for i, (w, p, lem) in enumerate(zip(s.words, s.pos, s.lemmas)):
            c = nob.get((w.lower(), p))
            if c and lem not in c and lem.lower() not in {x.lower() for x in c}:
                s.lemmas[i] = c.most_common(1)[0][0]
                changed += 1
    return changed


def to_doc(nlp_vocab, s: Sentence):
    from spacy.tokens import Doc

    ents = _fix_bio(s.ents)
    heads, deps = _tree(s)
    return Doc(
        nlp_vocab,
        words=s.words,
        spaces=s.spaces,
        pos=s.pos or None,
        lemmas=s.lemmas,
        ents=ents,
        heads=heads,
        deps=deps,
    )


def _tree(s: Sentence) -> Tuple[Optional[List[int]], Optional[List[str]]]:
    """Absolute heads and labels for spaCy (root = itself, label ``ROOT``).

    Kept in the DocBins so an experiment can train a parser as an auxiliary task
    (NDT labels on train, UD labels on dev/test); pipelines without a parser ignore them.
    Returns (None, None) when the tree is missing or malformed.
    """
    n = len(s.words)
    if len(s.heads) != n or len(s.deprels) != n:
        return None, None
    heads: List[int] = []
    deps: List[str] = []
    for i, (h, rel) in enumerate(zip(s.heads, s.deprels)):
        if h < 0 or h > n:
            return None, None
        heads.append(i if h == 0 else h - 1)
        deps.append("ROOT" if h == 0 else (rel or "dep"))
    # reject cycles (every token must reach a root)
    for i in range(n):
        seen = set()
        j = i
        while heads[j] != j:
            if j in seen:
                return None, None
            seen.add(j)
            j = heads[j]
    return heads, deps


def _fix_bio(tags: Sequence[str]) -> List[str]:
    """Make BIO sequences valid (I- after O becomes B-)."""
    out: List[str] = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def write_docbin(sentences: Sequence[Sentence], path: Path, docs_per_group: int = 1) -> int:
    """Write sentences to a DocBin; ``docs_per_group`` > 1 joins sentences into documents."""
    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("nb")
    db = DocBin(store_user_data=False)
    group: List = []
    n = 0
    for s in sentences:
        group.append(to_doc(nlp.vocab, s))
        if len(group) >= docs_per_group:
            db.add(Doc.from_docs(group) if len(group) > 1 else group[0])
            group = []
        n += 1
    if group:
        db.add(Doc.from_docs(group) if len(group) > 1 else group[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


def convert(
    out_dir: Path = VAR_DIR, base: Optional[Path] = None, unify: bool = False
) -> Dict[str, int]:
    """Write train/dev/test DocBins; returns sentence counts."""
    base = base or norne_dir()
    counts: Dict[str, int] = {}
    train = training_sentences(base)
    if unify:
        counts["nno_lemmas_unified"] = unify_lemmas(train)
    counts["train"] = write_docbin(train, out_dir / "train.spacy")
    dev = read_conllu(ud_file("dev", "nob", base)) + read_conllu(ud_file("dev", "nno", base))
    counts["dev"] = write_docbin(dev, out_dir / "dev.spacy")
    for std in STANDARDS:
        test = read_conllu(ud_file("test", std, base))
        counts[f"test_{std}"] = write_docbin(test, out_dir / f"test_{std}.spacy")
    (out_dir / "counts.json").write_text(json.dumps(counts, indent=2))
    return counts


def document_id(source: str) -> str:
    """NDT file -> the source document it is part of: ``nob/ap001_0003.conll`` -> ``nob/ap001``.

    NDT cuts long texts into numbered files; a fold must hold out whole texts, or the
    names of one article would sit on both sides."""
    std, _, name = source.rpartition("/")
    stem = name[: -len(".conll")] if name.endswith(".conll") else name
    head, sep, tail = stem.rpartition("_")
    doc = head if sep and tail.isdigit() else stem
    return f"{std}/{doc}" if std else doc


def fold_documents(sentences: Sequence[Sentence], fold: int, folds: int) -> Set[str]:
    """The documents held out in `fold` of `folds`: per written standard, the documents
    in sorted order, dealt round-robin (so every fold gets every genre of both standards)."""
    if not 0 <= fold < folds:
        raise ValueError(f"fold {fold} not in 0..{folds - 1}")
    held: Set[str] = set()
    by_std: Dict[str, List[str]] = {}
    for doc in sorted({document_id(s.source) for s in sentences}):
        by_std.setdefault(doc.split("/")[0], []).append(doc)
    for docs in by_std.values():
        held.update(docs[fold::folds])
    return held


def convert_fold(
    fold: int, folds: int, out_dir: Path, base: Optional[Path] = None
) -> Dict[str, int]:
    """k-fold selection data from the training split (never UD dev/test): `train.spacy`
    without the fold's documents, and the fold's documents per standard as
    `heldout_nob.spacy` / `heldout_nno.spacy`."""
    train = training_sentences(base or norne_dir())
    held = fold_documents(train, fold, folds)
    counts: Dict[str, int] = {"fold": fold, "folds": folds, "documents_held_out": len(held)}
    parts: Dict[str, List[Sentence]] = {"train": [], **{f"heldout_{std}": [] for std in STANDARDS}}
    for s in train:
        doc = document_id(s.source)
        parts[f"heldout_{doc.split('/')[0]}" if doc in held else "train"].append(s)
    for name, part in parts.items():
        counts[name] = write_docbin(part, out_dir / f"{name}.spacy")
    (out_dir / "counts.json").write_text(json.dumps(counts, indent=2))
    return counts


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=VAR_DIR)
    ap.add_argument(
        "--unify-lemmas",
        action="store_true",
        help="give shared forms the Bokmål lemma (see unify_lemmas)",
    )
    ap.add_argument(
        "--fold",
        metavar="K/N",
        help="instead: fold K of N over the training documents (see convert_fold)",
    )
    args = ap.parse_args(argv)
    if not norne_available():
        print(f"NorNE not found at {norne_dir()} (set NORNE_DIR); nothing converted.")
        return 0
    if args.fold:
        k, n = (int(x) for x in args.fold.split("/"))
        print(json.dumps(convert_fold(k, n, args.out)))
        return 0
    print(json.dumps(convert(args.out, unify=args.unify_lemmas)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
