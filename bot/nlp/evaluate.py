"""Evaluate the pipeline on the NorNE UD test splits.

``python -m bot.nlp.evaluate [--pipeline PATH]`` prints ONE JSON line:
ents_f, ents_p, ents_r, ents_per_type, lemma_acc, pos_acc (UD Bokmål test),
ents_unseen_* / ents_seen_* (entity P/R/F and gold count, split by whether the mention's
text occurs in the training split: a chat user's names are nearly all unseen),
words_per_s (measured here), size_mb, and the Nynorsk test figures under
``nno_*`` keys. The text is tokenized by the pipeline's own tokenizer from the
raw sentence text (SpaceAfter from the CoNLL-U), as in ``spacy evaluate``.
If NorNE is missing, it prints ``{"skipped": true, ...}`` and exits 0.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Set

from bot.nlp import corpus
from bot.nlp.pipeline_code import (  # noqa: F401  (register the pipeline's custom code)
    encoders,
    standard_lemmas,
)

DEFAULT_PIPELINE = Path(__file__).resolve().parent / "pipeline"
SEEN_KEYS = [f"ents_{which}_{k}" for which in ("unseen", "seen") for k in ("f", "p", "r", "n")]


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def gold_docs(vocab, sentences: Sequence[corpus.Sentence]) -> List:
    return [corpus.to_doc(vocab, s) for s in sentences]


def _round(d):
    if isinstance(d, float):
        return round(d, 4)
    if isinstance(d, dict):
        return {k: _round(v) for k, v in d.items()}
    return d


def mention_key(text: str) -> str:
    """A mention's surface form with whitespace removed (gold and predicted token
    boundaries and spacing differ; the characters do not)."""
    return "".join(text.split())


@functools.lru_cache(maxsize=4)
def training_mentions(base: Optional[Path] = None) -> FrozenSet[str]:
    """Surface forms of every entity mention in the training split (NDT minus UD dev/test).

    Cached per NorNE directory: reading the training split takes ~20 s."""
    keys: Set[str] = set()
    for s in corpus.training_sentences(base):
        start = None
        for i, tag in enumerate(list(s.ents) + ["O"]):
            if start is not None and not tag.startswith("I-"):
                keys.add(mention_key("".join(s.words[start:i])))
                start = None
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start = i
    return frozenset(keys)


def _prf(tp: int, n_pred: int, n_gold: int) -> Dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def seen_unseen_scores(examples: Sequence, seen: Set[str]) -> Dict:
    """ents P/R/F split by whether a mention's surface form occurs in training.

    A gold mention counts as unseen when its text is not a training mention, and so does
    a predicted one; a prediction is correct when a gold mention has the same characters
    and label. `unseen` is what a chat user's names are: almost none is in NorNE.
    """
    out: Dict = {}
    tallies = {True: [0, 0, 0], False: [0, 0, 0]}  # seen -> [tp, n_pred, n_gold]
    for eg in examples:
        text = eg.reference.text
        gold = {(e.start_char, e.end_char, e.label_) for e in eg.reference.ents}
        pred = {(e.start_char, e.end_char, e.label_) for e in eg.predicted.ents}
        for span in gold:
            tallies[mention_key(text[span[0] : span[1]]) in seen][2] += 1
        for span in pred:
            t = tallies[mention_key(text[span[0] : span[1]]) in seen]
            t[1] += 1
            t[0] += span in gold
    for is_seen, (tp, n_pred, n_gold) in tallies.items():
        name = "seen" if is_seen else "unseen"
        for k, v in _prf(tp, n_pred, n_gold).items():
            out[f"ents_{name}_{k}"] = v
        out[f"ents_{name}_n"] = n_gold
    return out


def score_docs(nlp, docs: Sequence, seen: Optional[Set[str]] = None) -> Dict:
    from spacy.scorer import Scorer
    from spacy.training import Example

    preds = nlp.pipe((nlp.make_doc(d.text) for d in docs), batch_size=256)
    examples = [Example(p, d) for p, d in zip(preds, docs)]
    s = Scorer(nlp).score(examples)
    out = {k: s.get(k) for k in ("ents_f", "ents_p", "ents_r", "lemma_acc", "pos_acc")}
    out["ents_per_type"] = {
        label: {k: v for k, v in prf.items()}
        for label, prf in sorted((s.get("ents_per_type") or {}).items())
    }
    if seen is not None:
        out.update(seen_unseen_scores(examples, seen))
    return _round(out)


def score_docbin(nlp, path: Path, seen: Optional[Set[str]] = None) -> Dict:
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    return score_docs(nlp, docs, seen)


def words_per_second(nlp, texts: Sequence[str], repeats: int = 1) -> float:
    """Throughput of nlp.pipe on this machine (one process, default threads)."""
    list(nlp.pipe(texts[:50]))  # warm-up
    n_words = 0
    t0 = time.perf_counter()
    for _ in range(repeats):
        for doc in nlp.pipe(texts, batch_size=256):
            n_words += len(doc)
    return n_words / (time.perf_counter() - t0)


def evaluate(
    pipeline: Path = DEFAULT_PIPELINE,
    base: Optional[Path] = None,
    stds=("nob", "nno"),
    split: str = "test",
    seen_split: bool = True,
) -> Dict:
    import spacy

    nlp = spacy.load(pipeline)
    seen = training_mentions(base) if seen_split else None
    result: Dict = {}
    texts: List[str] = []
    for std in stds:
        sents = corpus.read_conllu(corpus.ud_file(split, std, base))
        docs = gold_docs(nlp.vocab, sents)
        scores = score_docs(nlp, docs, seen)
        prefix = "" if std == "nob" else f"{std}_"
        for k, v in scores.items():
            result[prefix + k] = v
        if std == "nob":
            texts = [d.text for d in docs]
    result["words_per_s"] = round(words_per_second(nlp, texts))
    result["size_mb"] = round(dir_size_mb(pipeline), 2)
    order = [
        "ents_f",
        "ents_p",
        "ents_r",
        "lemma_acc",
        "pos_acc",
        "words_per_s",
        "size_mb",
        "ents_per_type",
        *SEEN_KEYS,
        "nno_ents_f",
        "nno_ents_p",
        "nno_ents_r",
        "nno_lemma_acc",
        "nno_pos_acc",
        "nno_ents_per_type",
        *("nno_" + k for k in SEEN_KEYS),
    ]
    return {k: result[k] for k in order if k in result}


def docbin_mentions(path: Path) -> FrozenSet[str]:
    """Surface forms (mention_key) of every entity in a DocBin."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("nb").vocab
    docs = DocBin().from_disk(path).get_docs(vocab)
    return frozenset(mention_key(ent.text) for doc in docs for ent in doc.ents)


