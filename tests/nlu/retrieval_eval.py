"""Article retrieval measured end to end: NLU parse -> the answer/clarify logic -> article.

Used by tests/nlu/test_retrieval.py (held-out file) and by ``python -m tests.nlu.retrieval_eval``
(prints the figures for the dev file and the held-out file; ``--tune`` searches the ranking
weights on the dev file only).

For every labelled example:
- topic top-3: the gold topic is among the NLU's three best intents;
- answered: the NLU is confident (not ``nlu_fallback``) and the answer action would send a
  gold article;
- top-1: the first article the bot shows is gold (the answer, or the first clarify button);
- offered top-3: a gold article is among the first three (answer + related, or the buttons).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from pathlib import Path
from typing import Any, Dict, List

import yaml

from actions import retrieval
from actions.common import INTENT_TOPIC, TOPIC_INTENTS

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout_articles.yml"
DEV = HERE / "dev_articles.yml"


def load_examples(path: Path) -> List[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [e for e in data["examples"] if e.get("best")]


def parse_all(model: Path, texts: List[str]) -> List[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run():
        return [await agent.parse_message(t) for t in texts]

    return asyncio.run(run())


def decide(repo: Any, text: str, parse: dict, weights=retrieval.WEIGHTS) -> Dict[str, Any]:
    """What the bot would show for ``text`` with this parse (no conversation context):
    the shipped decision (actions/retrieval.decide), not a copy of it."""
    turn = retrieval.Turn.from_parse(dict(parse, text=text), text=text)
    d = retrieval.decide(repo, turn, weights)
    if d.kind == "answer" and d.article is not None:
        if d.article.topic not in TOPIC_INTENTS and d.reason in ("small talk", "fixed topic"):
            return {"mode": d.article.topic, "shown": []}
        return {"mode": "answer", "shown": [d.article.id] + list(d.article.related[:2])}
    if d.kind == "clarify":
        return {"mode": "clarify", "shown": [a.id for a in d.candidates]}
    if d.kind == "silent":
        return {"mode": "krise", "shown": []}
    if d.kind == "no_answer":
        return {"mode": "no_answer", "shown": [a.id for a in d.candidates]}
    intent = (parse.get("intent") or {}).get("name")
    return {"mode": INTENT_TOPIC.get(intent, intent), "shown": []}


def measure(repo: Any, examples: List[dict], parses: List[dict], weights=retrieval.WEIGHTS):
    rows = []
    for example, parse in zip(examples, parses):
        top3 = [r["name"] for r in parse.get("intent_ranking") or []][:3]
        d = decide(repo, example["text"], parse, weights)
        accepted = {example["best"], *(example.get("also") or [])}
        shown = d["shown"]
        if d["mode"] in ("krise", "handover") and example["intent"] == d["mode"]:
            # the crisis reply / the hand-over is the answer for these topics
            shown = [example["best"]]
        rows.append(
            {
                "text": example["text"],
                "gold_topic": example["intent"],
                "top3": top3,
                "gold": sorted(accepted),
                "mode": d["mode"],
                "shown": shown,
                "topic_ok": example["intent"] in top3,
                "answered_ok": d["mode"] == "answer" and bool(shown) and shown[0] in accepted,
                "top1_ok": bool(shown) and shown[0] in accepted,
                "top3_ok": bool(accepted & set(shown[:3])),
            }
        )
    n = len(rows)

    def rate(key: str) -> float:
        return round(sum(r[key] for r in rows) / n, 4) if n else 0.0

    return {
        "examples": n,
        "topic_top3": rate("topic_ok"),
        "article_top1": rate("top1_ok"),
        "answered_correct": rate("answered_ok"),
        "offered_top3": rate("top3_ok"),
        "clarified": round(sum(r["mode"] == "clarify" for r in rows) / n, 4) if n else 0.0,
        "misses": [r for r in rows if not r["top1_ok"]],
    }


def tune(repo: Any, examples: List[dict], parses: List[dict]) -> retrieval.RankWeights:
    best_w, best_score = retrieval.WEIGHTS, -1.0
    grid = itertools.product(
        (0.0, 0.25, 0.5, 1.0, 2.0),  # topic
        (0.5, 1.0, 2.0),  # similarity
        (0.0, 0.02, 0.05, 0.1),  # keywords
        (1, 2, 3),  # max topics
    )
    for t, s, k, m in grid:
        w = retrieval.RankWeights(topic=t, similarity=s, keywords=k, max_topics=m)
        r = measure(repo, examples, parses, w)
        score = r["article_top1"] + 0.1 * r["offered_top3"]
        if score > best_score + 1e-9:
            best_w, best_score = w, score
            print(json.dumps({"weights": w.__dict__, "top1": r["article_top1"],
                              "offered_top3": r["offered_top3"]}), flush=True)
    return best_w


def main() -> int:
    from knowledge.repository import KnowledgeRepository
    from tests.servers import MODEL

    ap = argparse.ArgumentParser()
    ap.add_argument("--tune", action="store_true", help="grid-search weights on the dev file")
    ap.add_argument("--cache", type=Path, default=Path("var/results/parses.json"))
    args = ap.parse_args()
    repo = KnowledgeRepository.from_url()
    sets = {"dev": load_examples(DEV) if DEV.exists() else [], "heldout": load_examples(HELDOUT)}
    cache: Dict[str, dict] = {}
    if args.cache.exists():
        cache = json.loads(args.cache.read_text(encoding="utf-8"))
        if cache.get("_model_mtime") != MODEL.stat().st_mtime:
            cache = {}
    todo = [e["text"] for s in sets.values() for e in s if e["text"] not in cache]
    if todo:
        for text, parse in zip(todo, parse_all(MODEL, todo)):
            cache[text] = {k: parse.get(k) for k in ("intent", "intent_ranking", "entities")}
        cache["_model_mtime"] = MODEL.stat().st_mtime
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        args.cache.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    parses = {name: [cache[e["text"]] for e in s] for name, s in sets.items()}
    weights = retrieval.WEIGHTS
    if args.tune:
        weights = tune(repo, sets["dev"], parses["dev"])
        print("best on dev:", weights)
    for name in ("dev", "heldout"):
        if not sets[name]:
            continue
        r = measure(repo, sets[name], parses[name], weights)
        summary = {k: v for k, v in r.items() if k != "misses"}
        print(name, json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
