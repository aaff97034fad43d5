"""Written-standard detection and a standard-aware lemma lookup (issue 4).

Shipped inside the pipeline package (`spacy package --code`), so it imports only spaCy
and srsly.

Bokmål and Nynorsk share many word forms whose lemmas differ ("er": være/vere, "sa":
si/seie, "meg": jeg/eg). The trainable lemmatizer sees only a few words of context and
often gives a Bokmål word its Nynorsk lemma or the other way round. This component

1. guesses the written standard of the whole doc from its words (naive Bayes log-ratios
   of word frequencies in the two halves of the training data) and stores it in
   ``doc._.written_standard`` ("nob" or "nno"; "nob" when nothing points either way,
   which is what most chat users write);
2. replaces the predicted lemma of a token whose (lower-cased form, UPOS) pair had one
   dominant lemma in that standard's training data (``min_agreement`` of at least
   ``min_count`` occurrences). Other tokens keep the trainable lemmatizer's lemma.

The tables are word lists (form, UPOS, lemma) and per-word weights; no sentence text.
Thresholds were chosen on the UD dev split (bot/nlp/README.md).
"""


import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, Sequence, Tuple

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

FACTORY = "parorende_standard_lemmas"
STANDARDS = ("nob", "nno")

if not Doc.has_extension("written_standard"):
    Doc.set_extension("written_standard", default=None)


class StandardLemmas:
    """See the module docstring. Build with :meth:`build`; serialised with the pipeline."""

    def __init__(
        self, nlp: Language, name: str = FACTORY, min_count: int = 1, min_agreement: float = 0.9
    ):
        self.name = name
        self.min_count = min_count
        self.min_agreement = min_agreement
        self.weights: Dict[str, float] = {}
        self.tables: Dict[str, Dict[str, str]] = {std: {} for std in STANDARDS}

    # -- inference -------------------------------------------------------------------
    def detect(self, words: Iterable[str]) -> str:
        score = sum(self.weights.get(w.lower(), 0.0) for w in words)
        return "nno" if score > 0 else "nob"

    def __call__(self, doc: Doc) -> Doc:
        std = self.detect(t.text for t in doc)
        doc._.written_standard = std
        table = self.tables.get(std) or {}
        for tok in doc:
            if not tok.pos:  # no tagger ran before us (e.g. loaded with exclude=[...])
                continue
            lemma = table.get(f"{tok.lower_}\t{tok.pos_}")
            if lemma is not None:
                tok.lemma_ = lemma
        return doc

    # -- building ----------------------------------------------------------------------
    def build(
        self, sentences: Iterable[Tuple[str, Sequence[str], Sequence[str], Sequence[str]]]
    ) -> Dict[str, int]:
        """Build from (standard, words, lemmas, UPOS tags) of the training sentences."""
        freq = {std: Counter() for std in STANDARDS}
        lemmas: Dict[str, Dict[str, Counter]] = {std: defaultdict(Counter) for std in STANDARDS}
        for std, words, lems, tags in sentences:
            if std not in freq:
                continue
            for w, lem, tag in zip(words, lems, tags):
                low = w.lower()
                freq[std][low] += 1
                lemmas[std][f"{low}\t{tag}"][lem] += 1
        total = {std: sum(c.values()) for std, c in freq.items()}
        vocab = set(freq["nob"]) | set(freq["nno"])
        alpha = 0.5
        self.weights = {}
        for w in vocab:
            a, b = freq["nno"][w], freq["nob"][w]
            if a + b < 2:
                continue
            pa = (a + alpha) / (total["nno"] + alpha * len(vocab))
            pb = (b + alpha) / (total["nob"] + alpha * len(vocab))
            self.weights[w] = round(math.log(pa / pb), 3)
        for std in STANDARDS:
            table = {}
            for key, counts in lemmas[std].items():
                n = sum(counts.values())
                lemma, m = counts.most_common(1)[0]
                if n >= self.min_count and m / n >= self.min_agreement:
                    table[key] = lemma
            self.tables[std] = table
        sizes = {f"{std}_lemmas": len(table) for std, table in self.tables.items()}
        return {"weights": len(self.weights), **sizes}

    # -- serialisation -------------------------------------------------------------------
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(
            {
                "weights": self.weights,
                "tables": self.tables,
                "min_count": self.min_count,
                "min_agreement": self.min_agreement,
            }
        )

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "StandardLemmas":
        msg = srsly.msgpack_loads(data)
        self.weights = dict(msg["weights"])
        self.tables = {std: dict(t) for std, t in msg["tables"].items()}
        self.min_count = msg.get("min_count", self.min_count)
        self.min_agreement = msg.get("min_agreement", self.min_agreement)
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (Path(path) / "tables.msgpack").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=tuple()) -> "StandardLemmas":
        return self.from_bytes((ensure_path(path) / "tables.msgpack").read_bytes())


def make_standard_lemmas(nlp: Language, name: str, min_count: int, min_agreement: float):
    return StandardLemmas(nlp, name, min_count=min_count, min_agreement=min_agreement)


# The repo (bot.nlp.pipeline_code) and the installed package (nb_parorende) each carry a
# copy of this file; register the factory once, whichever copy is imported first.
if not Language.has_factory(FACTORY):
    Language.factory(
        FACTORY,
        default_config={"min_count": 1, "min_agreement": 0.9},
        requires=["token.pos"],
        assigns=["token.lemma", "doc._.written_standard"],
    )(make_standard_lemmas)