def evaluate_fold(pipeline: Path, fold_dir: Path) -> Dict:
    """Scores on a fold's held-out training documents (`corpus.convert_fold`), per standard;
    a mention is unseen when the fold's own training part never has its text."""
    import spacy

    nlp = spacy.load(pipeline)
    seen = docbin_mentions(fold_dir / "train.spacy")
    result: Dict = {"fold_dir": str(fold_dir)}
    for std in corpus.STANDARDS:
        prefix = "" if std == "nob" else f"{std}_"
        for k, v in score_docbin(nlp, fold_dir / f"heldout_{std}.spacy", seen).items():
            result[prefix + k] = v
    return result


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pipeline", type=Path, default=DEFAULT_PIPELINE)
    ap.add_argument(
        "--split",
        choices=["test", "dev"],
        default="test",
        help="UD split to score (dev: for choosing between training runs)",
    )
    ap.add_argument(
        "--fold-dir",
        type=Path,
        help="score the held-out documents of a fold (python -m bot.nlp.corpus --fold K/N)",
    )
    args = ap.parse_args(argv)
    if args.fold_dir is not None:
        print(json.dumps(evaluate_fold(args.pipeline, args.fold_dir), ensure_ascii=False))
        return 0
    if not corpus.norne_available():
        msg = f"NorNE not found at {corpus.norne_dir()} (set NORNE_DIR); evaluation skipped"
        print(msg, file=sys.stderr)
        print(json.dumps({"skipped": True, "reason": msg}))
        return 0
    if not (args.pipeline / "meta.json").is_file():
        msg = (
            f"no pipeline at {args.pipeline}; run `python -m bot.nlp.train` first; "
            "evaluation skipped"
        )
        print(msg, file=sys.stderr)
        print(json.dumps({"skipped": True, "reason": msg}))
        return 0
    print(json.dumps(evaluate(args.pipeline, split=args.split), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
