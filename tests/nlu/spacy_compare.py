"""Held-out NLU accuracy with the project's spaCy pipeline vs. a blank `nb` pipeline.

    python -m tests.nlu.spacy_compare            # both, one line of JSON each
    python -m tests.nlu.spacy_compare --models blank

Same NLU data (data/nlu), same bot/config.yml (only SpacyNLP's `model` differs), same
seed; trains NLU-only models into var/nlu_compare/ and parses tests/nlu/heldout.yml.
Not part of `make test` (two trainings); the figures are recorded in the README.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "nlu_compare"
HELDOUT = Path(__file__).with_name("heldout.yml")


def _model_ref(name: str) -> str:
    if name != "blank":
        return name
    import spacy

    path = OUT / "blank_nb"
    spacy.blank("nb").to_disk(path)
    return str(path)


def _config(name: str) -> Path:
    cfg = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
    for comp in cfg["pipeline"]:
        if comp["name"] == "SpacyNLP":
            comp["model"] = _model_ref(name)
    path = OUT / f"config_{name}.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _accuracy(model: Path) -> dict:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(HELDOUT)).intent_examples
    agent = Agent.load(str(model))

    async def parse_all():
        return [await agent.parse_message(e.get("text")) for e in examples]

    parsed = asyncio.run(parse_all())
    ok = sum(e.get("intent") == p["intent"]["name"] for e, p in zip(examples, parsed))
    return {"examples": len(examples), "accuracy": round(ok / len(examples), 4)}


def run(name: str) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    config = _config(name)
    t0 = time.time()
    subprocess.run(
        [str(Path(sys.executable).with_name("rasa")), "train", "nlu", "--config", str(config),
         "--nlu", str(ROOT / "data" / "nlu"), "--out", str(OUT),
         "--fixed-model-name", f"nlu_{name}"],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    result = {"spacy_model": name, "train_s": round(time.time() - t0)}
    result.update(_accuracy(OUT / f"nlu_{name}.tar.gz"))
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--models", nargs="+", default=["nb_parorende", "blank"])
    args = ap.parse_args()
    for name in args.models:
        print(json.dumps(run(name)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
