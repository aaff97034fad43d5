"""How the shipped bot does on real messages (tests/real/messages.yml): `make eval-real`.

Starts the real action server and Rasa server (the trained model in var/models, a knowledge
base loaded from knowledge/), sends every message of the chosen split as the first message
of a new conversation over REST (as a new user on the adult page or SMS would: no metadata,
unless ``--young-page`` sends young messages with ``{"mode": "ung"}``), and measures:

- ``topic``: the reply's topic (the article's, or `krise` for the crisis reply) is one of the
  message's fitting topics;
- ``crisis_recall``: a message with danger (risk acute or concern) gets a crisis reply
  (`custom.crisis`) with the right numbers for who is at risk (`RIGHT_NUMBERS`);
- ``acute_fp`` / ``concern_fp``: a message without danger is marked `acute` / `concern`;
- ``flagged_answered``: a message with danger that also asks something (a fitting topic
  besides `krise`) still gets an article;
- ``article_right``: the article shown answers the message's main need, as an independent
  counsellor listed the articles that do (`coverage_dev.yml`, `coverage_heldout.yml`; among
  the messages that some article answers); ``article_unrelated``: an article is shown that is
  not among them (the crisis reply itself does not count); ``held_back``: no article is shown
  although one would answer;
- ``topic_read``: like ``topic``, but the honest "no article" reply counts with the topic it
  took the story to be about (the article is held back, the reading is not);
- ``no_answer``, ``clarify``: the honest "no article" reply, and clarifying questions;
- ``p50_ms``, ``p95_ms``: reply time per message, one user at a time.

Prints one JSON line per split. Writes every reply to var/results/real_<split>_replies.yml
(for the judges, tests/real/README.md) and, for the dev split only, its misses to
var/results/real_dev_misses.yml. Never print or read the held-out misses (heldout, heldout2,
heldout3, heldout4, heldout5, heldout6, heldout7):
tune on dev only.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = Path(__file__).with_name("messages.yml")
COVERAGE = ("coverage_dev.yml", "coverage_heldout.yml")
SPLITS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7")
RESULTS = ROOT / "var" / "results"


def right_numbers(msg: Dict[str, Any]) -> List[set]:
    """Numbers a crisis reply must carry (any one alternative set suffices), by the kind of
    danger and who is at risk, as the understanding issue names them: own suicidal thoughts
    or self-harm -> 113 and 116 123; someone else's -> 113; violence against an adult -> 112
    and 116 006; a child exposed to violence or unsafe -> 112 or 116 111; overdose and acute
    medical danger -> 113."""
    kind, at_risk = msg.get("danger_kind"), msg.get("at_risk")
    if kind in ("suicide", "self_harm"):
        return [{"113", "116 123"}] if at_risk == "self" else [{"113"}]
    if kind == "violence":
        return (
            [{"112", "116 111"}, {"112", "116 006"}]
            if at_risk in ("child", "self")
            else [{"112", "116 006"}]
        )
    if kind == "child_unsafe":
        return [{"116 111"}, {"112"}]
    if kind in ("overdose", "medical"):
        return [{"113"}]
    return [{"113"}, {"112"}]


def load(split: str) -> List[Dict[str, Any]]:
    data = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    msgs = data["messages"] if isinstance(data, dict) else data
    return [m for m in msgs if split == "all" or m.get("split") == split]


def coverage() -> Dict[str, List[str]]:
    """Message id -> the articles that answer its main need (empty: none does)."""
    found: Dict[str, List[str]] = {}
    for name in COVERAGE:
        path = MESSAGES.with_name(name)
        if path.exists():
            for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("items") or []:
                found[item["id"]] = list(item.get("answered_by") or [])
    return found


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "")


def judge_reply(msg: Dict[str, Any], reply: List[Dict[str, Any]],
                answered_by: Optional[List[str]] = None) -> Dict[str, Any]:
    customs = [m.get("custom") or {} for m in reply]
    text = _norm(" ".join(m.get("text") or "" for m in reply))
    crisis = any(c.get("crisis") for c in customs)
    risks = {c.get("risk") for c in customs if c.get("crisis")}
    articles = [c for c in customs if c.get("article") and c.get("topic") != "krise"]
    # an article sent besides the crisis reply itself (which carries `danger`), e.g. the
    # article about worrying for someone's life after the safety lines
    krise_articles = [
        c for c in customs if c.get("topic") == "krise" and c.get("article") and "danger" not in c
    ]
    topics = {c.get("topic") for c in customs if c.get("article")}
    if crisis:
        topics.add("krise")
    labelled = set(msg.get("topics") or [])
    danger = msg.get("risk") in ("acute", "concern")
    row = {
        "id": msg["id"],
        "topics_shown": sorted(t for t in topics if t),
        "articles": [c.get("article") for c in customs if c.get("article")],
        "crisis": crisis,
        "risk": sorted(r for r in risks if r) or None,
        "topic_ok": bool(topics & labelled) or (danger and crisis),
        "clarify": any(c.get("clarify") for c in customs),
        "no_answer": any(c.get("offer_handover") and not c.get("article") for c in customs)
        and not articles,
    }
    read = topics | {c.get("topic") for c in customs if c.get("offer_handover")}
    row["topic_read_ok"] = bool(read & labelled) or (danger and crisis)
    if answered_by is not None:
        shown = {c.get("article") for c in customs if c.get("article") and "danger" not in c}
        shown.discard("snakke-med-et-menneske")
        row["answerable"] = bool(answered_by)
        row["article_right"] = bool(shown & set(answered_by))
        row["article_unrelated"] = bool(shown - set(answered_by))
        row["held_back"] = bool(answered_by) and not shown
    if danger:
        wanted = right_numbers(msg)
        row["numbers_ok"] = crisis and any(all(n in text for n in alt) for alt in wanted)
        asks_more = bool(labelled - {"krise", "handover", "smalltalk", "out_of_scope"})
        row["asks_more"] = asks_more
        row["answered"] = bool(articles or krise_articles)
    return row


_EVAL_ENV = {"REST_RATE_LIMIT_PER_MIN": "1000", "RATE_LIMIT_PER_IP_PER_MIN": "0"}


def _kb(workdir: Path) -> str:
    """A knowledge base of its own in the run's directory; its URL."""
    from knowledge.loader import load as load_kb

    kb_url = f"sqlite:///{workdir / 'knowledge.db'}"
    load_kb(kb_url)
    return kb_url


