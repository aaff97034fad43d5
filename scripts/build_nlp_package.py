"""Install the project's Norwegian spaCy pipeline into the venv as package `nb_parorende`.

Rasa's SpacyNLP loads a pipeline by name (bot/config.yml: `model: nb_parorende`), so the
pipeline is installed as a Python package: its path then resolves wherever the bot runs.

Source: the trained pipeline committed in bot/nlp/pipeline/ (see bot/nlp/README.md). Where it
is absent, a blank `nb` pipeline (tokenizer only) is packaged under the same name, so the bot
still runs, with no lemmas or named entities.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "bot" / "nlp" / "pipeline"
BUILD = ROOT / "var" / "build" / "nlp"
NAME = "parorende"


def _blank_pipeline(target: Path) -> Path:
    import spacy

    nlp = spacy.blank("nb")
    nlp.meta.update(
        {
            "name": NAME,
            "version": "0.0.0",
            "description": "Blank Norwegian pipeline (tokenizer only): the trained pipeline "
            "in bot/nlp/pipeline was not found.",
        }
    )
    if target.exists():
        shutil.rmtree(target)
    nlp.to_disk(target)
    return target


def main() -> int:
    BUILD.mkdir(parents=True, exist_ok=True)
    if (PIPELINE / "meta.json").exists():
        source = PIPELINE
    else:
        print("bot/nlp/pipeline not found: packaging a blank nb pipeline", file=sys.stderr)
        source = _blank_pipeline(BUILD / "blank")
    meta = json.loads((source / "meta.json").read_text(encoding="utf-8"))
    version = meta.get("version", "0.0.0")
    out = BUILD / "package"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    code = [str(p) for p in sorted((ROOT / "bot" / "nlp").glob("pipeline_code/*.py"))]
    cmd = [sys.executable, "-m", "spacy", "package", str(source), str(out),
           "--name", NAME, "--version", version, "--build", "none", "--force"]
    if code:
        cmd += ["--code", ",".join(code)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    package_dir = out / f"nb_{NAME}-{version}"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--force-reinstall", str(package_dir)],
        check=True,
    )
    print(f"installed nb_{NAME} {version} from {source.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
