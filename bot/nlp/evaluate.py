"""Evaluate the pipeline on the NorNE UD test splits.

``python -m bot.nlp.evaluate [--pipeline PATH]`` prints ONE JSON line:
ents_f, ents_p, ents_r, ents_per_type, lemma_acc, pos_acc (UD Bokmål test),
words_per_s (measured here), size_mb, and the Nynorsk test figures under
``nno_*`` keys. The text is tokenized by the pipeline's own tokenizer from the
raw sentence text (SpaceAfter from the CoNLL-U), as in ``spacy evaluate``.
If NorNE is missing, it prints ``{"skipped": true, ...}`` and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from bot.nlp import corpus
from bot.nlp.pipeline_code import (  # noqa: F401  (register the pipeline's custom code)
    encoders,
    standard_lemmas,
)

DEFAULT_PIPELINE = Path(__file__).resolve().parent / "pipeline"


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


def score_docs(nlp, docs: Sequence) -> Dict:
    from spacy.training import Example

    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    s = nlp.evaluate(examples)
    out = {k: s.get(k) for k in ("ents_f", "ents_p", "ents_r", "lemma_acc", "pos_acc")}
    out["ents_per_type"] = {
        label: {k: v for k, v in prf.items()}
        for label, prf in sorted((s.get("ents_per_type") or {}).items())
    }
    return _round(out)


def score_docbin(nlp, path: Path) -> Dict:
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    return score_docs(nlp, docs)


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
    pipeline: Path = DEFAULT_PIPELINE, base: Optional[Path] = None, stds=("nob", "nno")
) -> Dict:
    import spacy

    nlp = spacy.load(pipeline)
    result: Dict = {}
    texts: List[str] = []
    for std in stds:
        sents = corpus.read_conllu(corpus.ud_file("test", std, base))
        docs = gold_docs(nlp.vocab, sents)
        scores = score_docs(nlp, docs)
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
        "nno_ents_f",
        "nno_ents_p",
        "nno_ents_r",
        "nno_lemma_acc",
        "nno_pos_acc",
        "nno_ents_per_type",
    ]
    return {k: result[k] for k in order if k in result}


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pipeline", type=Path, default=DEFAULT_PIPELINE)
    args = ap.parse_args(argv)
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
    print(json.dumps(evaluate(args.pipeline), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
