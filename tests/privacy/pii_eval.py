"""Evaluate `bot.privacy.scrub.scrub` on tests/safety/pii.tsv (also runnable: prints JSON)."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[2]
PII_TSV = ROOT / "tests" / "safety" / "pii.tsv"
PLACEHOLDER = {
    "fnr": "[fødselsnummer]",
    "phone": "[telefon]",
    "email": "[e-post]",
    "address": "[adresse]",
    "name": "[navn]",
}


def load_rows(path: Path = PII_TSV) -> List[Tuple[str, str, List[str]]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            values = [v.strip() for v in (row.get("pii") or "").split(" | ") if v.strip()]
            rows.append((row["type"], row["text"], values))
    return rows


def _removed(kind: str, value: str, out: str) -> bool:
    if value in out:
        return False
    if kind == "name":  # every part of the name must be gone ("Kari [navn]" is a miss)
        return not any(re.search(rf"(?<!\w){re.escape(part)}(?!\w)", out)
                       for part in re.split(r"[\s\-]+", value) if len(part) > 1)
    return True


def evaluate(scrub_fn, rows=None) -> Dict[str, dict]:
    rows = rows if rows is not None else load_rows()
    gold = defaultdict(int)
    found = defaultdict(int)
    predicted = defaultdict(int)
    misses = defaultdict(list)
    false_positive_rows = []
    for kind, text, values in rows:
        out = scrub_fn(text)
        for k, ph in PLACEHOLDER.items():
            predicted[k] += out.count(ph)
        if kind == "none":
            if out != text:
                false_positive_rows.append((text, out))
            continue
        for value in values:
            gold[kind] += 1
            if _removed(kind, value, out) and PLACEHOLDER[kind] in out:
                found[kind] += 1
            else:
                misses[kind].append((text, out))
    report = {}
    for kind in PLACEHOLDER:
        n = gold[kind]
        report[kind] = {
            "n": n,
            "recall": round(found[kind] / n, 3) if n else None,
            # a placeholder of this type is a true positive at most once per gold value
            "precision": round(min(found[kind], predicted[kind]) / predicted[kind], 3)
            if predicted[kind] else None,
            "misses": misses[kind],
        }
    n_none = sum(1 for kind, _, _ in rows if kind == "none")
    report["none"] = {"n": n_none, "false_positives": false_positive_rows,
                      "fp_rate": round(len(false_positive_rows) / n_none, 3) if n_none else None}
    return report


if __name__ == "__main__":
    from bot.privacy.scrub import scrub

    result = evaluate(scrub)
    print(json.dumps({k: {kk: vv for kk, vv in v.items()
                          if kk not in ("misses", "false_positives")}
                      for k, v in result.items()}, ensure_ascii=False))
    for kind, v in result.items():
        for text, out in v.get("misses", []) + v.get("false_positives", []):
            print(f"{kind}\t{text}\t->\t{out}")
