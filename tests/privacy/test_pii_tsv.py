"""tests/safety/pii.tsv: recall per PII type (fails below the floors), names reported."""

from __future__ import annotations

import json

from bot.privacy.scrub import is_fnr, ner_enabled, scrub
from tests.privacy.pii_eval import evaluate, load_rows

RECALL_FLOOR = {"fnr": 0.99, "phone": 0.99, "email": 0.99, "address": 0.90}
# Names: rules only (interim pipeline, NER off) measured 0.925 recall / 1.00 precision on
# 2026-11-23; floors leave a margin. Raise them when the trained NER is switched on.
NAME_RECALL_FLOOR = 0.85
NAME_PRECISION_FLOOR = 0.90
NONE_FP_RATE_CEILING = 0.03


def test_file_shape():
    rows = load_rows()
    assert len(rows) >= 150
    kinds = {kind for kind, _, _ in rows}
    assert kinds == {"fnr", "phone", "email", "address", "name", "none"}
    for kind, text, values in rows:
        assert text.strip()
        if kind == "none":
            assert not values
        else:
            assert values, text
            for value in values:
                assert value in text, (value, text)
        if kind == "fnr":  # synthetic, but with valid control digits
            assert all(is_fnr(v) for v in values), text


def test_recall_per_type(capsys):
    report = evaluate(scrub)
    summary = {k: {kk: vv for kk, vv in v.items() if kk not in ("misses", "false_positives")}
               for k, v in report.items()}
    summary["ner"] = ner_enabled()
    with capsys.disabled():
        print("\nPII eval (tests/safety/pii.tsv):", json.dumps(summary, ensure_ascii=False))
        for text, out in report["name"]["misses"]:
            print(f"  name missed: {text!r} -> {out!r}")
    for kind, floor in RECALL_FLOOR.items():
        assert report[kind]["recall"] >= floor, (kind, report[kind]["misses"])
    assert report["name"]["recall"] >= NAME_RECALL_FLOOR, report["name"]["misses"]
    assert report["name"]["precision"] >= NAME_PRECISION_FLOOR
    assert report["none"]["fp_rate"] <= NONE_FP_RATE_CEILING, report["none"]["false_positives"]
