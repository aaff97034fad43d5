"""Answer retrieval on the held-out file: with the trained model and the knowledge base, does
the bot pick the right article? tests/nlu/heldout_articles.yml holds gold articles for the
content examples (labelled by reading the articles).

- topic top-3: the gold topic is among the NLU's three best intents
- article top-1: the article the answer action would send (predicted topic + the
  knowledge base's best article for the text and entities) is the gold one, or an equally
  good one (`also`)
Writes var/results/retrieval_heldout.json; fails below the recorded floors (README)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import yaml

from actions.answers import detect_aspect
from actions.common import INTENT_TOPIC
from tests.servers import MODEL, ROOT

pytestmark = pytest.mark.nlu

GOLD = Path(__file__).with_name("heldout_articles.yml")
# Measured figures minus a small margin (README "Retrieval").
TOPIC_TOP3_FLOOR = 0.93
ARTICLE_TOP1_FLOOR = 0.73


def entities_of(parse: dict) -> dict:
    found: dict = {}
    for ent in parse.get("entities") or []:
        value = str(ent.get("value")).lower().replace("_", "-")
        found.setdefault(ent["entity"], [])
        if value not in found[ent["entity"]]:
            found[ent["entity"]].append(value)
    return found


@pytest.fixture(scope="module")
def report(repo):
    from rasa.core.agent import Agent

    gold = [e for e in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["examples"]
            if e.get("best")]
    agent = Agent.load(str(MODEL))

    async def parse_all():
        return [await agent.parse_message(e["text"]) for e in gold]

    parsed = asyncio.run(parse_all())
    rows = []
    for example, parse in zip(gold, parsed):
        ranking = [r["name"] for r in parse.get("intent_ranking") or []][:3]
        topic = INTENT_TOPIC.get(parse["intent"]["name"])
        article = None
        if topic:
            found = repo.best_article(topic, example["text"], entities_of(parse),
                                      detect_aspect(example["text"]))
            article = found.id if found else None
        accepted = {example["best"], *(example.get("also") or [])}
        rows.append({"text": example["text"], "gold_topic": example["intent"],
                     "top3": ranking, "gold": sorted(accepted), "picked": article,
                     "topic_ok": example["intent"] in ranking,
                     "article_ok": article in accepted})
    result = {
        "examples": len(rows),
        "topic_top3": round(sum(r["topic_ok"] for r in rows) / len(rows), 4),
        "article_top1": round(sum(r["article_ok"] for r in rows) / len(rows), 4),
        "misses": [r for r in rows if not r["article_ok"]],
    }
    out = ROOT / "var" / "results" / "retrieval_heldout.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nretrieval: topic top-3 {result['topic_top3']}, article top-1 "
          f"{result['article_top1']} on {len(rows)} examples")
    return result


def test_topic_top3(report):
    assert report["examples"] >= 150
    assert report["topic_top3"] >= TOPIC_TOP3_FLOOR


def test_article_top1(report):
    assert report["article_top1"] >= ARTICLE_TOP1_FLOOR, report["misses"][:15]
