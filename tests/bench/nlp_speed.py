"""`make bench`: throughput of the Norwegian spaCy pipeline (bot/nlp/pipeline) against
spaCy's stock architecture for the same components, measured in the same process.

The baseline is what `spacy init config --lang nb --optimize efficiency` gives for
tok2vec + morphologizer + trainable_lemmatizer + ner: the tok2vec of the official small
models (width 96, depth 4, 4 hashed features), without their parser. Its weights are
untrained (initialised on our pipeline's own output for the same texts, so it has the same
labels); throughput does not depend on the weight values. Both pipelines tag the same chat
texts (every example of data/nlu, annotations stripped) in alternating rounds, and the
median of each is reported: `ratio` = ours / baseline, which machine load moves much less
than words/s alone (single runs of the same network measured 8.8k-11.8k words/s here).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
from pathlib import Path
from typing import Iterable, List, Sequence

from bot.nlp.evaluate import words_per_second

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "bot" / "nlp" / "pipeline"
COMPONENTS = ["tok2vec", "morphologizer", "trainable_lemmatizer", "ner"]
_ANNOTATION = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)|\[([^\]]*)\]\{[^}]*\}")


def nlu_texts(nlu_dir: Path = ROOT / "data" / "nlu") -> List[str]:
    """Every NLU example as plain text (`[Oslo](city)` -> `Oslo`)."""
    import yaml

    texts: List[str] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line[2:]))
    return [t for t in texts if t.strip()]


def baseline_pipeline(ours, texts: Sequence[str]):
    """spaCy's stock efficiency architecture for COMPONENTS, with our pipeline's labels."""
    import importlib

    import spacy
    from spacy.training import Example

    init_config = importlib.import_module("spacy.cli.init_config").init_config
    config = init_config(lang="nb", pipeline=COMPONENTS, optimize="efficiency", silent=True)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    silver = list(ours.pipe(texts))
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in silver]
    nlp.initialize(lambda: examples)
    return nlp


def measure(ours, base, texts: Sequence[str], rounds: int) -> dict:
    ours_wps: List[float] = []
    base_wps: List[float] = []
    for i in range(rounds):  # alternate, so both see the same machine load
        order = [(ours, ours_wps), (base, base_wps)]
        for nlp, out in order if i % 2 == 0 else order[::-1]:
            out.append(words_per_second(nlp, texts))  # warms up, then times nlp.pipe
    ours_med, base_med = statistics.median(ours_wps), statistics.median(base_wps)
    return {
        "name": "nlp_pipeline_chat_text",
        "words_per_s": round(ours_med),
        "baseline_words_per_s": round(base_med),
        "ratio": round(ours_med / base_med, 3),
        "rounds": rounds,
        "words_per_round": sum(len(d) for d in ours.pipe(texts)),
        "ours_range": [round(min(ours_wps)), round(max(ours_wps))],
        "baseline_range": [round(min(base_wps)), round(max(base_wps))],
    }


def _repeat(texts: Sequence[str], min_words: int) -> List[str]:
    out: List[str] = []
    words = 0
    while words < min_words:
        for t in texts:
            out.append(t)
            words += len(t.split())
    return out


def main(argv: Iterable[str] = ()) -> int:
    import spacy

    from bot.nlp.pipeline_code import encoders, standard_lemmas  # noqa: F401  (registers them)

    rounds = int(os.environ.get("BENCH_NLP_ROUNDS", "7"))
    texts = _repeat(nlu_texts(), int(os.environ.get("BENCH_NLP_WORDS", "40000")))
    ours = spacy.load(PIPELINE)
    base = baseline_pipeline(ours, texts[:2000])
    print(json.dumps(measure(ours, base, texts, rounds)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
