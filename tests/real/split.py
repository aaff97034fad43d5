#!/usr/bin/env python3
"""Assign the dev/heldout split of tests/real/messages.yml (run once; kept for the record).

Rule: the ids are grouped in four strata (young/adult x crisis/no crisis, where crisis means
risk != "none"). Each stratum's ids are sorted, shuffled with one random.Random(20261206)
(strata visited in a fixed order), and the first round(0.6 * n) ids of each stratum go to
"dev", the rest to "heldout". The result is deterministic, so a re-run gives the same split;
the split must not be changed afterwards.

Usage: python3 tests/real/split.py [--in PATH] [--out PATH]   (default: messages.yml next to
this file, rewritten in place)
"""
import argparse
import pathlib
import random

import yaml

HERE = pathlib.Path(__file__).resolve().parent
HEADER = ("# Real public messages by relatives and young people (sources kept, names removed). "
          "README.md explains.\n")
FIELDS = ["id", "split", "text", "source_url", "source_title", "seen_date", "audience", "age",
          "risk", "at_risk", "danger_kind", "condition", "relation", "topics", "need"]
SEED = 20261206
DEV_SHARE = 0.6


def assign(messages):
    strata = {}
    for m in messages:
        key = (m["audience"] == "young", m["risk"] != "none")
        strata.setdefault(key, []).append(m["id"])
    rng = random.Random(SEED)
    split = {}
    # fixed order: (False, False), (False, True), (True, False), (True, True)
    for key in sorted(strata):
        ids = sorted(strata[key])
        rng.shuffle(ids)
        n_dev = round(DEV_SHARE * len(ids))
        for i, mid in enumerate(ids):
            split[mid] = "dev" if i < n_dev else "heldout"
    return split


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--in", dest="src", default=str(HERE / "messages.yml"))
    ap.add_argument("--out", dest="dst", default=str(HERE / "messages.yml"))
    args = ap.parse_args()
    data = yaml.safe_load(open(args.src, encoding="utf-8"))
    messages = data["messages"]
    split = assign(messages)
    out = []
    for m in messages:
        m = dict(m)
        m["split"] = split[m["id"]]
        out.append({k: m.get(k) for k in FIELDS})
    body = yaml.dump({"messages": out}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=100000, default_flow_style=None)
    with open(args.dst, "w", encoding="utf-8") as fh:
        fh.write(HEADER + body)
    counts = {}
    for m in out:
        counts[m["split"]] = counts.get(m["split"], 0) + 1
    print(counts)


if __name__ == "__main__":
    main()
