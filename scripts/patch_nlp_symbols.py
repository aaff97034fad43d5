"""Add the emoji -> SYM attribute ruler (bot/nlp/chat_tokenizer.add_symbol_ruler) to the
shipped pipeline without retraining: nb_parorende 1.3.0 -> 1.3.1.

``PYTHONPATH=. python scripts/patch_nlp_symbols.py [PIPELINE_DIR]``

Finalize (`python -m bot.nlp.train --stage finalize`) adds the same ruler to every newly
trained pipeline; this script brings the pipeline trained before it up to date. The
weights are not touched (the other components' files are rewritten byte-identically).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.nlp import chat_tokenizer
from bot.nlp.pipeline_code import encoders, standard_lemmas  # noqa: F401  (registrations)

PIPELINE_DIR = Path(__file__).resolve().parents[1] / "bot" / "nlp" / "pipeline"


def main(argv):
    import spacy

    path = Path(argv[0]) if argv else PIPELINE_DIR
    nlp = spacy.load(path)
    if chat_tokenizer.SYMBOL_RULER in nlp.pipe_names:
        print(f"{path}: already has {chat_tokenizer.SYMBOL_RULER}")
        return 0
    chat_tokenizer.add_symbol_ruler(nlp)
    meta = json.loads((path / "meta.json").read_text())
    major, minor, patch = (int(x) for x in meta["version"].split("."))
    meta["version"] = f"{major}.{minor}.{patch + 1}"
    meta["training"]["patches"] = meta["training"].get("patches", []) + [
        {
            "version": meta["version"],
            "change": "attribute ruler chat_symbols after the morphologizer: emoji -> SYM "
            "(scripts/patch_nlp_symbols.py; weights unchanged)",
        }
    ]
    nlp.meta.update({k: meta[k] for k in ("version", "training")})
    nlp.to_disk(path)
    # the same layout as finalize writes (indented, UTF-8), so the diff shows the change
    written = json.loads((path / "meta.json").read_text())
    (path / "meta.json").write_text(json.dumps(written, indent=2, ensure_ascii=False) + "\n")
    print(f"{path}: {nlp.pipe_names}, version {meta['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
