"""The real-message set and its article coverage stay consistent (`make eval-real` relies on
them): unique ids in collection order, known splits and labels, and coverage that names only
messages of the set and articles of the knowledge base. Never prints message texts."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.real import evaluate

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
LABELS = {"none", "concern", "acute"}
AUDIENCES = {"adult", "young"}
FIELDS = ("id", "split", "text", "source_url", "source_title", "seen_date", "audience", "age",
          "risk", "at_risk", "danger_kind", "condition", "relation", "topics", "need")


def _messages():
    return yaml.safe_load((HERE / "messages.yml").read_text(encoding="utf-8"))["messages"]


def _article_ids():
    ids = set()
    for path in (ROOT / "knowledge" / "articles").glob("*/*.yaml"):
        ids.add(yaml.safe_load(path.read_text(encoding="utf-8"))["id"])
    return ids


def test_ids_are_unique_and_in_collection_order():
    ids = [m["id"] for m in _messages()]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids, key=lambda i: int(i[1:]))


def test_every_message_has_the_schema_and_known_labels():
    for m in _messages():
        missing = [f for f in FIELDS if f not in m]
        assert not missing, (m["id"], missing)
        assert m["split"] in evaluate.SPLITS, m["id"]
        assert m["risk"] in LABELS and m["audience"] in AUDIENCES, m["id"]
        assert (m["risk"] == "none") == (m["danger_kind"] is None), m["id"]
        assert m["text"].strip() and m["source_url"].startswith("http"), m["id"]


def test_coverage_names_only_messages_of_the_set_and_articles_of_the_knowledge_base():
    ids = {m["id"] for m in _messages()}
    articles = _article_ids()
    cover = evaluate.coverage()
    assert cover, "no coverage file"
    assert set(cover) <= ids
    for mid, answered_by in cover.items():
        assert set(answered_by) <= articles, mid
    dev = {m["id"] for m in _messages() if m["split"] == "dev"}
    assert dev <= set(cover), "every dev message has its coverage"


def test_article_figures_count_the_article_shown_against_the_coverage():
    msg = {"id": "rX", "risk": "none", "topics": ["klage"]}
    reply = [{"custom": {"article": "klage-pa-vedtak", "topic": "klage"}}]
    row = evaluate.judge_reply(msg, reply, ["klage-pa-vedtak"])
    assert row["article_right"] and not row["article_unrelated"] and not row["held_back"]
    row = evaluate.judge_reply(msg, reply, ["pasient-og-brukerombudet"])
    assert row["article_unrelated"] and not row["article_right"]
    honest = [{"custom": {"article": None, "topic": "klage", "offer_handover": True}}]
    row = evaluate.judge_reply(msg, honest, ["klage-pa-vedtak"])
    assert row["held_back"] and not row["topic_ok"] and row["topic_read_ok"]
    assert not evaluate.judge_reply(msg, honest, [])["held_back"]
