"""Answer retrieval on the held-out file: with the trained model and the knowledge base, does
the bot pick the right article? tests/nlu/heldout_articles.yml holds gold articles for the
content examples (labelled by reading the articles); the ranking weights were tuned on
tests/nlu/dev_articles.yml, never on this file. See tests/nlu/retrieval_eval.py for the
measures. Writes var/results/retrieval_heldout.json; fails below the recorded floors (README)."""

from __future__ import annotations

import json

import pytest

from tests.nlu import retrieval_eval
from tests.servers import MODEL, ROOT

pytestmark = pytest.mark.nlu

# Measured figures minus a small margin (README "Retrieval").
TOPIC_TOP3_FLOOR = 0.93
# 0.793 with 58 articles (2026-12-01); 0.744 with 93 (2026-12-06, after the gold accepted new
# articles that answer a question as well): 35 new articles compete for the same short
# questions. A regression the content issue's follow-up must win back (README "Retrieval").
ARTICLE_TOP1_FLOOR = 0.73
OFFERED_TOP3_FLOOR = 0.81


@pytest.fixture(scope="module")
def report(repo):
    examples = retrieval_eval.load_examples(retrieval_eval.HELDOUT)
    parses = retrieval_eval.parse_all(MODEL, [e["text"] for e in examples])
    result = retrieval_eval.measure(repo, examples, parses)
    out = ROOT / "var" / "results" / "retrieval_heldout.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nretrieval: topic top-3 {result['topic_top3']}, article top-1 "
          f"{result['article_top1']}, offered top-3 {result['offered_top3']} "
          f"on {result['examples']} examples")
    return result


def test_topic_top3(report):
    assert report["examples"] >= 150
    assert report["topic_top3"] >= TOPIC_TOP3_FLOOR


def test_article_top1(report):
    assert report["article_top1"] >= ARTICLE_TOP1_FLOOR, report["misses"][:15]


def test_gold_article_offered_in_top3(report):
    assert report["offered_top3"] >= OFFERED_TOP3_FLOOR, report["misses"][:15]