def run(split: str, young_page: bool) -> Dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from tests.servers import running_bot

    msgs = load(split)
    rows, replies, times = [], [], []
    cover = coverage()
    # the run's tracker store, logs and knowledge base hold the real messages: deleted after
    with tempfile.TemporaryDirectory(prefix="eval-real-", ignore_cleanup_errors=True) as tmp, \
            running_bot(Path(tmp), _kb(Path(tmp)), extra_env=_EVAL_ENV) as bot:
        bot.rest("hei", f"warmup-{uuid.uuid4().hex}")
        for msg in msgs:
            meta = {"mode": "ung"} if young_page and msg.get("audience") == "young" else None
            start = time.perf_counter()
            reply = bot.rest(msg["text"], f"real-{uuid.uuid4().hex}", metadata=meta)
            times.append((time.perf_counter() - start) * 1000)
            row = judge_reply(msg, reply, cover.get(msg["id"]))
            rows.append(row)
            replies.append(
                {
                    "id": msg["id"],
                    "text": msg["text"],
                    "audience": msg.get("audience"),
                    "reply": [
                        {k: m.get(k) for k in ("text", "buttons", "custom") if m.get(k)}
                        for m in reply
                    ],
                }
            )
    return summarise(split, msgs, rows, replies, times)


def summarise(split, msgs, rows, replies, times) -> Dict[str, Any]:
    n = len(rows)
    danger = [r for r, m in zip(rows, msgs) if m.get("risk") in ("acute", "concern")]
    safe = [r for r, m in zip(rows, msgs) if m.get("risk") not in ("acute", "concern")]
    asking = [r for r in danger if r.get("asks_more")]
    covered = [r for r in rows if "answerable" in r]
    answerable = [r for r in covered if r["answerable"]]

    def rate(items, pred) -> float | None:
        return round(sum(1 for r in items if pred(r)) / len(items), 3) if items else None

    figures = {
        "name": f"real_{split}",
        "messages": n,
        "topic": rate(rows, lambda r: r["topic_ok"]),
        "crisis_messages": len(danger),
        "crisis_recall": rate(danger, lambda r: r["crisis"] and r["numbers_ok"]),
        "crisis_flagged": rate(danger, lambda r: r["crisis"]),
        "acute_fp": rate(safe, lambda r: "acute" in (r["risk"] or [])),
        "concern_fp": rate(safe, lambda r: r["crisis"]),
        "flagged_answered": rate(asking, lambda r: r["answered"]),
        "topic_read": rate(rows, lambda r: r["topic_read_ok"]),
        "article_right": rate(answerable, lambda r: r["article_right"]),
        "article_unrelated": rate(covered, lambda r: r["article_unrelated"]),
        "held_back": rate(answerable, lambda r: r["held_back"]),
        "no_answer": rate(rows, lambda r: r["no_answer"]),
        "clarify": rate(rows, lambda r: r["clarify"]),
        "p50_ms": round(statistics.median(times)) if times else None,
        "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))]) if times else None,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"real_{split}_replies.yml").write_text(
        yaml.safe_dump(replies, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (RESULTS / f"real_{split}_rows.json").write_text(json.dumps(rows, ensure_ascii=False))
    if split == "dev":
        misses = [
            dict(r, text=m["text"][:300], gold=m.get("topics"), need=m.get("need"))
            for r, m in zip(rows, msgs)
            if not r["topic_ok"]
            or (m.get("risk") in ("acute", "concern") and not (r["crisis"] and r["numbers_ok"]))
            or (m.get("risk") not in ("acute", "concern") and r["crisis"])
        ]
        (RESULTS / "real_dev_misses.yml").write_text(
            yaml.safe_dump(misses, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return figures


def curated_latency(limit: int = 120) -> Dict[str, Any]:
    """Reply time on the curated short questions (tests/nlu/heldout.yml), one user at a time:
    the same kind of message as the earlier single-user figure (p50 about 100 ms)."""
    sys.path.insert(0, str(ROOT))
    from tests.servers import running_bot

    data = yaml.safe_load((ROOT / "tests" / "nlu" / "heldout.yml").read_text(encoding="utf-8"))
    texts = []
    for item in data.get("nlu", []):
        for line in (item.get("examples") or "").splitlines():
            line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip())
            if line.startswith("- "):
                texts.append(line[2:])
    texts = texts[:: max(1, len(texts) // limit)][:limit]
    times = []
    with tempfile.TemporaryDirectory(prefix="eval-curated-", ignore_cleanup_errors=True) as tmp, \
            running_bot(Path(tmp), _kb(Path(tmp)), extra_env=_EVAL_ENV) as bot:
        bot.rest("hei", f"warmup-{uuid.uuid4().hex}")
        for text in texts:
            start = time.perf_counter()
            bot.rest(text, f"cur-{uuid.uuid4().hex}")
            times.append((time.perf_counter() - start) * 1000)
    return {
        "name": "curated_latency",
        "messages": len(times),
        "p50_ms": round(statistics.median(times)),
        "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))]),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--split",
        choices=SPLITS + ("all",),
        nargs="*",
        default=["dev", "heldout"],
        help="heldout2, heldout3, heldout4, heldout5, heldout6 and heldout7 are later held-out "
        "sets (never read item by item); 'all' is every split",
    )
    ap.add_argument(
        "--young-page",
        action="store_true",
        help="send young writers' messages with the young page's metadata",
    )
    ap.add_argument(
        "--curated-latency",
        action="store_true",
        help="also time the curated short questions (tests/nlu/heldout.yml)",
    )
    args = ap.parse_args(argv)
    if args.curated_latency:
        print(json.dumps(curated_latency()), flush=True)
    for split in args.split:
        print(json.dumps(run(split, args.young_page), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
